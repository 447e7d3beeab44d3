"""``helpsite validate``: every check over a set of articles, as one list of findings.

Per file: reading (encoding, framing, YAML safety), the file name, the metadata schema and
the body checks. Then, across all files: shared help IDs and duplicate titles. The
expensive parts (the Markdown parser, the compiled JSON Schema validators, the directory
listings) are built once per run (per worker process), not per file; large sets are
spread over worker processes, each checking chunks of files.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from helpsite.article import Article, read_article
from helpsite.checks.body import BodyChecker
from helpsite.checks.corpus import CorpusIndex, CorpusRecord, check_file_name
from helpsite.checks.tree import SourceTree, find_source_root, tree_findings
from helpsite.findings import Code, Finding, apply_policy
from helpsite.metadata import MetadataChecker, PageKind

# Folders of a help repository that hold no articles of their own.
SKIPPED_DIRS = {"media", "images", "_build", "build", "node_modules", "venv", "__pycache__"}
# Folders of Markdown fragments pulled into articles: no front matter, no H1 of their own.
INCLUDE_DIRS = {"includes", "_includes"}
LANDING_PAGE = "index.md"

ProgressCallback = Callable[[int, int, Path], None]


@dataclass
class ValidationReport:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0


def iter_markdown_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The ``.md`` files named or found under ``paths``, in a stable order.

    Folders that hold no articles (media, build output, dot-folders such as ``.venv``)
    are not entered at all: validating the repository root must not walk site-packages.
    """
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        found: list[Path] = []
        inside = os.path.realpath(path)
        for folder, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(".")]
            found.extend(
                Path(folder, name) for name in files
                if name.endswith(".md") and _stays_inside(os.path.join(folder, name), inside)
            )
        yield from sorted(found)


def _stays_inside(file: str, folder: str) -> bool:
    """False for a symbolic link to a file outside the folder being checked (never read)."""
    if not os.path.islink(file):
        return True
    return os.path.realpath(file).startswith(folder + os.sep)


def page_kind(parts: Sequence[str]) -> PageKind:
    """What a file is, from its path under the source root."""
    if INCLUDE_DIRS.intersection(parts[:-1]):
        return PageKind.INCLUDE
    if parts and parts[-1] == LANDING_PAGE:
        return PageKind.LANDING
    return PageKind.ARTICLE


@dataclass
class FileResult:
    """One file's findings, and what it contributes to the corpus checks."""

    findings: list[Finding]
    record: CorpusRecord | None = None


class Validator:
    """Checks files one by one; reusable across the files of one run (caches stay warm)."""

    def __init__(self, root: Path | None = None) -> None:
        self.fixed_root = root
        self.trees: dict[Path, SourceTree] = {}
        self.places: dict[Path, tuple[SourceTree, tuple[str, ...] | None]] = {}
        self.metadata = MetadataChecker()
        self.bodies: dict[Path, BodyChecker] = {}

    def _place(self, file: Path) -> tuple[SourceTree, tuple[str, ...] | None]:
        """The tree a file belongs to and its folder in it, computed once per folder."""
        place = self.places.get(file.parent)
        if place is None:
            folder = file.parent.resolve()
            root = (self.fixed_root or find_source_root(folder)).resolve()
            if root not in self.trees:
                self.trees[root] = SourceTree(root)
                self.bodies[root] = BodyChecker(self.trees[root])
            try:
                parts: tuple[str, ...] | None = folder.relative_to(root).parts
            except ValueError:
                parts = None
            place = self.places[file.parent] = (self.trees[root], parts)
        return place

    def check_file(self, file: Path, display: str | None = None) -> FileResult:
        """Read ``file`` and run every per-file check on it."""
        return self.check_article(read_article(file, display or str(file)))

    def check_article(self, article: Article) -> FileResult:
        """Every per-file check on an article already read (``article.path`` on disk)."""
        tree, folder = self._place(article.path)
        parts = (*folder, article.path.name) if folder is not None else (article.path.name,)
        kind = page_kind(parts)
        result = FileResult(list(article.findings))
        result.findings += check_file_name(article.display_path, parts)
        if not article.readable or any(f.code is Code.FILE_EMPTY for f in result.findings):
            return result
        result.findings += self._front_matter_findings(article, kind, result)
        result.findings += self.bodies[tree.root].check(article, kind, folder)
        return result

    def _front_matter_findings(
        self, article: Article, kind: PageKind, result: FileResult
    ) -> list[Finding]:
        if not article.has_front_matter:
            if kind is PageKind.INCLUDE:
                return []
            return [Finding.of(Code.FM_MISSING, article.display_path, 1, 1,
                               "the article has no front matter: start the file with a line "
                               "'---', the keys (title: ...), and another '---'")]
        checked = self.metadata.check(article.front_matter, article.display_path, kind)
        if article.front_matter.ok and kind is not PageKind.INCLUDE:
            result.record = CorpusRecord.of(
                article.display_path, checked.data, article.front_matter.key_lines
            )
        return checked.findings


def check_article(article: Article, root: Path | None = None) -> list[Finding]:
    """All findings of one article read by the caller (no corpus-wide checks, no policy)."""
    return Validator(root).check_article(article).findings


# -- running over many files, in worker processes when there are many

PARALLEL_THRESHOLD = 200  # below this, starting worker processes costs more than it saves
CHUNK_SIZE = 64

_worker_validator: Validator | None = None


def _check_chunk(files: list[Path], root: Path | None) -> list[FileResult]:
    """Worker side: one Validator per process, kept between chunks."""
    global _worker_validator
    if _worker_validator is None or _worker_validator.fixed_root != root:
        _worker_validator = Validator(root)
    return [_worker_validator.check_file(file) for file in files]


MAX_DEFAULT_JOBS = 4


def usable_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


def default_jobs() -> int:
    """Worker processes when none are asked for: one CPU is left to everything else.

    On a 2-core machine that means one process: measured on the real corpus, a second
    worker competing with the writer's other work made a run slower, not faster.
    """
    return max(1, min(usable_cpus() - 1, MAX_DEFAULT_JOBS))


def _worker_context() -> multiprocessing.context.BaseContext:
    """How workers start: forked on Linux when this process runs no other thread.

    A forked worker inherits the imported modules, so it starts in milliseconds; the CLI's
    progress display refreshes without a thread for that reason. With threads running (or
    off Linux), forking is unsafe and workers start from a fork server instead.
    """
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["helpsite.validation"])
    return context


def _results(
    files: list[Path], root: Path | None, jobs: int
) -> Iterator[tuple[int, FileResult]]:
    """(files done so far, result) for every file, serially or from worker processes."""
    if jobs <= 1 or len(files) < PARALLEL_THRESHOLD:
        validator = Validator(root)
        for done, file in enumerate(files, 1):
            yield done, validator.check_file(file)
        return
    chunks = [files[i : i + CHUNK_SIZE] for i in range(0, len(files), CHUNK_SIZE)]
    done = 0
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_worker_context()) as pool:
        for chunk_results in pool.map(_check_chunk, chunks, [root] * len(chunks)):
            for result in chunk_results:
                done += 1
                yield done, result


def validate_paths(
    paths: Sequence[Path],
    *,
    suppress: Sequence[str] = (),
    strict: bool = False,
    root: Path | None = None,
    jobs: int = 1,
    on_progress: ProgressCallback | None = None,
) -> ValidationReport:
    """Check every article under ``paths``; findings sorted by place, policy applied."""
    files = list(iter_markdown_files(paths))
    corpus = CorpusIndex()
    report = ValidationReport()
    for done, result in _results(files, root, jobs):
        report.findings.extend(result.findings)
        if result.record is not None:
            corpus.add(result.record)
        report.files_checked += 1
        if on_progress is not None:
            on_progress(done, len(files), files[done - 1])
    report.findings.extend(corpus.findings())
    report.findings.extend(tree_findings(paths, SKIPPED_DIRS))  # links, case collisions
    report.findings = apply_policy(report.findings, suppress=suppress, strict=strict)
    return report
