"""Atomic file replacement: readers see the old file or the new one, never half of one.

The new content goes to a temporary file in the same folder (same file system, so the
rename is atomic), is flushed and fsync'ed, gets the old file's permission bits, and then
replaces the old file with :func:`os.replace`; the folder is fsync'ed so the rename
survives a power cut. A process killed at any moment leaves the original intact and at
worst a stray ``.*.helpsite-tmp`` file, which :func:`remove_stale_temporaries` cleans.

A write that fails (a full disk, a read-only file system, no permission) raises
:class:`WriteFailed`, an ``OSError`` that names the file meant (not the temporary) and
says what to do; the command line prints it as one line and exits 2. The original file
is untouched, since only the temporary was written.
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


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, keeping its permission bits; a failure
    raises :class:`WriteFailed` and leaves ``path`` as it was."""
    with reported_as(path):
        _write_atomic(path, data)


def _write_atomic(path: Path, data: bytes) -> None:
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
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
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
