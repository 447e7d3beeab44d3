"""Output and cache files written only when their content changes.

An unchanged build must leave every file as it was (same bytes, same modification
time), so that rsync, make, CDN uploads and the incremental build itself see nothing new.
Files that can be rebuilt from the sources (compiled catalogs, stamps) are replaced
atomically but without ``fsync``: losing one in a power cut costs a rebuild, while
syncing thousands of them would cost seconds on every cold build.

A failed write raises :class:`~helpsite.catalogs.atomic.WriteFailed` naming the file.
:func:`check_output_folder` refuses an output folder that would put a build's files among
the articles or catalogs, before anything is written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from helpsite.catalogs.atomic import TEMP_SUFFIX, WriteFailed, reported_as, write_atomic

__all__ = ["OutputFolderError", "WriteFailed", "check_output_folder", "files_by_suffix",
           "replace_file", "same_content", "walk_files", "write_if_changed"]


class OutputFolderError(ValueError):
    """An output folder that would mix a command's output with its input."""


def check_output_folder(out: Path, protected: dict[str, Path | None], *,
                        option: str = "--out") -> None:
    """Refuse ``out`` when it is inside, equal to or above one of the ``protected``
    folders (``{"source": source/, "locales": locales/}``; None entries are skipped)."""
    real_out = Path(os.path.realpath(out))
    for label, folder in protected.items():
        if folder is None:
            continue
        real = Path(os.path.realpath(folder))
        if real_out == real:
            where = "the"
        elif real in real_out.parents:
            where = "inside the"
        elif real_out in real.parents:
            where = "above the"
        else:
            continue
        raise OutputFolderError(
            f"{option} {out} is {where} {label} folder {folder}: the output would be "
            f"written among its files; choose a folder outside it, such as build/")


def same_content(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def replace_file(path: Path, data: bytes) -> None:
    """Atomic replacement without fsync (for files the build can make again); a failure
    raises :class:`WriteFailed` and leaves ``path`` as it was."""
    with reported_as(path):
        _replace_file(path, data)


def _replace_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX,
                                     dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def write_if_changed(path: Path, data: bytes, *, durable: bool = False) -> bool:
    """Write ``data`` unless ``path`` already holds it; True when the file was written."""
    if same_content(path, data):
        return False
    if durable:
        write_atomic(path, data)
    else:
        replace_file(path, data)
    return True


def walk_files(root: Path | str, *, hidden: bool = True, ordered: bool = False,
               skip_folders: frozenset[str] = frozenset()
               ) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every file below ``root``: (its path relative to ``root``, "/"-separated; its
    entry). Linked folders are not entered (as ``os.walk``); folders named in
    ``skip_folders`` are left out; ``hidden=False`` leaves out names starting with "."
    (files and folders); ``ordered``: a folder's files by name, then its folders.
    ``os.scandir`` and plain strings: the build lists every article, catalog and page
    before it starts."""
    stack = [("", os.fspath(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=_entry_name) if ordered else list(listing)
        except OSError:
            continue
        folders = []
        for entry in entries:
            if not hidden and entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    if entry.name not in skip_folders and not entry.is_symlink():
                        folders.append((f"{prefix}{entry.name}/", entry.path))
                    continue
            except OSError:
                continue
            yield prefix + entry.name, entry
        stack.extend(reversed(folders))


def _entry_name(entry: os.DirEntry[str]) -> str:
    return entry.name


def files_by_suffix(folder: Path | str | None, suffix: str) -> dict[str, str]:
    """Every file below ``folder`` whose name ends in ``suffix``: its path relative to
    ``folder`` without the suffix (``billing/pay``) → its path. Hidden files and folders
    are left out, linked folders are not entered."""
    if folder is None:
        return {}
    return {name[: -len(suffix)]: entry.path
            for name, entry in walk_files(folder, hidden=False) if name.endswith(suffix)}
