"""A lock against two catalog updates running at once on the same ``locales/`` folder,
and the operating system's non-blocking file lock that it and the build lock
(:mod:`helpsite.sitebuild.lock`) are made of.

On POSIX the lock is ``fcntl.flock`` on the ``locales/`` folder itself: no lock file is
left in the repository. Windows cannot open a folder as a file, so there the lock is
``msvcrt.locking`` on a file in the temporary folder named after the ``locales/`` folder.
Either way the kernel releases the lock when the process dies, so a killed run never
leaves a stale lock. A second run waits (up to a timeout) and then reads the files the
first one wrote, so nothing either run did is lost. The module imports on both.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


class LockTimeout(RuntimeError):
    """Another run held the lock for longer than we were willing to wait."""


def try_lock(fd: int) -> bool:
    """Take the exclusive lock of the open file ``fd`` without waiting; False when
    another process holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            import msvcrt

            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:  # BlockingIOError on POSIX, PermissionError on Windows
        return False
    return True


def unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:  # pragma: no cover - Windows
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def _open_lock_target(folder: Path) -> int:
    """The file the lock of ``folder`` is taken on: the folder itself where it can be
    opened (POSIX), else a file named after it in the temporary folder (Windows)."""
    if fcntl is not None:
        return os.open(folder, os.O_RDONLY)
    name = hashlib.sha256(os.fsencode(folder.resolve())).hexdigest()[:20]
    lock_file = Path(tempfile.gettempdir()) / f"helpsite-catalogs-{name}.lock"
    return os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)


@contextmanager
def catalog_lock(folder: Path, *, timeout: float = 300.0, poll: float = 0.05) -> Iterator[Path]:
    """Hold the catalogs lock of ``folder`` (created if needed) for the ``with`` block."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = _open_lock_target(folder)
    try:
        deadline = time.monotonic() + timeout
        while not try_lock(fd):
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"another helpsite run has been updating {folder} for {timeout:.0f}s; "
                    "wait for it to finish (or end it) and run again") from None
            time.sleep(poll)
        try:
            yield folder
        finally:
            unlock(fd)
    finally:
        os.close(fd)
