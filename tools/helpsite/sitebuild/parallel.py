"""Build several locales at once: one Sphinx process per locale, ``parallel`` at a time.

Locale builds share nothing but the sources, so they scale with the number of cores;
Sphinx's own ``-j`` (parallel reading and writing inside one locale) pays only when there
are more cores than locales being built — :func:`sphinx_jobs` gives it the cores the
locale processes leave idle.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed

from helpsite.sitebuild.localeprocess import (
    LocaleCheck,
    LocaleResult,
    ProgressSink,
    locale_inputs,
    run_locale,
    up_to_date,
)
from helpsite.sitebuild.plan import BuildPlan, LocaleBuild
from helpsite.sitebuild.stamp import Listings, site_pages


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def sphinx_jobs(parallel: int, locales: int, cpus: int | None = None) -> int:
    """Sphinx processes per locale when ``-j auto``: the cores left over by running
    ``min(parallel, locales)`` locale builds side by side (1 when none are left)."""
    cpus = cpus or cpu_count()
    running = max(1, min(parallel, locales))
    return max(1, cpus // running)


def run_builds(plan: BuildPlan, progress: ProgressSink | None = None,
               on_done: Callable[[LocaleResult], None] | None = None,
               listings: Listings | None = None,
               after_start: Callable[[], object] | None = None) -> list[LocaleResult]:
    """Build every locale of the plan that is not up to date, at most ``plan.parallel``
    at once; results in the plan's order.

    A locale whose inputs changed starts as soon as that is known; for the others,
    whether their site is as their last build left it (a stat per page) is checked while
    those build, so up-to-date locales neither delay the builds nor hold a place in the
    pool. ``after_start`` runs once the builds known to be needed have started (work of
    the caller that can wait, such as the translation-status page)."""
    listings = listings or Listings()
    results: dict[str, LocaleResult] = {}
    started = time.monotonic()
    workers = max(1, min(plan.parallel, len(plan.builds)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="locale") as pool:
        def start(build: LocaleBuild, inputs: str) -> Future[LocaleResult]:
            return pool.submit(run_locale, plan, build, progress, LocaleCheck(inputs, None))

        futures, unchanged = [], []
        for build in plan.builds:
            inputs, same = locale_inputs(plan, build, listings)
            if same:
                unchanged.append((build, inputs))
            else:
                futures.append(start(build, inputs))
        if after_start is not None:
            after_start()
        for build, inputs in unchanged:
            pages = site_pages(build)
            if pages is None:
                futures.append(start(build, inputs))
                continue
            result = results[build.tag] = up_to_date(build, pages, time.monotonic() - started)
            if progress is not None:
                progress(build.tag, "up to date", 1.0)
            if on_done is not None:
                on_done(result)
        for future in as_completed(futures):
            result = future.result()
            results[result.tag] = result
            if on_done is not None:
                on_done(result)
    return [results[build.tag] for build in plan.builds]
