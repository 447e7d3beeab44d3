"""Writing files: atomically, and only when their content changes.

Every file helpsite writes goes through :func:`write_atomic`, the one atomic writer: the
new content goes to a temporary file in the same folder (same file system, so the rename
is atomic), gets the old file's permission bits and replaces the old file with
:func:`os.replace`. Readers see the old file or the new one, never half of one. A process
killed at any moment leaves the original intact and at worst a stray
``.*.helpsite-tmp`` file, which :func:`remove_stale_temporaries` cleans.

``durable=True`` (the default: catalogs, reports, anything a person wrote or waits for)
also fsyncs the file and its folder, so the rename survives a power cut. Files the build
can make again (compiled pages, stamps) pass ``durable=False``: losing one in a power cut
costs a rebuild, while syncing thousands of them would cost seconds on every cold build.

An unchanged build must leave every file as it was (same bytes, same modification time),
so that rsync, make, CDN uploads and the incremental build itself see nothing new:
:func:`write_if_changed`.

A write that fails (a full disk, a read-only file system, no permission) raises
:class:`WriteFailed`, an ``OSError`` that names the file meant (not the temporary) and
says what to do; the command line prints it as one line and exits 2. The original file
is untouched, since only the temporary was written.

:func:`check_output_folder` refuses an output folder that would put a build's files among
the articles or catalogs, before anything is written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["TEMP_SUFFIX", "OutputFolderError", "WriteFailed", "check_output_folder",
           "files_by_suffix", "remove_stale_temporaries", "same_content", "walk_files",
           "write_atomic", "write_if_changed"]

TEMP_SUFFIX = ".helpsite-tmp"
CHUNK_SIZE = 64 * 1024
# Test hook: seconds to sleep between chunks, so a test can kill the writer mid-write
# deterministically instead of racing it. Never set in normal use.
SLOW_WRITE_ENV = "HELPSITE_TEST_SLOW_WRITE"


# What to do about the faults a writer meets most (anything else: its own message).
_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space and run again",
    errno.EDQUOT: "the disk quota is used up: free some space and run again",
    errno.EROFS: "the file system is read-only: make it writable or choose another folder",
    errno.EACCES: "permission denied: give your user write access or choose another folder",
    errno.EPERM: "not permitted: give your user write access or choose another folder",
}


class WriteFailed(OSError):
    """A file could not be written; ``filename`` is the file meant, the message says what
    to do. An ``OSError``, so callers that already tolerate failed writes still do."""

    def __init__(self, path: Path | str, error: OSError) -> None:
        code = error.errno or 0
        super().__init__(code, _ADVICE.get(code, error.strerror or str(error)), str(path))

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror} (the file was left as it was)"


@contextlib.contextmanager
def reported_as(path: Path) -> Iterator[None]:
    """Any ``OSError`` in the block becomes :class:`WriteFailed` naming ``path``."""
    try:
        yield
    except WriteFailed:
        raise
    except OSError as error:
        raise WriteFailed(path, error) from error


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot open folders
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically, keeping its permission bits (fsync'ed
    unless ``durable`` is False); a failure raises :class:`WriteFailed` and leaves
    ``path`` as it was."""
    with reported_as(path):
        _write_atomic(path, data, durable)


def _write_atomic(path: Path, data: bytes, durable: bool) -> None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        mode = _default_mode()
    path.parent.mkdir(parents=True, exist_ok=True)
    delay = float(os.environ.get(SLOW_WRITE_ENV, "0") or 0)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX,
                                     dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            for start in range(0, len(data), CHUNK_SIZE):
                handle.write(data[start:start + CHUNK_SIZE])
                if delay:
                    handle.flush()
                    time.sleep(delay)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    if durable:
        _fsync_folder(path.parent)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporaries left by a killed writer (call only while holding the lock)."""
    removed = []
    if not folder.is_dir():
        return removed
    for temp in folder.rglob(f".*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            temp.unlink()
            removed.append(temp)
    return removed


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


def write_if_changed(path: Path, data: bytes, *, durable: bool = False) -> bool:
    """Write ``data`` unless ``path`` already holds it; True when the file was written."""
    if same_content(path, data):
        return False
    write_atomic(path, data, durable=durable)
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
