"""Run the Sphinx build of one locale in its own process and collect what it reported.

A process per locale: Sphinx keeps its interface translations process-wide and adds each
newly loaded language as a *fallback* of the first, so a second build in the same process
would keep the first build's language. Each locale has its own doctree folder, so
incremental builds stay incremental per locale.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field

from helpsite.sitebuild.plan import BuildPlan, LocaleBuild

_PROBLEM = re.compile(r"\b(WARNING|ERROR|CRITICAL):")


@dataclass
class LocaleResult:
    tag: str
    returncode: int
    seconds: float
    pages: int
    problems: list[str] = field(default_factory=list)  # warning/error lines
    output: str = ""  # everything Sphinx wrote to stderr

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def sphinx_command(plan: BuildPlan, build: LocaleBuild) -> list[str]:
    command = [
        sys.executable, "-m", "sphinx", "-b", "html", "-q", "--no-color",
        "-c", str(plan.conf_dir), "-d", str(build.doctree_dir),
        "-D", f"language={build.language}", "-D", f"helpsite_locale={build.tag}",
    ]
    for define in plan.defines:
        command += ["-D", define]
    if plan.strict:
        command.append("-W")
    if plan.fresh:
        command.append("-E")
    if plan.jobs > 1:
        command += ["-j", str(plan.jobs)]
    return [*command, str(plan.source_dir), str(build.html_dir)]


def count_pages(folder: os.PathLike[str]) -> int:
    total = 0
    for _root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith("_")]
        total += sum(name.endswith(".html") for name in files)
    return total


def run_locale(plan: BuildPlan, build: LocaleBuild) -> LocaleResult:
    started = time.monotonic()
    completed = subprocess.run(  # our own interpreter, no shell
        sphinx_command(plan, build), capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    output = (completed.stderr or "") + (completed.stdout or "")
    problems = [line for line in output.splitlines() if _PROBLEM.search(line)]
    if completed.returncode and not problems:
        problems = [line for line in output.splitlines() if line.strip()][-5:]
    return LocaleResult(
        tag=build.tag,
        returncode=completed.returncode,
        seconds=time.monotonic() - started,
        pages=count_pages(build.html_dir) if build.html_dir.is_dir() else 0,
        problems=problems,
        output=output,
    )
