"""``helpsite handoff``: translation batches for translators and vendors.

Subcommands, each declared by its own ``_add_<name>`` function and run by its own
``_run_<name>`` (registered in :data:`RUNNERS`), so each stays one small block:

* ``analyse`` - word counts by translation memory match band (:mod:`helpsite.handoff.analysis`)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from helpsite.console import make_console

HANDOFF_DESCRIPTION = """\
Translation batches for translators and vendors: what needs translation now, what it
costs against the translation memory, and the packages exchanged with them.
Run 'helpsite handoff SUBCOMMAND --help' for the options of one.
"""

ANALYSE_DESCRIPTION = """\
What the next translation batch costs: the source words of every message that needs a
translator now (new, fuzzy, and translated messages of pages whose source changed since
they were complete), per locale and per article, by match band against the locale's
translation memory (its confirmed translations):

  repetitions  a text met earlier in the same batch (paid once)
  100%         the same text is translated elsewhere (update-po pre-fills it)
  95-99%, 85-94%, 75-84%   fuzzy matches (pre-filled as fuzzy, a translator confirms)
  no match     translated from scratch

Prints a table and writes analysis.json, analysis.csv and analysis.html (a chart, no
script) into --out. Exit status: 0 done, 1 unreadable catalogs (reported, left out),
2 bad usage.
"""


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--locales-dir", type=Path, default=Path("locales"),
                        help="folder of locale folders (default: locales)")
    parser.add_argument("--pot-dir", type=Path, default=Path("build/gettext"),
                        help="POT files from 'make gettext' (default: build/gettext)")
    parser.add_argument("--source", type=Path, default=Path("source"),
                        help="source articles, for staleness (default: source)")
    parser.add_argument("--locales", default="",
                        help="space-separated subset of locales (default: every folder)")


def _add_analyse(handoff: argparse._SubParsersAction) -> None:
    parser = handoff.add_parser(
        "analyse", aliases=["analyze"], help="word counts by translation memory match band",
        description=ANALYSE_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_common(parser)
    parser.add_argument("--out", type=Path, default=Path("build/handoff"),
                        help="folder for analysis.json, .csv and .html (default: build/handoff)")
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="what to print: a rich table (default) or the JSON")
    parser.add_argument("--pages", action="store_true",
                        help="print the table per article too (the files always have it)")
    parser.set_defaults(handoff_run="analyse")


def _run_analyse(args: argparse.Namespace) -> int:
    from helpsite.catalogs.atomic import write_atomic
    from helpsite.handoff.analysis import (
        analyse,
        analysis_csv,
        analysis_html,
        analysis_json,
        print_analysis,
    )

    report = analyse(args.locales_dir, args.locales.split() or None, pot_dir=args.pot_dir,
                     source_dir=args.source, base=Path.cwd())
    for finding in report.findings:
        print(finding.format(), file=sys.stderr)
    if args.format == "json":
        print(analysis_json(report), end="")
    else:
        print_analysis(report, make_console(), pages=args.pages)
    for name, text in (("analysis.json", analysis_json(report)),
                       ("analysis.csv", analysis_csv(report)),
                       ("analysis.html", analysis_html(report))):
        write_atomic(args.out / name, text.encode("utf-8"))
    print(f"written: {args.out}/analysis.json, .csv, .html", file=sys.stderr)
    return 1 if report.findings else 0


RUNNERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "analyse": _run_analyse,
}


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="translation handoff: analysis, export and import of batches",
        description=HANDOFF_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    handoff = parser.add_subparsers(dest="handoff_command", metavar="SUBCOMMAND", required=True)
    _add_analyse(handoff)


def run(args: argparse.Namespace) -> int:
    return RUNNERS[args.handoff_run](args)
