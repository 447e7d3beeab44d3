"""Output and cache files written only when their content changes.

An unchanged build must leave every file as it was (same bytes, same modification
time), so that rsync, make, CDN uploads and the incremental build itself see nothing new.
Files that can be rebuilt from the sources (compiled catalogs, stamps) are replaced
atomically but without ``fsync``: losing one in a power cut costs a rebuild, while
syncing thousands of them would cost seconds on every cold build.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from helpsite.catalogs.atomic import TEMP_SUFFIX, write_atomic


def same_content(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def replace_file(path: Path, data: bytes) -> None:
    """Atomic replacement without fsync (for files the build can make again)."""
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


def files_by_suffix(folder: Path | str | None, suffix: str) -> dict[str, str]:
    """Every file below ``folder`` whose name ends in ``suffix``: its path relative to
    ``folder`` without the suffix (``billing/pay``) → its path. Hidden files and folders
    are left out, linked folders are not entered (as ``os.walk``). ``os.scandir`` and
    plain strings: catalogs are one per article and listed at the start of every build."""
    found: dict[str, str] = {}
    if folder is None:
        return found
    stack = [("", os.fspath(folder))]
    while stack:
        prefix, current = stack.pop()
        try:
            with os.scandir(current) as entries:
                listing = list(entries)
        except OSError:
            continue
        for entry in listing:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((f"{prefix}{entry.name}/", entry.path))
            elif entry.name.endswith(suffix):
                found[prefix + entry.name[: -len(suffix)]] = entry.path
    return found
