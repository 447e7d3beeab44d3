"""A lock against two catalog updates running at once on the same ``locales/`` folder.

``fcntl.flock`` on the ``locales/`` folder itself: no lock file is left in the
repository, and the kernel releases the lock when the process dies, so a killed run
never leaves a stale lock. A second run waits (up to a timeout) and then reads the files
the first one wrote, so nothing either run did is lost.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LockTimeout(RuntimeError):
    """Another run held the lock for longer than we were willing to wait."""


@contextmanager
def catalog_lock(folder: Path, *, timeout: float = 300.0, poll: float = 0.05) -> Iterator[Path]:
    """Hold the catalogs lock of ``folder`` (created if needed) for the ``with`` block."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"another helpsite run has been updating {folder} for {timeout:.0f}s; "
                        "wait for it to finish (or end it) and run again") from None
                time.sleep(poll)
        try:
            yield folder
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
