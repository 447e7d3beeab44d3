"""``make bench-validate``: how long ``helpsite validate`` takes over each corpus locale.

Each run is the real command in a fresh process (imports and all). The median of the runs
is reported per locale, wall-clock and CPU seconds, with files per second, against the goal
docs/validating.md promises: a whole locale (about 3,000 articles) in under 10 seconds on a
2-core machine. The goal is judged on the CPU seconds: on a shared machine the wall-clock
time mostly measures the other work (the same run took 9 s of CPU and 17 s of wall-clock
time under a load of 8), while on an idle machine the default single worker's wall-clock
time is its CPU time.

A benchmark reports: it exits 0 when it measured, whether the goal was met or not (the
table and the last line say which); 2 when ``helpsite validate`` crashed or there is no
corpus. ``--fail-on-goal`` makes a missed goal exit 1, for a CI job on a machine of its own.

    python -m bench.validate [CORPUS] [--runs 3] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from helpsite.console import make_console
from helpsite.validation import default_jobs, iter_markdown_files, usable_cpus
from rich.console import Console
from rich.table import Table

from bench import goals
from bench.data import MARKDOWN_CORPUS, corpus_dir


@dataclass
class Timing:
    locale: str
    files: int
    runs: list[float]  # wall-clock seconds
    cpu: list[float]  # CPU seconds of the command and its worker processes
    exit_status: int

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def met(self) -> bool:
        return self.cpu_median < goals.VALIDATE_CPU_SECONDS

    @property
    def files_per_second(self) -> float:
        return self.files / self.median if self.median else 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_one_run(folder: Path, jobs: int) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of one ``helpsite validate`` over ``folder``, exit status.

    The CPU time shows how much work a run is when the machine is shared: wall-clock time
    then depends on what else is running.
    """
    command = [sys.executable, "-m", "helpsite", "validate", str(folder), "--format", "json",
               "--jobs", str(jobs)]
    cpu_before, start = _children_cpu(), time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            check=False)
    return time.perf_counter() - start, _children_cpu() - cpu_before, result.returncode


def time_locale(folder: Path, runs: int, jobs: int) -> Timing:
    files = sum(1 for _ in iter_markdown_files([folder]))
    seconds: list[float] = []
    cpu: list[float] = []
    status = 0
    for _ in range(runs):
        elapsed, used, status = time_one_run(folder, jobs)
        seconds.append(elapsed)
        cpu.append(used)
    return Timing(folder.name, files, seconds, cpu, status)


def report(timings: list[Timing], jobs: int, console: Console) -> Table:
    table = Table(title=f"helpsite validate, median of {len(timings[0].runs)} runs, "
                        f"--jobs {jobs} (goal: < {goals.VALIDATE_CPU_SECONDS:.0f} s of CPU "
                        "per locale)")
    for column in ("locale", "files", "median", "runs", "files/s", "CPU (median)", "goal"):
        table.add_column(column, justify="left" if column in ("locale", "runs") else "right")
    for timing in timings:
        table.add_row(
            timing.locale, f"{timing.files:,}", f"{timing.median:.2f} s",
            " / ".join(f"{s:.2f}" for s in timing.runs), f"{timing.files_per_second:,.0f}",
            f"{timing.cpu_median:.2f} s", "met" if timing.met else "MISSED",
        )
    console.print(table)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    console.print(f"{usable_cpus()} CPUs; load average at the end: {load:.2f} "
                  "(wall-clock times grow when other work shares the CPUs)", style="dim")
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.validate",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, nargs="?", default=corpus_dir(MARKDOWN_CORPUS),
                        help="folder holding one folder per locale (default: "
                             "../shared/corpus/alchemy, or under $HELPSITE_SHARED)")
    parser.add_argument("--runs", type=int, default=3, help="runs per locale (default: 3)")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="worker processes passed to helpsite validate (default: as "
                             "helpsite validate)")
    parser.add_argument("--fail-on-goal", action="store_true",
                        help="exit 1 when a locale misses the goal (default: report only)")
    args = parser.parse_args(argv)
    locales = sorted(p for p in args.corpus.iterdir() if p.is_dir()) if args.corpus.is_dir() \
        else []
    if not locales:
        print(f"bench-validate: no locale folders in {args.corpus}", file=sys.stderr)
        return 2
    console = make_console()
    timings = []
    for folder in locales:
        console.print(f"validating {folder} ({args.runs} runs)...", style="dim")
        timings.append(time_locale(folder, args.runs, args.jobs))
    report(timings, args.jobs, console)
    crashed = [t.locale for t in timings if t.exit_status not in (0, 1)]
    if crashed:
        print(f"bench-validate: helpsite validate failed on {', '.join(crashed)}",
              file=sys.stderr)
        return 2
    missed = [t.locale for t in timings if not t.met]
    console.print(f"goal missed by {', '.join(missed)}" if missed else "goal met by every locale")
    return 1 if missed and args.fail_on_goal else 0


if __name__ == "__main__":
    raise SystemExit(main())
