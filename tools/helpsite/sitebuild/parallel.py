"""Build several locales at once: one Sphinx process per locale, ``parallel`` at a time.

Locale builds share nothing but the sources, so they scale with the number of cores;
Sphinx's own ``-j`` (parallel reading and writing inside one locale) pays only when there
are more cores than locales being built — :func:`sphinx_jobs` gives it the cores the
locale processes leave idle.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed

from helpsite.sitebuild.plan import BuildPlan
from helpsite.sitebuild.runner import LocaleResult, ProgressSink, run_locale


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
               on_done: Callable[[LocaleResult], None] | None = None) -> list[LocaleResult]:
    """Build every locale of the plan, at most ``plan.parallel`` at once; results in the
    plan's order."""
    results: dict[str, LocaleResult] = {}
    workers = max(1, min(plan.parallel, len(plan.builds)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="locale") as pool:
        futures = [pool.submit(run_locale, plan, build, progress) for build in plan.builds]
        for future in as_completed(futures):
            result = future.result()
            results[result.tag] = result
            if on_done is not None:
                on_done(result)
    return [results[build.tag] for build in plan.builds]
