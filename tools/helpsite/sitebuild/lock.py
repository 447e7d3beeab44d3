"""One build at a time into an output folder.

Two builds writing the same folder at once each report success and leave a mix: pages of
one, the search index of the other, without the newest words. ``helpsite build`` holds
an exclusive lock on ``OUT/.helpsite-build.lock`` from its plan to its last root file. A
second build into the same folder says which build holds it and waits, up to
``HELPSITE_BUILD_WAIT`` seconds (default 600; 0: do not wait), then gives up with exit 2,
naming the other build. The kernel releases the lock when its process ends, so a killed
build leaves no stale lock, only the file (which says who held it last).

``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows
(:func:`helpsite.catalogs.locking.try_lock`); the module imports on both.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from helpsite.catalogs.locking import try_lock, unlock
from helpsite.files import OutputFolderError

LOCK_NAME = ".helpsite-build.lock"
WAIT_ENV = "HELPSITE_BUILD_WAIT"
DEFAULT_WAIT = 600.0
POLL_SECONDS = 0.2


class BuildLocked(OutputFolderError):
    """Another build held the output folder for longer than this one would wait."""


def wait_limit() -> float:
    """Seconds to wait for another build (``HELPSITE_BUILD_WAIT``; bad values: default)."""
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def holder(lock_file: Path) -> str:
    """Who holds (or last held) the lock, as its file says: ``pid 123, started …``."""
    try:
        text = lock_file.read_text(encoding="utf-8").strip()
    except OSError:
        text = ""
    return text or "another helpsite build"


def _describe_self() -> str:
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    command = " ".join(["helpsite", *sys.argv[1:]]) if sys.argv else "helpsite build"
    return f"pid {os.getpid()}, started {started}: {command}"


@contextlib.contextmanager
def build_lock(out_dir: Path, *, wait: float | None = None,
               say: Callable[[str], None] = print) -> Iterator[Path]:
    """Hold the build lock of ``out_dir`` (created if needed) for the ``with`` block.

    When another build holds it, ``say`` is told so once and this waits up to ``wait``
    seconds (default :func:`wait_limit`), then raises :class:`BuildLocked`."""
    wait = wait_limit() if wait is None else wait
    out_dir.mkdir(parents=True, exist_ok=True)
    lock_file = out_dir / LOCK_NAME
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, lock_file, out_dir, wait, say)
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, (_describe_self() + "\n").encode("utf-8"))
            yield lock_file
        finally:
            unlock(fd)
    finally:
        os.close(fd)


def _acquire(fd: int, lock_file: Path, out_dir: Path, wait: float,
             say: Callable[[str], None]) -> None:
    if try_lock(fd):
        return
    other = holder(lock_file)
    if wait <= 0:
        raise BuildLocked(f"another build is writing {out_dir} ({other}); wait for it to "
                          f"finish, or build into another folder with --out")
    say(f"helpsite build: waiting up to {wait:.0f} s for the build writing {out_dir} to "
        f"finish ({other})")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        if try_lock(fd):
            return
    raise BuildLocked(f"another build has been writing {out_dir} for over {wait:.0f} s "
                      f"({holder(lock_file)}); wait for it to finish or end it, or build "
                      f"into another folder with --out ({WAIT_ENV} sets the wait)")
