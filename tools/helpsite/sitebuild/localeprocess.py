"""Run the Sphinx build of one locale in its own process and collect what it reported.

A process per locale: Sphinx keeps its interface translations process-wide and adds each
newly loaded language as a *fallback* of the first, so a second build in the same process
would keep the first build's language. Each locale has its own doctree folder, so
incremental builds stay incremental per locale, and locales can build side by side
(:mod:`helpsite.sitebuild.parallel`).

Sphinx's status lines (stdout) drive the progress display: ``reading sources... [ 40%]``
and ``writing output... [ 40%]``, and ``updating environment: 0 added, 1 changed, 0
removed`` says how many articles were read; the process's console locale is pinned to
English and plain (:data:`CONSOLE`), as Sphinx would translate or colour them. Warnings come on
stderr. A locale whose inputs and site are as its last good build left them is not built
at all (:mod:`helpsite.sitebuild.stamp`).

The process runs :data:`ENTRY`, sphinx-build tuned for short runs
(:mod:`helpsite.sitebuild.sphinxmain`). Its CPU time and peak memory come from
``os.wait4`` where there is one (POSIX); elsewhere (Windows) they are reported as 0.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from helpsite.findings import Code, Severity
from helpsite.sitebuild import stamp
from helpsite.sitebuild.plan import BuildPlan, LocaleBuild

_PROBLEM = re.compile(r"\b(WARNING|ERROR|CRITICAL):")
# An article that could not be read (helpsite.sphinx.readerrors): left out of the site,
# which is otherwise complete; Sphinx then exits 1.
_PAGE_FAILED = re.compile(r": ERROR: (build\.page-failed|file\.encoding): ")
_FINDING = re.compile(r": (?:WARNING|ERROR): ([a-z]+\.[a-z][a-z-]*): ")
_STEP = re.compile(r"^(reading sources|writing output)\.\.\. \[\s*(\d+)%\]")
_UPDATED = re.compile(r"(\d+) added, (\d+) changed, (\d+) removed")
# Share of the bar each phase ends at: reading is most of the work, then writing.
_PHASE_END = {"reading sources": 0.55, "writing output": 0.95}
_PHASE_START = {"reading sources": 0.02, "writing output": 0.6}

# How a locale process is started: our interpreter, no shell.
ENTRY = [sys.executable, "-m", "helpsite.sitebuild.sphinxmain"]

# (locale tag, what it does now, share done 0..1)
ProgressSink = Callable[[str, str, float], None]


@dataclass
class LocaleResult:
    tag: str
    returncode: int
    seconds: float
    pages: int
    problems: list[str] = field(default_factory=list)  # warning/error lines
    output: str = ""  # what Sphinx wrote on stderr: warnings and errors
    status: str = ""  # its status lines (stdout)
    read: int | None = None  # articles read (added + changed), when Sphinx said so
    up_to_date: bool = False  # nothing changed: Sphinx was not started
    cpu_seconds: float = 0.0  # user + system time of the Sphinx process (and its workers)
    max_rss_kb: int = 0  # peak resident memory of the largest Sphinx process
    page_failures: list[str] = field(default_factory=list)  # articles left out: findings

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def error_findings(self) -> list[str]:
        """Lines of helpsite findings of error severity other than failed pages — what
        the trust boundary refused (docs/security.md); they make the build exit 1."""
        return [line for line in self.problems
                if line not in self.page_failures and _is_error_finding(line)]

    @property
    def written(self) -> bool:
        """The site was written: complete, or but for the articles that failed to read."""
        return self.ok or (self.returncode == 1 and bool(self.page_failures))


def _is_error_finding(line: str) -> bool:
    match = _FINDING.search(line)
    if match is None:
        return False
    try:
        return Code.by_name(match.group(1)).default_severity is Severity.ERROR
    except KeyError:  # a Sphinx or extension warning that looks like a code
        return False


def sphinx_command(plan: BuildPlan, build: LocaleBuild) -> list[str]:
    command = [
        # sphinx-build without the teardown of its objects at exit (sphinxmain.py)
        *ENTRY, "-b", "html", "--no-color",
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


class _Status:
    """Follows Sphinx's status lines: progress and the number of articles read."""

    def __init__(self, tag: str, progress: ProgressSink | None) -> None:
        self.tag = tag
        self.progress = progress
        self.read: int | None = None
        self.lines: list[str] = []
        self.done = 0.0

    def feed(self, line: str) -> None:
        self.lines.append(line)
        updated = line.startswith("updating environment:") and _UPDATED.search(line)
        if self.read is None and updated:
            self.read = int(updated.group(1)) + int(updated.group(2))
            self.report("reading", _PHASE_START["reading sources"])
        if self.progress is None:
            return
        if match := _STEP.match(line):
            phase, percent = match.group(1), int(match.group(2)) / 100
            start, end = _PHASE_START[phase], _PHASE_END[phase]
            self.report(phase.split()[0], start + (end - start) * percent)
        elif line.startswith(("dumping search index", "dumping object inventory")):
            self.report("finishing", _PHASE_END["writing output"])

    def report(self, what: str, done: float) -> None:
        """Progress never goes back (Sphinx names some steps before and after writing)."""
        self.done = max(self.done, done)
        if self.progress is not None:
            self.progress(self.tag, what, self.done)


def _drain(stream: IO[str], into: list[str]) -> None:
    into.extend(stream)


#: The console the status lines this module reads are written for. Sphinx translates them
#: into the language of the process's locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), so
#: the locale is pinned to English (the site's language is ``-D language``, not this); and
#: where ``CI`` is set (GitHub Actions) it colours them and rewrites progress lines in
#: place with terminal codes, ``--no-color`` notwithstanding, unless ``NO_COLOR`` is set.
CONSOLE = {"LC_ALL": "C.UTF-8", "LANGUAGE": "", "NO_COLOR": "1"}


def locale_process_environment(base: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    """The environment of a locale process: the caller's, unbuffered, plain English
    console."""
    return {**base, "PYTHONUNBUFFERED": "1", **CONSOLE}


def _start(command: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(  # our own interpreter, no shell
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        encoding="utf-8", errors="replace", env=locale_process_environment(os.environ),
    )


def _wait(process: subprocess.Popen[str]) -> tuple[int, float, int]:
    """Exit code, CPU seconds and peak memory (KiB) of the finished process (its own
    rusage, not that of the other locales running beside it; 0 where the platform has no
    ``os.wait4``)."""
    if not hasattr(os, "wait4"):  # Windows
        return process.wait(), 0.0, 0
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


@dataclass(frozen=True)
class LocaleCheck:
    """A locale before its build: the fingerprint of its inputs, and its number of pages
    when its site is up to date (None: it must be built)."""

    inputs: str
    pages: int | None


def locale_inputs(plan: BuildPlan, build: LocaleBuild,
                  listings: stamp.Listings | None = None) -> tuple[str, bool]:
    """The fingerprint of the locale's inputs, and whether its last good build was made
    from the same (then its site is still to be checked: :func:`stamp.site_pages`)."""
    inputs = stamp.input_fingerprint(plan, build, sphinx_command(plan, build), listings)
    return inputs, stamp.inputs_unchanged(plan, build, inputs)


def check_locale(plan: BuildPlan, build: LocaleBuild,
                 listings: stamp.Listings | None = None) -> LocaleCheck:
    inputs, unchanged = locale_inputs(plan, build, listings)
    return LocaleCheck(inputs, stamp.site_pages(build) if unchanged else None)


def up_to_date(build: LocaleBuild, pages: int, seconds: float) -> LocaleResult:
    return LocaleResult(build.tag, 0, seconds, pages, read=0, up_to_date=True)


# Sphinx ends a failed run with its error's category ("Configuration error!"), a report with
# the traceback, and the exception's own line ("sphinx.errors.ConfigError: <message>").
_CATEGORY = re.compile(r"^\s*([A-Z][\w ]*(?:error|Error))!\s*$")
_EXCEPTION = re.compile(r"^\s*(?:[\w.]+\.)?\w*(?:Error|Exception): (?P<message>.+)$")


def failure_lines(output: str) -> list[str]:
    """What a failed locale process says went wrong: Sphinx's category and message (a bad
    config value, say) when it printed them, else its last five lines."""
    text = [line for line in output.splitlines() if line.strip()]
    category = next((m.group(1) for line in text if (m := _CATEGORY.match(line))), None)
    messages = [m.group("message") for line in text if (m := _EXCEPTION.match(line))]
    if category and messages:
        return [f"{category}: {messages[-1]}"]
    return text[-5:]


def run_locale(plan: BuildPlan, build: LocaleBuild, progress: ProgressSink | None = None,
               check: LocaleCheck | None = None) -> LocaleResult:
    """Build one locale unless ``check`` (made here when not given) says it is up to
    date."""
    started = time.monotonic()
    check = check or check_locale(plan, build)
    if check.pages is not None:
        if progress is not None:
            progress(build.tag, "up to date", 1.0)
        return up_to_date(build, check.pages, time.monotonic() - started)
    command, inputs = sphinx_command(plan, build), check.inputs
    stamp.forget(build)
    status = _Status(build.tag, progress)
    status.report("starting", 0.0)
    process = _start(command)
    errors: list[str] = []
    reader = threading.Thread(target=_drain, args=(process.stderr, errors), daemon=True)
    reader.start()
    assert process.stdout is not None and process.stderr is not None
    for line in process.stdout:
        status.feed(line)
    reader.join()
    process.stdout.close()
    process.stderr.close()
    returncode, cpu, rss = _wait(process)
    output, lines = "".join(errors), "".join(status.lines)
    problems = [line.rstrip("\n") for line in errors if _PROBLEM.search(line)]
    if returncode and not problems:
        problems = failure_lines(output + lines)
    # the stamp counts the pages as it fingerprints the site
    pages = stamp.record(build, inputs) if returncode == 0 else stamp.count_pages(build.html_dir)
    status.report("done" if returncode == 0 else "failed", 1.0)
    return LocaleResult(
        tag=build.tag, returncode=returncode, seconds=time.monotonic() - started,
        pages=pages,
        problems=problems, output=output, status=lines, read=status.read, cpu_seconds=cpu,
        max_rss_kb=rss,
        page_failures=[line for line in problems if _PAGE_FAILED.search(line)],
    )
