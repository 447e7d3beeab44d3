"""Rebuild on save for ``helpsite serve --watch``.

:func:`touched_locales` says which locales a saved file concerns: an article or a media
file under the source folder, or ``conf.py``, concerns every locale; a catalog
``locales/<tag>/LC_MESSAGES/**.po`` only its own. :class:`Rebuilder` builds them with the
machinery of ``helpsite build`` (:func:`~helpsite.sitebuild.parallel.run_builds`: a
locale whose inputs did not change is not built, Sphinx reads only the changed articles
of the others), one rebuild at a time: what is saved during a build waits for the next
one, which takes everything saved meanwhile. Build errors are printed and the server
goes on; the reload channel (:class:`~helpsite.sitebuild.serve.LiveReload`) hears of the
locale folders that got new pages.

The search index comes after the reload: Pagefind indexes a locale's 2,900 articles
again for any change (3–6 s a locale on the real corpus, see docs/building.md), so the
preview's builds leave it out (``-D helpsite_search_deferred=1``), the changed pages are
shown, and then :func:`index_folders` indexes the rebuilt folders, before the next
rebuild starts. Stopping the preview waits for it. A site built this way and left
unindexed (the preview killed) is never taken as up to date by ``helpsite build``: the
define is part of the command line its stamps compare, so that build runs Sphinx and
indexes.

:class:`Watcher` gets the saves from ``watchfiles`` (inotify and its kin, debounced: a
burst of saves is one change), recursively under the source and catalog folders, and
not recursively in the folder of ``conf.py`` (never into ``.venv`` or ``build``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import watchfiles
from rich.console import Console
from rich.markup import escape

from helpsite.config import ConfigError
from helpsite.locales import output_folder
from helpsite.sitebuild import stamp
from helpsite.sitebuild.buildrun import build_with_status
from helpsite.sitebuild.localeprocess import LocaleResult
from helpsite.sitebuild.parallel import cpu_count, sphinx_jobs
from helpsite.sitebuild.plan import BuildPlan, make_plan
from helpsite.sitebuild.siteroot import finish_site

EVERY_LOCALE = "*"  # in a set of touched locales: all of them (the plan says which)
CONF_NAME = "conf.py"
QUIET_MS = 150  # a change is passed on once nothing else changed for this long...
LONGEST_MS = 1600  # ...or after this long, when changes keep coming
DEFER_INDEX = "helpsite_search_deferred=1"
PAGEFIND_PAGE = 'data-engine="pagefind"'  # in a Pagefind site's search.html


@dataclass(frozen=True)
class WatchSettings:
    """What ``helpsite serve --watch`` builds: the ``helpsite build`` options it takes."""

    conf_dir: Path
    source_dir: Path
    out_dir: Path
    locales: str = ""  # a subset of the configured locales, "" for all
    parallel: int = 0  # locale builds at once, 0 for one per CPU

    @property
    def html_root(self) -> Path:
        return self.out_dir / "html"

    def plan(self, touched: set[str]) -> BuildPlan:
        """The plan of a rebuild of the ``touched`` locales (those of ``locales``)."""
        parallel = self.parallel if self.parallel > 0 else cpu_count()
        plan = make_plan(self.conf_dir, self.source_dir, self.out_dir, parallel=parallel,
                         locales=self.locales or None, defines=[DEFER_INDEX])
        if EVERY_LOCALE not in touched:
            folders = {output_folder(tag) for tag in touched}
            plan.builds = [b for b in plan.builds if output_folder(b.tag) in folders]
        plan.jobs = sphinx_jobs(parallel, len(plan.builds))
        return plan


def _within(path: Path, folder: Path | None) -> bool:
    return folder is not None and path.is_relative_to(folder)


def touched_locales(path: Path, settings: WatchSettings, catalog_root: Path | None,
                    configured: Iterable[str]) -> set[str]:
    """The locales a change of ``path`` calls for rebuilding (:data:`EVERY_LOCALE` for
    all of them; empty: none, the file is no input of the site)."""
    path = path.resolve()
    out_dir, source_dir = settings.out_dir.resolve(), settings.source_dir.resolve()
    if _within(path, out_dir):
        return set()  # what the builds write
    if path == (settings.conf_dir / CONF_NAME).resolve() or _within(path, source_dir):
        return {EVERY_LOCALE}
    if not _within(path, catalog_root) or path.suffix != ".po":
        return set()
    assert catalog_root is not None
    parts = path.relative_to(catalog_root).parts
    if len(parts) < 3 or parts[1] != "LC_MESSAGES":
        return set()
    return {tag for tag in configured if output_folder(tag) == parts[0].lower()}


def changed_folders(results: Iterable[LocaleResult]) -> list[str]:
    """The site folders a build wrote new pages into."""
    return [output_folder(r.tag) for r in results if r.ok and not r.up_to_date]


def uses_pagefind(folder: Path) -> bool:
    try:
        return PAGEFIND_PAGE in (folder / "search.html").read_text(encoding="utf-8")
    except OSError:
        return False


def index_folders(plan: BuildPlan, results: Iterable[LocaleResult], console: Console,
                  also_unchanged: bool = False) -> None:
    """Index the Pagefind sites a deferred build wrote new pages into (``also_unchanged``:
    and those it found up to date, whose index a preview stopped before it indexed may
    have left behind; the index is only made again where the articles differ from it).
    Each one's stamp then takes the index as part of the site. A failure is printed with
    the finding code a build gives it."""
    from helpsite.findings import Code
    from helpsite.search.pagefind import PagefindError, index_site

    builds = {build.tag: build for build in plan.builds}
    for result in results:
        folder = plan.html_root / output_folder(result.tag)
        wanted = result.ok and (also_unchanged or not result.up_to_date)
        if not (wanted and result.tag in builds and uses_pagefind(folder)):
            continue
        try:
            done = index_site(folder, result.tag)
        except PagefindError as error:
            console.print(f"[red]✗ {Code.BUILD_SEARCH_INDEX.code}:[/] {escape(str(error))}")
            continue
        stamp.refresh_outputs(builds[result.tag])
        if done.pages >= 0:
            console.print(f"[dim]Search index of {folder.name}: {done.pages} pages in "
                          f"{done.seconds:.1f} s[/]")


def _summary(result: LocaleResult) -> str:
    if result.up_to_date:
        return f"[green]✓[/] {result.tag}: up to date"
    if not result.ok:
        return f"[red]✗ {result.tag}: build failed ({result.returncode})[/] — the page " \
               "stays as it was; fix the problem above and save again"
    read = "" if result.read is None else f", {result.read} article(s) read"
    return (f"[green]✓[/] {result.tag}: rebuilt{read}, {len(result.problems)} warning(s), "
            f"{result.seconds:.1f} s")


class Rebuilder:
    """One rebuild at a time of the locales asked for; asked during a build, the next
    rebuild takes all that was asked meanwhile."""

    def __init__(self, settings: WatchSettings, console: Console,
                 on_rebuilt: Callable[[list[str]], None]) -> None:
        self.settings = settings
        self.console = console
        self.on_rebuilt = on_rebuilt
        self._wanted = threading.Condition()
        self._pending: set[str] = set()
        self._building = False
        self._indexed_once = False  # the first build also checks the up-to-date folders
        self._saved_while_building = False  # the pending saves came during a build
        self._stopped = False
        self._thread = threading.Thread(target=self._serve, name="rebuild", daemon=True)

    def start(self) -> Rebuilder:
        self._thread.start()
        return self

    def request(self, touched: set[str]) -> None:
        if not touched:
            return
        with self._wanted:
            self._pending |= touched
            self._saved_while_building |= self._building
            self._wanted.notify()

    def stop(self) -> None:
        with self._wanted:
            self._stopped = True
            self._wanted.notify()
        if self._thread.is_alive():
            self._thread.join(timeout=60)  # a build under way ends first: nothing half-written

    def _serve(self) -> None:
        while True:
            with self._wanted:
                self._wanted.wait_for(lambda: self._stopped or bool(self._pending))
                if self._stopped:
                    return
                touched, self._pending = self._pending, set()
                distrust, self._saved_while_building = self._saved_while_building, False
                self._building = True
            try:
                self.rebuild(touched, distrust_stamps=distrust)
            finally:
                with self._wanted:
                    self._building = False

    def rebuild(self, touched: set[str], distrust_stamps: bool = False) -> list[LocaleResult]:
        """Build the touched locales; problems are printed, never raised: the preview
        goes on with the pages of the last good build.

        ``distrust_stamps``: files were saved while the previous build ran. Its stamp
        holds the inputs as they were when it started, but Sphinx may have read a later
        save: an article added during that build and deleted again before this one would
        leave the inputs as stamped, and this build would be skipped as up to date with
        the deleted page still in the site's navigation and search. So Sphinx, which
        compares the files itself, decides for these locales."""
        try:
            return self._build(touched, distrust_stamps)
        except ConfigError as error:
            self.console.print(f"[red]✗ not rebuilt:[/] {escape(str(error))}")
        except Exception as error:  # a bug must not stop the preview; say what it was
            self.console.print(f"[red]✗ rebuild failed:[/] {escape(repr(error))}")
        return []

    def _build(self, touched: set[str], distrust_stamps: bool) -> list[LocaleResult]:
        started = time.monotonic()
        plan = self.settings.plan(touched)
        if distrust_stamps:
            for build in plan.builds:
                stamp.forget(build)
        results = self._run(plan) if plan.builds else []
        folders = changed_folders(results)
        if folders:
            self.on_rebuilt(folders)
            self.console.print(f"Reloading the pages of {', '.join(folders)} "
                               f"(rebuilt in {time.monotonic() - started:.1f} s)")
        index_folders(plan, results, self.console, also_unchanged=not self._indexed_once)
        self._indexed_once = True
        return results

    def _run(self, plan: BuildPlan) -> list[LocaleResult]:
        results, _ = build_with_status(plan, self.console, _summary)
        finish_site(plan.html_root, plan.configured, plan.project, plan.base_url)
        return results


class Watcher:
    """Saves under the site's inputs, passed to a :class:`Rebuilder` as touched
    locales."""

    def __init__(self, settings: WatchSettings, rebuilder: Rebuilder) -> None:
        self.settings = settings
        self.rebuilder = rebuilder
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> Watcher:
        plan = self.settings.plan({EVERY_LOCALE})
        trees = [p for p in (self.settings.source_dir, plan.catalog_root)
                 if p is not None and p.is_dir()]
        for paths, recursive in ((trees, True), ([self.settings.conf_dir], False)):
            if not paths:
                continue
            thread = threading.Thread(target=self._watch, args=(paths, recursive),
                                      name="watch", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)

    def _watch(self, paths: list[Path], recursive: bool) -> None:
        try:
            for changes in watchfiles.watch(*paths, recursive=recursive,
                                            stop_event=self._stop, step=QUIET_MS,
                                            debounce=LONGEST_MS, raise_interrupt=False):
                self.rebuilder.request(self.touched(path for _change, path in changes))
        except OSError as error:  # such as too many inotify watches: say so, keep serving
            self.rebuilder.console.print(
                f"[red]✗ not watching {', '.join(map(str, paths))}:[/] {escape(str(error))}")

    def touched(self, paths: Iterable[str]) -> set[str]:
        # the catalog folder and the locales as conf.py says now (it may just have changed)
        try:
            plan = self.settings.plan({EVERY_LOCALE})
        except ConfigError:
            return {EVERY_LOCALE}  # the rebuild reports what is wrong with conf.py
        touched: set[str] = set()
        for path in paths:
            touched |= touched_locales(Path(path), self.settings, plan.catalog_root,
                                       plan.configured)
        return touched
