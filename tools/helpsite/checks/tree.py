"""The source tree that relative links must stay inside, and case-exact lookups in it.

A link is resolved one path segment at a time against cached directory listings, never
by opening anything: the exact name must exist (the published site is case-sensitive even
when the writer's disk is not), a name that exists only in another case is a case
mismatch, and ``..`` above the root leaves the tree. Each folder is listed once per run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePosixPath


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
