"""``helpsite handoff``: translation batches for translators and vendors.

Subcommands, each declared by its own ``_add_<name>`` function and run by its own
``_run_<name>`` (registered in :data:`RUNNERS`), so each stays one small block:

* ``analyse`` - word counts by translation memory match band (:mod:`helpsite.handoff.analysis`)
* ``export`` - one package per locale, XLIFF 2.0/1.2 or PO (:mod:`helpsite.handoff.package`)
* ``import`` - a returned package merged into the article catalogs (the same module)
* ``memory`` - each locale's translation memory as TMX (:mod:`helpsite.handoff.tmx`)
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
  100%         the same text is translated elsewhere (update-po pre-fills it: as
               translated when the memory is unambiguous, else as fuzzy; both are
               100% here, as CAT tools count them)
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
    from helpsite.files import write_atomic
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


EXPORT_DESCRIPTION = """\
Write, per locale, one package of what needs translation now: new, fuzzy, and the
translated messages of articles whose source changed since they were complete (stale).
Each unit carries its article, heading, the neighbouring source sentences, the notes of
the catalog, and up to three translation-memory matches (XLIFF 2 <mtc:matches>, XLIFF 1.2
<alt-trans>). Formats: XLIFF 2.0 (default, <locale>.xlf), XLIFF 1.2 (--xliff-version 1.2,
<locale>.xliff), or one PO per locale (--format po, <locale>.po; msgctxt names the
article). --merged writes every message (one catalog per language, for Weblate or
Crowdin), split back by 'helpsite handoff import'. The catalogs are only read.
Exit status: 0 written, 1 unreadable catalogs (reported, left out), 2 bad usage.
"""

IMPORT_DESCRIPTION = """\
Merge returned packages (XLIFF 2.0, 1.2 or PO, as exported) into
locales/<tag>/LC_MESSAGES/**/*.po. Nothing is lost: a translation edited in the catalog
since the export is a conflict (handoff.conflict), and both are kept (the confirmed one as
the translation, the other in a '# handoff conflict' comment); a unit whose source text is
gone is kept as an obsolete '#~' entry. The translations that would be published get
check-po's QA first; a QA error, or a package or catalog that does not parse, stops the
run before anything is written. Each catalog touched records the handoff date (the day of
the export) as X-Meta-ms.lasthandoff. Files are written atomically, under the lock.
Exit status: 0 imported, 1 errors (nothing written), 2 bad usage.
"""


def _iso_date(text: str) -> str:
    import datetime

    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-05-04") from None


def _add_export(handoff: argparse._SubParsersAction) -> None:
    parser = handoff.add_parser(
        "export", help="one package per locale of what needs translation (XLIFF or PO)",
        description=EXPORT_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_common(parser)
    parser.add_argument("--out", type=Path, default=Path("build/handoff"),
                        help="folder for the packages (default: build/handoff)")
    parser.add_argument("--format", choices=["xliff", "po"], default=None,
                        help="XLIFF (the default) or one PO per locale (the default of "
                             "--merged)")
    parser.add_argument("--xliff-version", choices=["2.0", "1.2"], default="2.0",
                        help="XLIFF 2.0 (default) or 1.2 for tools that need it")
    parser.add_argument("--merged", action="store_true",
                        help="every message, not only those needing translation")
    parser.add_argument("--source-language", default="en",
                        help="language of the source articles (default: en)")
    parser.add_argument("--date", default=None, type=_iso_date,
                        help="handoff date, YYYY-MM-DD (default: today)")
    parser.add_argument("--no-tm", action="store_true",
                        help="leave out the translation-memory matches")
    parser.set_defaults(handoff_run="export")


def _run_export(args: argparse.Namespace) -> int:
    from helpsite.handoff.memory import memory_from_catalogs
    from helpsite.handoff.package import export_packages

    chosen = args.format or ("po" if args.merged else "xliff")
    fmt = "po" if chosen == "po" else "xliff2" if args.xliff_version == "2.0" else "xliff12"
    results, findings = export_packages(
        args.locales_dir, args.out, locales=args.locales.split() or None,
        source_dir=args.source, fmt=fmt, merged=args.merged,
        source_language=args.source_language, date=args.date,
        memory_for=None if args.no_tm else (
            lambda tag: memory_from_catalogs(args.locales_dir, tag)))
    for finding in findings:
        print(finding.format(), file=sys.stderr)
    for result in results:
        print(f"{result.path}: {result.units} message(s) of {result.articles} article(s)"
              if result.units else f"{result.locale}: nothing to translate, no package")
    return 1 if findings else 0


def _add_import(handoff: argparse._SubParsersAction) -> None:
    parser = handoff.add_parser(
        "import", help="merge returned packages into the catalogs (nothing lost)",
        description=IMPORT_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("packages", nargs="+", type=Path, help="returned package files")
    parser.add_argument("--locales-dir", type=Path, default=Path("locales"),
                        help="folder of locale folders (default: locales)")
    parser.add_argument("--source", type=Path, default=Path("source"),
                        help="source articles, for X-Source-Hash (default: source)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--suppress", action="append", default=[], metavar="CODE",
                        help="switch off a finding code or group (repeatable)")
    parser.set_defaults(handoff_run="import")


def _run_import(args: argparse.Namespace) -> int:
    import json

    from helpsite.catalogs.settings import catalog_settings
    from helpsite.config import load_config
    from helpsite.handoff.package import import_package

    missing = [p for p in args.packages if not p.is_file()]
    if missing:
        print(f"helpsite handoff import: no such package: {missing[0]}", file=sys.stderr)
        return 2
    config = load_config(args.locales_dir)
    reports = [import_package(path, args.locales_dir, source_dir=args.source,
                              settings=catalog_settings(config),
                              suppress=[*config.suppress, *args.suppress])
               for path in args.packages]
    if args.format == "json":
        print(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2))
    for report, path in zip(reports, args.packages, strict=True):
        for finding in report.findings if args.format == "text" else []:
            print(finding.format(), file=sys.stderr)
        state = "stopped, nothing written" if report.stopped else (
            f"{report.applied} applied, {report.unchanged} unchanged, {report.conflicts} "
            f"conflict(s), {report.kept_obsolete} kept obsolete, "
            f"{len(report.written)} catalog(s) written")
        print(f"{path}: {state}", file=sys.stderr)
    return 1 if any(r.stopped for r in reports) else 0


MEMORY_DESCRIPTION = """\
Write each locale's translation memory (every confirmed translation of its catalogs:
translated, not fuzzy, obsolete ones included) as TMX 1.4b, <out>/<locale>.tmx, for
other tools: a vendor's CAT tool, Weblate's translation memory import. helpsite itself
rebuilds the memory from the catalogs whenever it needs it (update-po, analyse, export),
so there is no file to keep in sync. Exit status: 0 written, 1 unreadable catalogs
(reported, left out), 2 bad usage.
"""


def _add_memory(handoff: argparse._SubParsersAction) -> None:
    parser = handoff.add_parser(
        "memory", help="write each locale's translation memory as TMX (for other tools)",
        description=MEMORY_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--locales-dir", type=Path, default=Path("locales"),
                        help="folder of locale folders (default: locales)")
    parser.add_argument("--locales", default="",
                        help="space-separated subset of locales (default: every folder)")
    parser.add_argument("--out", type=Path, default=Path("build/handoff"),
                        help="folder for <locale>.tmx (default: build/handoff)")
    parser.set_defaults(handoff_run="memory")


def _run_memory(args: argparse.Namespace) -> int:
    from helpsite.handoff.memory import memory_from_catalogs
    from helpsite.handoff.tmx import write_tmx
    from helpsite.locales import locale_folders

    failed = False
    for tag in locale_folders(args.locales_dir, args.locales.split() or None):
        memory = memory_from_catalogs(args.locales_dir, tag, base=Path.cwd())
        for finding in memory.findings:
            print(finding.format(), file=sys.stderr)
        failed = failed or bool(memory.findings)
        write_tmx(memory, args.out / f"{tag}.tmx")
        print(f"{args.out / f'{tag}.tmx'}: {len(memory)} translation units", file=sys.stderr)
    return 1 if failed else 0


RUNNERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "analyse": _run_analyse,
    "export": _run_export,
    "import": _run_import,
    "memory": _run_memory,
}


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="translation handoff: analysis, export and import of batches",
        description=HANDOFF_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    handoff = parser.add_subparsers(dest="handoff_command", metavar="SUBCOMMAND", required=True)
    _add_analyse(handoff)
    _add_export(handoff)
    _add_import(handoff)
    _add_memory(handoff)


def run(args: argparse.Namespace) -> int:
    return RUNNERS[args.handoff_run](args)
