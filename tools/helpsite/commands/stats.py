"""``helpsite stats``: translation statistics per locale and page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpsite.catalogs.stats import collect_stats
from helpsite.catalogs.stats_report import print_stats, stats_html, stats_json
from helpsite.console import make_console
from helpsite.files import write_atomic

DESCRIPTION = """\
Per locale and per page: translated, fuzzy and untranslated messages and source words,
pages with 'localization_priority: Priority' first, and the pages whose source changed
since their translation was last complete (X-Source-Hash). A terminal table, --format
json, and --html PATH for a standalone page with a coverage chart per locale.
"""


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(name, help="translation statistics per locale and page",
                                 description=DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--locales-dir", type=Path, default=Path("locales"),
                        help="folder of locale folders (default: locales)")
    parser.add_argument("--source", type=Path, default=Path("source"),
                        help="source articles, for priority and staleness (default: source)")
    parser.add_argument("--pot-dir", type=Path, default=Path("build/gettext"),
                        help="POT files: articles without a PO file count as untranslated")
    parser.add_argument("--locales", default="", help="space-separated subset of locales")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--summary", action="store_true", help="only the table per locale")
    parser.add_argument("--html", type=Path, metavar="PATH",
                        help="also write a standalone HTML report to PATH")


def run(args: argparse.Namespace) -> int:
    if not args.locales_dir.is_dir():
        print(f"helpsite stats: no such folder: {args.locales_dir}", file=sys.stderr)
        return 2
    report = collect_stats(args.locales_dir, args.locales.split() or None,
                           source_dir=args.source, pot_dir=args.pot_dir, base=Path.cwd())
    for finding in report.findings:
        print(finding.format(), file=sys.stderr)
    if args.format == "json":
        print(stats_json(report))
    else:
        print_stats(report, make_console(), pages=not args.summary)
    if args.html:
        write_atomic(args.html, stats_html(report).encode("utf-8"))
        print(f"HTML report written to {args.html}", file=sys.stderr)
    return 1 if report.findings else 0
