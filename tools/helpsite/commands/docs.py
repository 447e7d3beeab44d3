"""``helpsite docs``: regenerate the reference pages that come from the code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpsite.docgen import PAGES, stale_pages, write_pages


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="regenerate docs/metadata-reference.md and docs/finding-codes.md",
        description="Write the reference pages generated from the metadata JSON Schema and "
                    "the finding-code registry: " + ", ".join(PAGES) + ".",
    )
    parser.add_argument("--docs", type=Path, default=Path("docs"),
                        help="the documentation folder (default: docs/)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a page is out of date")


def run(args: argparse.Namespace) -> int:
    if args.check:
        stale = stale_pages(args.docs)
        for name in stale:
            print(f"helpsite docs: {args.docs / name} is out of date; run 'make docs'",
                  file=sys.stderr)
        return 1 if stale else 0
    for name in write_pages(args.docs):
        print(f"wrote {args.docs / name}")
    return 0
