"""The source tree that relative links must stay inside, and case-exact lookups in it.

A link is resolved one path segment at a time against cached directory listings, never
by opening anything: the exact name must exist (the published site is case-sensitive even
when the writer's disk is not), a name that exists only in another case is a case
mismatch, and ``..`` above the root leaves the tree. Each folder is listed once per run.

:func:`tree_problems` walks a source folder the way Sphinx discovers documents (following
links) and names what a build must leave out: links that lead outside the tree, to
nothing, or into a folder they are inside of (a loop); and names in one folder that
differ only in case. The build excludes and warns (:mod:`helpsite.sphinx.sourcetree`),
``helpsite validate`` reports them as findings (:func:`tree_findings`).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath

from helpsite.findings import Code, Finding


class Resolution(Enum):
    FOUND = "found"
    CASE_MISMATCH = "case-mismatch"
    MISSING = "missing"
    OUTSIDE = "outside"


@dataclass(frozen=True)
class Resolved:
    status: Resolution
    path: str = ""  # the path as it exists on disk, relative to the root ('' if missing)


def find_source_root(start: Path) -> Path:
    """The source tree holding ``start`` (a file or folder).

    From ``start`` upward, the first folder that is a Sphinx source folder (it holds
    ``conf.py``, or it holds ``index.md`` and its parent holds ``conf.py``) or a DocFX
    content folder (it holds ``docfx.json``). Without one, ``start`` itself (its folder
    for a file): links may then not leave what was asked to be checked.
    """
    start = start.resolve()
    first = start if start.is_dir() else start.parent
    for folder in (first, *first.parents):
        if (folder / "docfx.json").is_file() or (folder / "conf.py").is_file():
            return folder
        if (folder / "index.md").is_file() and (folder.parent / "conf.py").is_file():
            return folder
        if (folder / ".git").exists() or (folder / "pyproject.toml").is_file():
            break  # the project root: no source tree marker above here
    return first


class SourceTree:
    """Case-exact path lookups under ``root``, with one directory listing per folder."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._listings: dict[tuple[str, ...], tuple[frozenset[str], dict[str, str]]] = {}

    def _listing(self, parts: tuple[str, ...]) -> tuple[frozenset[str], dict[str, str]]:
        cached = self._listings.get(parts)
        if cached is None:
            try:
                names = frozenset(os.listdir(self.root.joinpath(*parts)))
            except OSError:  # not a folder, or unreadable
                names = frozenset()
            folded = {name.casefold(): name for name in sorted(names)}
            cached = self._listings[parts] = (names, folded)
        return cached

    def parts_of(self, file: Path) -> tuple[str, ...] | None:
        """The folder of ``file`` as path segments under the root (None: not inside)."""
        try:
            return file.resolve().parent.relative_to(self.root).parts
        except ValueError:
            return None

    def resolve(self, folder: tuple[str, ...], target: str) -> Resolved:
        """Resolve ``target`` (a relative path, '/' separated) from ``folder``."""
        parts = list(folder)
        mismatch = False
        for segment in PurePosixPath(target).parts:
            if segment == ".":
                continue
            if segment == "..":
                if not parts:
                    return Resolved(Resolution.OUTSIDE)
                parts.pop()
                continue
            names, folded = self._listing(tuple(parts))
            if segment in names:
                parts.append(segment)
            elif segment.casefold() in folded:
                parts.append(folded[segment.casefold()])
                mismatch = True
            else:
                return Resolved(Resolution.MISSING)
        found = "/".join(parts)
        if not self._stays_inside(parts):
            return Resolved(Resolution.OUTSIDE, found)
        return Resolved(Resolution.CASE_MISMATCH if mismatch else Resolution.FOUND, found)

    def _stays_inside(self, parts: list[str]) -> bool:
        """False when a symbolic link in the tree points outside it."""
        real = os.path.realpath(self.root.joinpath(*parts))
        return real == str(self.root) or real.startswith(str(self.root) + os.sep)


# -- what a build leaves out of the source folder (links, loops, case collisions)

MAX_DEPTH = 64  # deeper than any real help tree; a walk stops there whatever the links do


@dataclass(frozen=True)
class TreeProblem:
    """One path of the source tree that the build leaves out or warns about."""

    code: Code
    path: str  # relative to the source folder, "/"-separated
    message: str
    excluded: bool  # True: kept from Sphinx through exclude_patterns


def tree_problems(root: Path, skip: Callable[[str], bool] = lambda _path: False
                  ) -> list[TreeProblem]:
    """The links and case collisions under ``root``; ``skip`` names relative paths not to
    enter (those ``exclude_patterns`` already keep out)."""
    real_root = os.path.realpath(root)
    problems: list[TreeProblem] = []
    stack: list[tuple[str, str, tuple[str, ...]]] = [("", str(root), (real_root,))]
    while stack:
        prefix, folder, chain = stack.pop()
        names = []
        for entry in _entries(folder):
            relative = unicodedata.normalize("NFC", prefix + entry.name)
            if skip(relative):
                continue
            names.append(entry.name)
            problem, real = _judge(entry, relative, real_root, chain)
            if problem is not None:
                problems.append(problem)
            elif real is not None and len(chain) < MAX_DEPTH:
                stack.append((relative + "/", entry.path, (*chain, real)))
        problems += _case_collisions(prefix, names)
    return sorted(problems, key=lambda p: p.path)


def _entries(folder: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return []


def _judge(entry: os.DirEntry[str], relative: str, real_root: str, chain: tuple[str, ...]
           ) -> tuple[TreeProblem | None, str | None]:
    """(a problem, or None; the real path of a folder to walk into, or None)."""
    if not entry.is_symlink():
        return None, (os.path.join(chain[-1], entry.name) if _is_dir(entry) else None)
    real = os.path.realpath(entry.path)
    if not os.path.exists(real):
        return TreeProblem(Code.FILE_LINK_OUTSIDE, relative, f"the link '{relative}' points "
                           "to nothing; the build leaves it out. Remove it or fix its "
                           "target", True), None
    if not _inside(real, real_root):
        return TreeProblem(Code.FILE_LINK_OUTSIDE, relative, f"the link '{relative}' leads "
                           f"outside the source folder (to {real}); the build leaves it "
                           "out. Copy what it points to into the source folder", True), None
    if not os.path.isdir(real):
        return None, None
    if real in chain:
        return TreeProblem(Code.FILE_LINK_LOOP, relative, f"the link '{relative}' leads to a "
                           "folder it is inside of, a loop that would publish its pages "
                           "again and again; the build leaves it out. Remove the link",
                           True), None
    return None, real


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _inside(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def _case_collisions(prefix: str, names: list[str]) -> Iterator[TreeProblem]:
    by_folded: dict[str, list[str]] = {}
    for name in names:
        by_folded.setdefault(unicodedata.normalize("NFC", name).casefold(), []).append(name)
    for same in by_folded.values():
        if len(same) < 2:
            continue
        listed = " and ".join(f"'{prefix}{name}'" for name in same)
        yield TreeProblem(Code.FILE_CASE_COLLISION, prefix + same[-1],
                          f"{listed} differ only in case: on a case-insensitive host or disk "
                          "one overwrites the other. Rename one of them", False)


def tree_findings(folders: Iterable[Path], skip_names: Iterable[str] = ()) -> list[Finding]:
    """The :func:`tree_problems` of each folder as findings (line 1 of the path); folders
    named in ``skip_names``, and names starting with '.', are not entered."""
    skipped = frozenset(skip_names)

    def skip(relative: str) -> bool:
        name = relative.rsplit("/", 1)[-1]
        return name in skipped or name.startswith(".")

    return [Finding.of(problem.code, str(folder / problem.path), 1, 1, problem.message)
            for folder in folders if folder.is_dir()
            for problem in tree_problems(folder, skip)]
