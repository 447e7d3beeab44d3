"""The locale builds of one plan as a command runs them: side by side, with the progress
display, each locale's problems printed as it ends, and the translation-status pages
filled beside them (:mod:`helpsite.sitebuild.statusjob`). ``helpsite build`` and the live
preview's rebuilds (:mod:`helpsite.sitebuild.watch`) both run their builds through it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from helpsite.sitebuild.display import LocaleProgress
from helpsite.sitebuild.localeprocess import LocaleResult
from helpsite.sitebuild.parallel import run_builds
from helpsite.sitebuild.plan import BuildPlan
from helpsite.sitebuild.stamp import Listings
from helpsite.sitebuild.statusjob import StatusJob


def build_with_status(plan: BuildPlan, console: Console,
                      describe: Callable[[LocaleResult], str]
                      ) -> tuple[list[LocaleResult], list[Path]]:
    """Every locale of ``plan`` built; ``describe`` is the line printed as one ends.
    Returns the results and the status pages filled."""
    # Coverage of every configured locale, filled into the status page of each locale
    # built (so every shard carries it, and a merge keeps it); computed beside the
    # builds, and only when catalogs or articles changed.
    listings = Listings()  # the trees every fingerprint covers, listed once
    status_job = StatusJob(plan, listings)
    with LocaleProgress(console, [b.tag for b in plan.builds]) as progress:
        def done(result: LocaleResult) -> None:
            if result.problems:
                sys.stderr.write("\n".join(result.problems) + "\n")
            progress.print(describe(result))

        results = run_builds(plan, progress, on_done=done, listings=listings,
                             after_start=status_job.start)
    return results, status_job.finish()
