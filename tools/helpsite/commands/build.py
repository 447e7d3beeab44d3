"""``helpsite build``: build the help site of every locale (one Sphinx build per locale)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from helpsite.sitebuild.chooser import write_chooser
from helpsite.sitebuild.plan import make_plan
from helpsite.sitebuild.runner import LocaleResult, run_locale
from helpsite.sphinx.locales import output_folder

EPILOG = """examples:
  helpsite build                                   every locale of conf.py
  helpsite build --locales "nl-NL de-DE"           a subset
  helpsite build --source ../shared/corpus/alchemy/nl-NL --source-locale nl-NL \\
      --out build/corpus-nl -D "exclude_patterns=includes/*"
                                                   another folder of articles, as a
                                                   site in its own language
The site of each locale goes to OUT/html/<tag in lowercase>/ (en-us, nl-nl); OUT/html/
index.html sends readers to the locale their browser asks for."""


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="build the HTML site of every locale",
        description="Build the HTML help site of every configured locale: one Sphinx "
                    "build per locale from the source articles and the catalogs in "
                    "locales/<tag>/LC_MESSAGES/, then the language chooser at the root.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conf-dir", type=Path, default=Path("."),
                        help="folder holding conf.py (default: .)")
    parser.add_argument("--source", type=Path, default=Path("source"),
                        help="folder of source articles (default: source/)")
    parser.add_argument("--out", type=Path, default=Path("build"),
                        help="output folder; sites go to OUT/html/<locale>/ (default: build/)")
    parser.add_argument("--locales", default="",
                        help='space-separated subset of the configured locales, e.g. '
                             '"nl-NL de-DE" (default: all)')
    parser.add_argument("--source-locale", metavar="TAG",
                        help="language of the articles in --source, for another source tree "
                             "(e.g. nl-NL); the site then has no target locales unless "
                             "--locales names some")
    parser.add_argument("--base-url", help="public URL of the site root (overrides "
                                           "helpsite_base_url of conf.py)")
    parser.add_argument("-D", "--define", action="append", default=[], metavar="NAME=VALUE",
                        help="override a conf.py setting for every locale (repeatable)")
    parser.add_argument("--strict", action="store_true",
                        help="treat warnings as errors (sphinx-build -W)")
    parser.add_argument("--fresh", action="store_true",
                        help="ignore the saved environments and read every article again")
    parser.add_argument("-j", "--jobs", type=int, default=1,
                        help="Sphinx processes per locale build (default: 1)")


def _summary(results: list[LocaleResult], html_root: Path) -> Table:
    table = Table(title="helpsite build")
    for column in ("locale", "pages", "warnings", "seconds", "site"):
        table.add_column(column, justify="right" if column in ("pages", "seconds") else "left")
    for result in results:
        status = "[green]0[/]" if not result.problems else f"[yellow]{len(result.problems)}[/]"
        if not result.ok:
            status = f"[red]failed ({result.returncode})[/]"
        table.add_row(result.tag, str(result.pages), status, f"{result.seconds:.1f}",
                      str(html_root / output_folder(result.tag)))
    return table


def run(args: argparse.Namespace) -> int:
    plan = make_plan(
        args.conf_dir, args.source, args.out, locales=args.locales,
        source_locale=args.source_locale, base_url=args.base_url, defines=args.define,
        strict=args.strict, fresh=args.fresh, jobs=args.jobs,
    )
    console = Console(stderr=True)
    results: list[LocaleResult] = []
    for build in plan.builds:
        with console.status(f"Building {build.tag} into {build.html_dir} …"):
            result = run_locale(plan, build)
        results.append(result)
        if not result.ok or result.problems:
            sys.stderr.write("\n".join(result.problems) + "\n")
        mark = "[green]✓[/]" if result.ok else "[red]✗[/]"
        console.print(f"{mark} {build.tag}: {result.pages} pages, "
                      f"{len(result.problems)} warning(s), {result.seconds:.1f} s")
    chooser = write_chooser(plan.html_root, plan.configured, plan.project)
    console.print(_summary(results, plan.html_root))
    if chooser:
        console.print(f"Language chooser: {chooser}")
    return 0 if all(r.ok for r in results) else 1

