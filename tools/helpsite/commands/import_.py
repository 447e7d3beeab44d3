"""``helpsite import``: bring existing translations into catalogs (sxs files, Markdown trees)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from helpsite.console import make_console
from helpsite.findings import has_errors
from helpsite.importers.inputs import read_markdown_trees, read_sxs_folder
from helpsite.importers.pipeline import ImportReport, run_import
from helpsite.locales import LocaleError, check_tag

DESCRIPTION = """\
Import existing translations into a helpsite project: the source articles go to
OUT/source/, the translations to OUT/locales/<tag>/LC_MESSAGES/<docname>.po, one
catalog per article at exactly the messages the build translates.

  helpsite import sxs DIR --locale nl-NL --out OUT
      DIR is a folder of DocFX side-by-side files (a localized repository's sxs branch).
  helpsite import markdown --source EN_DIR --translated NL_DIR --locale nl-NL --out OUT
      Pairs each translated article with the source article of the same path and
      aligns them block by block; blocks that do not line up are reported with both
      line numbers and left untranslated.

Importing again is safe: unchanged input changes no file, and a translation edited in
a PO file since the last import is kept (and reported). Importing a second locale into
the same OUT keeps the source articles already there and reports those that differ.
Exit status: 0 imported, 1 errors (nothing written), 2 bad usage.
"""


def locale_tag(value: str) -> str:
    """``nl-NL``, ``nl_nl`` -> ``nl-NL``; anything without a region is refused (the one
    check of every command, :func:`helpsite.locales.check_tag`)."""
    try:
        return check_tag(value)
    except LocaleError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--locale", required=True, type=locale_tag,
                        help="BCP 47 tag of the translation (nl-NL)")
    parser.add_argument("--out", required=True, type=Path,
                        help="project folder to import into (source/ and locales/ in it)")
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="text (findings and a summary table) or one JSON report")
    parser.add_argument("--skip-invalid", action="store_true",
                        help="leave out articles that cannot be read instead of stopping")
    parser.add_argument("--dry-run", action="store_true",
                        help="report what would be imported; write nothing")
    parser.add_argument("--conf-dir", type=Path, default=None,
                        help="folder of a conf.py whose MyST settings decide the messages "
                             "(default: helpsite's own Sphinx setup)")


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="import existing translations (sxs files, localized Markdown)",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = parser.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    sxs = kinds.add_parser("sxs", help="a folder of DocFX side-by-side files",
                           description="Import a folder of side-by-side (sxs) files.")
    sxs.add_argument("folder", type=Path, help="folder of sxs .md files")
    _common(sxs)
    markdown = kinds.add_parser(
        "markdown", help="a source tree and a localized tree of Markdown articles",
        description="Align each localized article with its source article and import it.")
    markdown.add_argument("--source", required=True, type=Path, help="source articles")
    markdown.add_argument("--translated", required=True, type=Path,
                          help="localized articles, same paths as in --source")
    _common(markdown)


class RichProgress:
    """The import's phases as rich progress bars (on stderr, only on a terminal)."""

    def __init__(self, console: Console) -> None:
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                            MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                            transient=True, disable=not console.is_terminal)
        self.task: int | None = None

    def __enter__(self) -> RichProgress:
        self.bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(None, None, None)

    def phase(self, name: str, total: int) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=self.bar.tasks[self.task].total)
        self.task = self.bar.add_task(name, total=total)

    def advance(self, count: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, count)


def print_report(report: ImportReport, output: str) -> None:
    if output == "json":
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    for finding in report.findings:
        print(finding.format())
    console = make_console(stderr=True)
    if report.stopped:
        console.print("[red]Nothing was written[/red]: fix the errors above, or rerun with "
                      "--skip-invalid to leave those articles out.")
        return
    table = Table(title=f"Import into {report.out} ({report.locale})", show_header=False)
    totals = report.totals
    share = totals["translated"] / totals["messages"] if totals["messages"] else 0.0
    rows = [
        ("articles", f"{totals['articles']:,}"),
        ("messages", f"{totals['messages']:,}"),
        ("translated", f"{totals['translated']:,} ({share:.1%})"),
        ("mismatches (left untranslated)", f"{totals['mismatches']:,}"),
        ("edits kept (conflicts)", f"{totals['conflicts']:,}"),
        ("source differs from the one kept", f"{totals['sources_differ']:,}"),
        ("  their messages kept fuzzy / obsolete",
         f"{totals['messages_fuzzy']:,} / {totals['messages_obsolete']:,}"),
        ("articles skipped", f"{totals['skipped']:,}"),
        ("files written", f"{totals['files_written']:,}"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)


def run(args: argparse.Namespace) -> int:
    folders = [args.folder] if args.import_kind == "sxs" else [args.source, args.translated]
    for folder in folders:
        if not folder.is_dir():
            print(f"helpsite import: no such folder: {folder}", file=sys.stderr)
            return 2
    data = (read_sxs_folder(args.folder) if args.import_kind == "sxs"
            else read_markdown_trees(args.source, args.translated))
    with RichProgress(Console(stderr=True)) as progress:
        report = run_import(data, locale=args.locale, out=args.out,
                            skip_invalid=args.skip_invalid, conf_dir=args.conf_dir,
                            progress=progress, dry_run=args.dry_run)
    print_report(report, args.format)
    return 1 if report.stopped or has_errors(report.findings) else 0
