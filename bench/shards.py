"""``make bench-shards``: how the build time falls when the locales are split among jobs.

On a project of real articles imported from ``../shared/corpus/alchemy-sxs`` (English and
a few of its ten locales; the import is done once, by ``bench/build.py``), it
measures cold builds, one after another on this machine:

- 1 job: ``helpsite build`` of every locale, as one CI job (or ``make html``) does;
- k shards (2 and 4): each group of locales built alone with ``--shard-out``, as the build
  jobs of ``.github/workflows/site.yml`` are (the same round-robin groups), then
  ``helpsite merge``. On k machines at once the wall time is max(shard) + merge.

It prints a table (per-shard times, max, merge, projected wall on k machines, speed-up),
checks that each merged site has the bytes of the 1-job site, and gives the projection
for 12 jobs: T12 ≈ T_locale × ceil(locales / 12) + merge + setup.

    python -m bench.shards [--articles 300] [--locales nl-NL,de-DE,fr-FR,ko-KR,zh-TW] [--runs 2]
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from helpsite.console import make_console
from helpsite.locales import output_folder
from helpsite.sitebuild.parallel import cpu_count
from rich.console import Console
from rich.table import Table

from bench.build import (
    CORPUS_CONF,
    ProcessRun,
    copy_project,
    docnames,
    ensure_corpus,
    run_process,
)
from bench.data import SXS_CORPUS, corpus_dir

DEFAULT_LOCALES = ("nl-NL", "de-DE", "fr-FR", "ko-KR", "zh-TW")
SHARD_COUNTS = (2, 4)
PROJECTED_JOBS = 12
# Every build is dated from this (reproducible builds): the merged sites can be compared
# with the 1-job site byte for byte.
SOURCE_DATE_EPOCH = "1700000000"


@dataclass
class ShardRun:
    locales: list[str]
    seconds: float = math.inf  # wall time, the fastest of the rounds
    cpu: float = 0.0  # CPU seconds of that run (every process of the build)

    def keep_faster(self, run: ProcessRun) -> None:
        if run.wall < self.seconds:
            self.seconds, self.cpu = run.wall, run.cpu


@dataclass
class Split:
    """One way of building the site: its shards, the merge, on k machines at once."""

    shards: list[ShardRun]
    merge_seconds: float = 0.0  # 0 for the 1-job build: it writes the root files itself
    same_bytes: bool = True

    @property
    def slowest(self) -> float:
        return max(shard.seconds for shard in self.shards)

    @property
    def wall_on_k_machines(self) -> float:
        return self.slowest + self.merge_seconds

    @property
    def cpu(self) -> float:
        return sum(shard.cpu for shard in self.shards)


def round_robin(tags: list[str], count: int) -> list[list[str]]:
    """The groups of the plan job of .github/workflows/site.yml: tags[i::count]."""
    count = max(1, min(count, len(tags)))
    return [tags[i::count] for i in range(count)]


def prepare_project(sxs: Path, bench_dir: Path, targets: list[str], articles: int,
                    console: Console) -> Path:
    """The corpus project: ``articles`` articles (and the home page) in English and
    ``targets``, imported once by the build benchmark's own functions."""
    imported = bench_dir / f"shards-corpus-{articles}-{'-'.join(targets)}"
    ensure_corpus(sxs, imported, console, articles, locales=tuple(targets))
    conf = CORPUS_CONF.format(locales=targets)
    return copy_project(imported, bench_dir / "shards-project", None, ["en-US", *targets],
                        conf).root


def helpsite(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "helpsite", *map(str, args)]


def timed(command: list[str], what: str) -> ProcessRun:
    run = run_process(command, env={"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH})
    # Exit 1 is a finding of the content (the site is written); 2 and up a failure.
    if run.returncode not in (0, 1):
        raise SystemExit(f"{what} failed ({run.returncode}):\n{run.stderr[-3000:]}")
    return run


def cold_build(project: Path, out: Path, locales: list[str], shard: bool) -> ProcessRun:
    """One cold ``helpsite build`` of ``locales`` into a new output folder."""
    shutil.rmtree(out, ignore_errors=True)
    run = timed(helpsite("build", "--conf-dir", project, "--source", project / "source",
                         "--locales", " ".join(locales), "--fresh",
                         "--shard-out" if shard else "--out", out),
                f"build of {' '.join(locales)}")
    missing = [tag for tag in locales
               if not (out / "html" / output_folder(tag) / "index.html").is_file()]
    if missing:  # a failure the exit status did not tell (exit 1 is a content finding)
        raise SystemExit(f"the build of {' '.join(locales)} wrote no site for "
                         f"{' '.join(missing)}:\n{run.stderr[-3000:]}")
    return run


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def measure(project: Path, tags: list[str], runs: int, say: Console) -> dict[int, Split]:
    """Every build ``runs`` times, round after round (the fastest kept: the run the other
    load on the machine disturbed least; rounds spread each build's runs in time)."""
    splits = {count: Split([ShardRun(group) for group in round_robin(tags, count)])
              for count in (1, *SHARD_COUNTS)}
    # Every output one folder below the project, as build/ and the workflow's ./shard
    # are: _helpsite/links.json names the sources relative to itself (docs/building.md).
    for number in range(1, runs + 1):
        for count, split in splits.items():
            folders = [project / f"shard-{count}-{i}"
                       for i in range(1, len(split.shards) + 1)]
            for shard, folder in zip(split.shards, folders, strict=True):
                say.print(f"[dim]round {number}/{runs}, {count} job(s): "
                          f"{' '.join(shard.locales)} …[/]")
                shard.keep_faster(cold_build(project, folder, shard.locales, count > 1))
            if count == 1:
                continue
            site = project / f"merged-{count}"
            shutil.rmtree(site, ignore_errors=True)
            merge = timed(helpsite("merge", *folders, "--out", site), "merge").wall
            split.merge_seconds = merge if number == 1 else min(split.merge_seconds, merge)
    expected = digests(project / "shard-1-1" / "html")
    for count in SHARD_COUNTS:
        splits[count].same_bytes = digests(project / f"merged-{count}") == expected
    return splits


def report(splits: dict[int, Split], tags: list[str], pages: int, runs: int,
           console: Console) -> None:
    table = Table(title=f"Cold build (fastest of {runs}), {len(tags)} locales × {pages} "
                        "articles, "
                        f"{cpu_count()} CPUs per machine (load {os.getloadavg()[0]:.1f})")
    for column in ("shards", "per-shard seconds (locales)", "max", "merge",
                   "wall on k machines", "speed-up", "CPU s, all jobs", "same bytes"):
        table.add_column(column, justify="left" if column.startswith("per") else "right")
    one = splits[1].wall_on_k_machines
    for count, split in splits.items():
        per_shard = ", ".join(f"{s.seconds:.1f} ({len(s.locales)})" for s in split.shards)
        table.add_row(str(count), per_shard, f"{split.slowest:.1f}",
                      f"{split.merge_seconds:.1f}" if count > 1 else "–",
                      f"{split.wall_on_k_machines:.1f}",
                      f"{one / split.wall_on_k_machines:.2f}×", f"{split.cpu:.0f}",
                      "yes" if split.same_bytes else "[red]NO[/]")
    console.print(table)
    console.print(projection(splits, tags))


def per_locale_seconds(splits: dict[int, Split]) -> tuple[float, str]:
    """The time of a job that builds one locale: the slowest one-locale shard measured,
    else the slowest shard's time per locale."""
    alone = [s.seconds for split in splits.values() for s in split.shards
             if len(s.locales) == 1]
    if alone:
        return max(alone), "the slowest one-locale shard measured"
    worst = max(s.seconds / len(s.locales) for split in splits.values() for s in split.shards)
    return worst, "the slowest shard's seconds per locale"


def projection(splits: dict[int, Split], tags: list[str]) -> str:
    per_locale, source = per_locale_seconds(splits)
    merge = max(split.merge_seconds for split in splits.values())
    rounds = math.ceil(len(tags) / PROJECTED_JOBS)
    total = per_locale * rounds + merge
    return (f"{PROJECTED_JOBS} jobs: T{PROJECTED_JOBS} ≈ T_locale × ceil({len(tags)}/"
            f"{PROJECTED_JOBS}) + merge + setup = {per_locale:.1f} × {rounds} + {merge:.1f}"
            f" + setup ≈ {total:.1f} s + setup\n"
            f"  T_locale = {per_locale:.1f} s ({source}); merge = the slowest merge measured; "
            "setup = a CI job's checkout, make venv and artifact transfer (not measured "
            "here);\n  assumed: every machine like this one, the jobs start together, and a "
            "job's time grows with its locales (no job has more than ceil(locales/jobs)).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.shards",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300,
                        help="corpus articles imported and built (default: 300)")
    parser.add_argument("--locales", default=",".join(DEFAULT_LOCALES),
                        help="comma-separated sxs locales beside English "
                             f"(default: {','.join(DEFAULT_LOCALES)})")
    parser.add_argument("--sxs", type=Path, default=corpus_dir(SXS_CORPUS),
                        help="the side-by-side corpus, one folder per locale")
    parser.add_argument("--bench-dir", type=Path, default=Path("build/bench"),
                        help="work folder (default: build/bench)")
    parser.add_argument("--runs", type=int, default=2,
                        help="cold builds of each shard, the fastest kept (default: 2)")
    args = parser.parse_args(argv)
    targets = [tag.strip() for tag in args.locales.split(",") if tag.strip()]
    console = make_console()
    project = prepare_project(args.sxs.resolve(), args.bench_dir.resolve(), targets,
                              args.articles, console)
    tags = ["en-US", *targets]
    splits = measure(project, tags, args.runs, console)
    report(splits, tags, len(docnames(project / "source")), args.runs, console)
    return 0


if __name__ == "__main__":
    sys.exit(main())
