"""``helpsite validate [PATH...]``: check help articles before they are built or translated."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from helpsite.config import load_config
from helpsite.findings import has_errors, summary_line, to_json, unknown_suppressions
from helpsite.validation import (
    PARALLEL_THRESHOLD,
    ProgressCallback,
    default_jobs,
    validate_paths,
)

DESCRIPTION = """\
Check help articles: front matter (YAML safety, required keys, types, dates, locales,
misspelled keys), body (one H1, heading order, relative links and images, unsafe
links and HTML, run-in step numbers) and the set as a whole (shared help IDs, duplicate
titles, file names). One line per finding: path:line:col: severity code: message.
Exit status: 0 no errors, 1 errors found, 2 bad usage or configuration.
"""

EPILOG = """\
Codes are listed in docs/finding-codes.md; switch one off (or a whole group such as
'html') with --suppress or with suppress = [...] under [tool.helpsite] in pyproject.toml.
Examples:
  helpsite validate                          # everything under source/
  helpsite validate source/billing --strict  # warnings count as errors
  helpsite validate --format json > findings.json
"""


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="check articles (front matter, links, steps, HTML)",
        description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("source")],
                        help="files or folders to check (default: source/)")
    parser.add_argument("--format", choices=["text", "json"], default="text",
                        help="text lines (default) or a JSON list of findings with the keys "
                             "path, line, column, severity, code, message")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--suppress", action="append", default=[], metavar="CODE",
                        help="switch off a finding code or group (repeatable); adds to "
                             "[tool.helpsite] suppress in pyproject.toml")
    parser.add_argument("--jobs", "-j", type=int, default=default_jobs(), metavar="N",
                        help=f"worker processes for large sets (default: {default_jobs()}, "
                             "one less than the CPUs, at most 4; sets under "
                             f"{PARALLEL_THRESHOLD} files are checked in one process)")
    parser.add_argument("--root", type=Path, default=None,
                        help="the source tree relative links must stay inside (default: the "
                             "nearest folder holding conf.py, docfx.json, or index.md next "
                             "to conf.py; else the folder given)")


@contextmanager
def progress_display(enabled: bool) -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr while files are checked; nothing when stderr is not a tty."""
    if not enabled:
        yield None
        return
    columns = (TextColumn("validating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # No refresh thread: worker processes are forked, which is only safe without threads.
    with Progress(*columns, console=Console(stderr=True), transient=True,
                  auto_refresh=False) as progress:
        task = progress.add_task("validate", total=None)

        def advance(done: int, total: int, _file: Path) -> None:
            progress.update(task, completed=done, total=total)
            if done == total or done % 25 == 0:
                progress.refresh()

        yield advance


def run(args: argparse.Namespace) -> int:
    missing = [p for p in [*args.paths, *([args.root] if args.root else [])] if not p.exists()]
    if missing:
        print(f"helpsite validate: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    config = load_config(args.paths[0])
    suppress = [*config.suppress, *args.suppress]
    for name in unknown_suppressions(suppress):
        print(f"helpsite validate: warning: '{name}' in suppress is not a finding code "
              "(see docs/finding-codes.md)", file=sys.stderr)
    with progress_display(sys.stderr.isatty()) as on_progress:
        report = validate_paths(args.paths, suppress=suppress, strict=args.strict,
                                root=args.root, jobs=args.jobs, on_progress=on_progress)
    if args.format == "json":
        print(to_json(report.findings))
    else:
        for finding in report.findings:
            print(finding.format())
        print(summary_line(report.findings, report.files_checked), file=sys.stderr)
    return 1 if has_errors(report.findings) else 0
