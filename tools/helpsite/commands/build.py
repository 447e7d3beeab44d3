"""``helpsite build``: build the help site of every locale (one Sphinx build per locale,
several at once)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.table import Table

from helpsite.console import make_console
from helpsite.locales import output_folder
from helpsite.sitebuild.buildrun import build_with_status
from helpsite.sitebuild.defines import check_defines
from helpsite.sitebuild.localeprocess import LocaleResult
from helpsite.sitebuild.lock import build_lock
from helpsite.sitebuild.parallel import cpu_count, sphinx_jobs
from helpsite.sitebuild.plan import BuildPlan, make_plan
from helpsite.sitebuild.shards import write_manifest
from helpsite.sitebuild.siteroot import finish_site

EPILOG = """examples:
  helpsite build                                   every locale of conf.py
  helpsite build --locales "nl-NL de-DE"           a subset
  helpsite build --parallel 1                      one locale after the other
  helpsite build --locales "nl-NL" --shard-out shards/nl
                                                   one job of a CI matrix; assemble the
                                                   site with `helpsite merge`
  helpsite build --source ../shared/corpus/alchemy/nl-NL --source-locale nl-NL \\
      --out build/corpus-nl -D "exclude_patterns=includes/*"
                                                   another folder of articles, as a
                                                   site in its own language
The site of each locale goes to OUT/html/<tag in lowercase>/ (en-us, nl-nl); OUT/html/
index.html sends readers to the locale their browser asks for. A locale whose articles,
catalogs, configuration and site did not change since its last build is not built again."""


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="build the HTML site of every locale",
        description="Build the HTML help site of every configured locale: one Sphinx "
                    "build per locale from the source articles and the catalogs in "
                    "locales/<tag>/LC_MESSAGES/, several locales at once, then the "
                    "language chooser and the sitemap index at the root.",
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
    parser.add_argument("-p", "--parallel", type=int, default=0, metavar="N",
                        help="locales built at once (default: the number of CPUs, "
                             f"{cpu_count()} here)")
    parser.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                        help="Sphinx processes per locale (sphinx-build -j); default: the "
                             "CPUs the locale builds leave idle")
    parser.add_argument("--report", type=Path, metavar="FILE",
                        help="also write the results as JSON (per locale: pages, articles "
                             "read, warnings, seconds, CPU seconds, peak memory, whether it "
                             "ran in the process started ahead)")
    parser.add_argument("--shard-out", type=Path, metavar="DIR",
                        help="build a shard of the site into DIR (its locales and a "
                             "manifest, no root files) for `helpsite merge`; replaces --out")


def _summary(results: list[LocaleResult], html_root: Path) -> Table:
    table = Table(title="helpsite build")
    for column in ("locale", "pages", "read", "warnings", "seconds", "site"):
        table.add_column(column, justify="right" if column in ("pages", "read", "seconds")
                         else "left")
    for result in results:
        status = "[green]0[/]" if not result.problems else f"[yellow]{len(result.problems)}[/]"
        if result.page_failures and result.written:
            status = f"[red]{len(result.page_failures)} page(s) failed[/]"
        elif not result.ok:
            status = f"[red]failed ({result.returncode})[/]"
        read = "up to date" if result.up_to_date else (
            "?" if result.read is None else str(result.read))
        table.add_row(result.tag, str(result.pages), read, status, f"{result.seconds:.1f}",
                      str(html_root / output_folder(result.tag)))
    return table


def write_report(path: Path, results: list[LocaleResult]) -> None:
    rows = [{"locale": r.tag, "ok": r.ok, "pages": r.pages, "read": r.read,
             "up_to_date": r.up_to_date, "warnings": len(r.problems),
             "seconds": round(r.seconds, 3), "cpu_seconds": round(r.cpu_seconds, 3),
             "max_rss_kb": r.max_rss_kb,
             "page_failures": r.page_failures} for r in results]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"locales": rows}, indent=1) + "\n", encoding="utf-8")


def _line(result: LocaleResult) -> str:
    mark = "[green]✓[/]" if result.ok else "[red]✗[/]"
    if result.up_to_date:
        return f"{mark} {result.tag}: up to date ({result.pages} pages)"
    read = "" if result.read is None else f", {result.read} read"
    failed = f", {len(result.page_failures)} page(s) failed" if result.page_failures else ""
    if result.error_findings:
        failed += f", {len(result.error_findings)} error finding(s)"
    return (f"{mark} {result.tag}: {result.pages} pages{read}{failed}, "
            f"{len(result.problems)} warning(s), {result.seconds:.1f} s")


def run(args: argparse.Namespace) -> int:
    parallel = args.parallel if args.parallel > 0 else cpu_count()
    check_defines(args.conf_dir, args.define)  # a mistyped -D stops here, not per locale
    plan = make_plan(
        args.conf_dir, args.source, args.shard_out or args.out, locales=args.locales,
        source_locale=args.source_locale, base_url=args.base_url, defines=args.define,
        strict=args.strict, fresh=args.fresh, parallel=parallel,
    )
    # One build at a time into a folder: a second one waits, saying for which.
    with build_lock(plan.out_dir, say=lambda text: print(text, file=sys.stderr)):
        return _build(args, plan, parallel)


def _build(args: argparse.Namespace, plan: BuildPlan, parallel: int) -> int:
    """Build the locales of ``plan`` and the site root, the output folder locked."""
    plan.jobs = args.jobs if args.jobs > 0 else sphinx_jobs(parallel, len(plan.builds))
    console = make_console(stderr=True)
    results, status_pages = build_with_status(plan, console, _line)
    console.print(_summary(results, plan.html_root))
    if args.report:
        write_report(args.report, results)
    if status_pages:
        console.print(f"Translation status: {status_pages[0]} "
                      f"(one in each of {len(status_pages)} locale folder(s))")
    if args.shard_out:
        manifest = write_manifest(plan, [r.tag for r in results if r.written])
        console.print(f"Shard: {manifest.parent} (assemble with `helpsite merge`)")
    else:
        for path in finish_site(plan.html_root, plan.configured, plan.project, plan.base_url):
            console.print(f"Site root: {path}")
    # Exit 1 for a page left out or content refused (docs/security.md), the site written.
    return 0 if all(r.ok and not r.error_findings for r in results) else 1
