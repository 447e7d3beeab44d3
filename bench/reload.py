"""``make bench-reload``: how long the live preview makes a writer wait after a save.

On the real nl-NL articles (imported once from ``../shared/corpus/alchemy-sxs`` by
``bench/build.py``'s functions), it drives ``helpsite serve --watch``'s own
:class:`~helpsite.sitebuild.watch.Rebuilder` through catalog saves and times, from the
start of each rebuild:

- *reload*: until the preview tells the open pages to reload (``on_rebuilt``);
- *indexed*: until the rebuild is over, its Pagefind index included.

Two ways, in the same run: *deferred* (what the preview does: the pages are shown, then
indexed, ``-D helpsite_search_deferred=1``) and *inline* (the index made inside the
build, as ``make html`` makes it). It prints the medians and their ratio.

    python -m bench.reload [--locale nl-NL] [--rounds 5]
"""

from __future__ import annotations

import argparse
import io
import itertools
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from helpsite.console import make_console
from helpsite.sitebuild import watch
from rich.console import Console
from rich.table import Table

from bench.build import (
    CORPUS_CONF,
    Project,
    copy_project,
    docnames,
    edit_catalog_entry,
    ensure_corpus,
)
from bench.data import SXS_CORPUS, corpus_dir

MODES = {"deferred": watch.DEFER_INDEX, "inline": "helpsite_search_deferred=0"}


@dataclass
class Waits:
    reload: list[float] = field(default_factory=list)
    indexed: list[float] = field(default_factory=list)


def prepare_project(sxs: Path, bench_dir: Path, tag: str, console: Console) -> Project:
    """English and ``tag``, every article, imported once."""
    imported = bench_dir / f"reload-corpus-{tag}"
    ensure_corpus(sxs, imported, console, locales=(tag,))
    return copy_project(imported, bench_dir / "reload-project", None, ["en-US", tag],
                        CORPUS_CONF.format(locales=[tag]))


def the_catalog(project: Project, tag: str) -> Path:
    """The catalog the benchmark saves: the largest, a long article's."""
    catalogs = (project.locales / tag / "LC_MESSAGES").glob("*.po")
    return max(catalogs, key=lambda path: path.stat().st_size)


def measure(project: Project, tag: str, mode: str, rounds: int, saves: Iterator[int],
            say: Console) -> Waits:
    """``saves``: the numbers the saves write into the catalog, none used before (a save
    that wrote the text an earlier one left would change no page, and nothing would be
    indexed again)."""
    reloaded: list[float] = []
    settings = watch.WatchSettings(project.root, project.source, project.root / f"out-{mode}",
                                   locales=tag)
    rebuilder = watch.Rebuilder(settings, Console(file=io.StringIO()),
                                lambda folders: reloaded.append(time.monotonic()))
    waits = Waits()
    # The define the preview's plan adds, swapped for the inline way.
    with mock.patch.object(watch, "DEFER_INDEX", MODES[mode]):
        say.print(f"[dim]{mode}: first build of {tag} …[/]")
        rebuilder.rebuild({watch.EVERY_LOCALE})
        catalog = the_catalog(project, tag)
        for number in range(1, rounds + 1):
            edit_catalog_entry(catalog, next(saves))
            reloaded.clear()
            started = time.monotonic()
            [result] = rebuilder.rebuild({tag})
            if not (result.ok and reloaded):
                raise SystemExit(f"the {mode} rebuild of {tag} failed ({result.returncode})")
            waits.reload.append(reloaded[0] - started)
            waits.indexed.append(time.monotonic() - started)
            say.print(f"[dim]{mode} save {number}/{rounds}: reload after "
                      f"{waits.reload[-1]:.2f} s, indexed after {waits.indexed[-1]:.2f} s[/]")
    return waits


def report(waits: dict[str, Waits], tag: str, articles: int, rounds: int,
           console: Console) -> None:
    table = Table(title=f"Live preview, a catalog save of {tag} ({articles} articles), "
                        f"median of {rounds} saves")
    for column in ("index", "save → reload s", "save → indexed s"):
        table.add_column(column, justify="left" if column == "index" else "right")
    for mode, measured in waits.items():
        table.add_row(mode, f"{statistics.median(measured.reload):.2f}",
                      f"{statistics.median(measured.indexed):.2f}")
    console.print(table)
    ratio = (statistics.median(waits["inline"].reload)
             / statistics.median(waits["deferred"].reload))
    console.print(f"The deferred index shows the rebuilt pages {ratio:.1f}× sooner.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reload",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--locale", default="nl-NL", help="sxs locale (default: nl-NL)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="catalog saves timed in each way (default: 5)")
    parser.add_argument("--sxs", type=Path, default=corpus_dir(SXS_CORPUS),
                        help="the side-by-side corpus, one folder per locale")
    parser.add_argument("--bench-dir", type=Path, default=Path("build/bench"),
                        help="work folder (default: build/bench)")
    args = parser.parse_args(argv)
    console = make_console()
    project = prepare_project(args.sxs.resolve(), args.bench_dir.resolve(), args.locale,
                              console)
    # Seconds since the epoch: later runs start above the numbers of earlier ones.
    saves = itertools.count(int(time.time()))
    waits = {mode: measure(project, args.locale, mode, args.rounds, saves, console)
             for mode in MODES}
    articles = len(docnames(project.source))
    report(waits, args.locale, articles, args.rounds, console)
    return 0


if __name__ == "__main__":
    sys.exit(main())
