"""``helpsite validate [PATH...]``: check help articles before they are built or translated."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpsite.config import load_config
from helpsite.findings import has_errors, summary_line, to_json, unknown_suppressions
from helpsite.validation import validate_paths

DESCRIPTION = """\
Check help articles: front matter (YAML safety, required keys, types, dates, locales,
misspelled keys), body (one H1, heading order, relative links and images, unsafe
links and HTML, run-in step numbers) and the set as a whole (shared help IDs, duplicate
titles, file names). One line per finding: path:line:col: severity code: message.
Exit status: 0 no errors, 1 errors found, 2 bad usage or configuration.
"""


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="check articles (front matter, links, steps, HTML)",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("source")],
                        help="files or folders to check (default: source/)")
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="text lines (default) or a JSON list of findings")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--suppress", action="append", default=[], metavar="CODE",
                        help="switch off a finding code or group (repeatable); adds to "
                             "[tool.helpsite] suppress in pyproject.toml")


def run(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"helpsite validate: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    config = load_config(args.paths[0])
    suppress = [*config.suppress, *args.suppress]
    for name in unknown_suppressions(suppress):
        print(f"helpsite validate: warning: '{name}' in suppress is not a finding code "
              "(see docs/finding-codes.md)", file=sys.stderr)
    report = validate_paths(args.paths, suppress=suppress, strict=args.strict)
    if args.format == "json":
        print(to_json(report.findings))
    else:
        for finding in report.findings:
            print(finding.format())
        print(summary_line(report.findings, report.files_checked), file=sys.stderr)
    return 1 if has_errors(report.findings) else 0
