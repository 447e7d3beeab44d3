"""``helpsite update-po``: merge the POT files into the PO files of every locale."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpsite.catalogs.locking import LockTimeout
from helpsite.catalogs.settings import catalog_settings
from helpsite.catalogs.update import UpdateUsageError, update_catalogs
from helpsite.catalogs.updatereport import print_report, report_json
from helpsite.config import load_config
from helpsite.console import make_console

DESCRIPTION = """\
Merge build/gettext/**/*.pot (from 'make gettext') into locales/<tag>/LC_MESSAGES/**/*.po
for the locales conf.py configures (else every locale folder), or the --locales subset.
Nothing is lost: a translation stays active, becomes fuzzy with its previous source
('#| msgid') when the source changed a little, or obsolete ('#~') when it is gone;
obsolete translations come back when their source does. New entries are pre-filled from
the locale's translation memory (its confirmed translations): an exact match the memory
is unambiguous for as translated, every other match as fuzzy, with its origin in a
translator comment (--no-prefill: none).
Files are written atomically, under a lock, and only when their bytes change (a second
run writes nothing). A PO file that cannot be read (conflict markers, duplicate
msgid, unterminated string, bad header, wrong Language) stops the run before anything is
written. Settings: [tool.helpsite.catalogs] in pyproject.toml (wrap, wrap_width, ...).
Exit status: 0 done, 1 unreadable catalogs (nothing written), 2 bad usage.
"""


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="merge POT files into the PO files of every locale (nothing lost)",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pot-dir", type=Path, default=Path("build/gettext"),
                        help="folder of POT files (default: build/gettext)")
    parser.add_argument("--locales-dir", type=Path, default=Path("locales"),
                        help="folder of locale folders (default: locales)")
    parser.add_argument("--source", type=Path, default=Path("source"),
                        help="source articles, for X-Source-Hash (default: source)")
    parser.add_argument("--locales", default="",
                        help="space-separated subset of locales (default: every folder)")
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="rich table (default) or JSON")
    parser.add_argument("--all", action="store_true", help="list unchanged pages too")
    parser.add_argument("--no-prefill", dest="prefill", action="store_false",
                        help="leave new entries empty (no translation-memory pre-fill)")


def run(args: argparse.Namespace) -> int:
    settings = catalog_settings(load_config(args.locales_dir))
    try:
        report = update_catalogs(args.pot_dir, args.locales_dir, args.locales.split() or None,
                                 source_dir=args.source, settings=settings,
                                 prefill=args.prefill)
    except (UpdateUsageError, LockTimeout) as error:
        print(f"helpsite update-po: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(report_json(report))
    else:
        for finding in report.findings:
            print(finding.format(), file=sys.stderr)
        if report.stopped:
            print("helpsite update-po: stopped before writing anything; fix the files above "
                  "and run again", file=sys.stderr)
        else:
            print_report(report, make_console(), all_pages=args.all)
    return 1 if report.findings else 0
