"""``helpsite merge``: assemble one site from shards built by separate jobs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpsite.console import make_console
from helpsite.files import check_output_folder
from helpsite.findings import to_json
from helpsite.sitebuild.shards import MANIFEST, merge_shards

EPILOG = f"""examples:
  helpsite build --locales "en-US nl-NL" --shard-out shards/a      (job 1)
  helpsite build --locales "de-DE ja-JP" --shard-out shards/b      (job 2)
  helpsite merge shards/a shards/b --out build/html                (after both)

Each shard folder holds html/<locale>/ and {MANIFEST}. The merge checks every shard
first (same settings, each locale once, every file as its manifest lists it) and writes
nothing when one is wrong; then it copies the locale folders (only changed files) and
writes the language chooser and the sitemap index at the root. See docs/building.md for
a GitHub Actions matrix."""


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="assemble the site from shards built by separate jobs",
        description="Assemble one help site from shards: folders written by "
                    "`helpsite build --shard-out DIR`, each with some of the locales.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("shards", nargs="+", type=Path, metavar="SHARD",
                        help="shard folders (each with html/ and " + MANIFEST + ")")
    parser.add_argument("--out", type=Path, default=Path("build/html"),
                        help="the site root to write (default: build/html)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="problems as lines (text) or one JSON list")


def run(args: argparse.Namespace) -> int:
    # The site is written while the shards are read: it must not be one of them.
    check_output_folder(args.out, {f"shard {i + 1}": shard
                                   for i, shard in enumerate(args.shards)})
    result = merge_shards(args.shards, args.out)
    console = make_console(stderr=True)
    if args.format == "json":
        print(to_json(result.findings))
    else:
        for finding in result.findings:
            sys.stderr.write(finding.format() + "\n")
    if not result.ok:
        console.print(f"[red]✗[/] nothing merged: {len(result.findings)} problem(s)")
        return 1
    console.print(f"[green]✓[/] {args.out}: {', '.join(result.locales)} "
                  f"({result.written} file(s) written, {result.removed} removed)")
    return 0
