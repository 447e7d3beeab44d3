"""A locale process started before the build knows it needs one.

A locale's Sphinx process spends its first half second importing Sphinx, MyST, Furo and
helpsite's extension — before it reads anything of the site. Meanwhile ``helpsite
build`` spends a quarter of a second on its own start-up and on fingerprinting the
locales to decide which need building. Rebuilding after one edited catalog entry takes
about two seconds, so those two should overlap: the command starts one *warm* process at
once (:func:`start`), which imports what every build imports and then waits for its
command line on stdin; the first locale that needs building takes it (:func:`launch`).
When no locale needs building, the warm process is stopped (:func:`discard`) — it has
written nothing.

Only one is started: a second would compete for the cores with the planning it is meant
to overlap, and the first locale is the one whose wait the writer notices.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import threading

from helpsite.sitebuild import spare

# How a locale process is started: our interpreter, no shell (runner.sphinx_command).
ENTRY = [sys.executable, "-m", "helpsite.sitebuild.sphinxmain"]
WARM_FLAG = "--warm"

_lock = threading.Lock()
_waiting: subprocess.Popen[str] | None = None
_started_in: tuple[dict[str, str], str] | None = None  # its environment and folder


def _surroundings() -> tuple[dict[str, str], str]:
    """What a locale process inherits: a warm one serves only where it is the same."""
    return {**os.environ, "PYTHONUNBUFFERED": "1"}, os.getcwd()


def _popen(command: list[str], **extra: object) -> subprocess.Popen[str]:
    """Both ways of starting a locale process: the same pipes and environment."""
    return subprocess.Popen(  # our own interpreter, no shell
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        encoding="utf-8", errors="replace", env=_surroundings()[0],
        **extra,  # type: ignore[arg-type]
    )


def start() -> None:
    """Start the warm process, unless one is waiting already."""
    global _waiting, _started_in
    with _lock:
        if _waiting is not None:
            return
        _started_in = _surroundings()
        _waiting = _popen([*ENTRY, WARM_FLAG], stdin=subprocess.PIPE)


def _take() -> subprocess.Popen[str] | None:
    global _waiting
    with _lock:
        process, _waiting = _waiting, None
    return process


def _take_if_alike() -> subprocess.Popen[str] | None:
    """The waiting process, if it has the environment and folder a new one would get
    (a changed SOURCE_DATE_EPOCH would change the build); else it is stopped."""
    alike = _started_in == _surroundings()
    process = _take()
    if process is not None and not alike:
        _stop(process)
        return None
    return process


def _hand_over(process: subprocess.Popen[str], arguments: list[str]) -> bool:
    """Send the command line; False when the warm process is gone (then it is reaped)."""
    stdin, process.stdin = process.stdin, None  # from here on like one started without
    assert stdin is not None
    try:
        with stdin:
            stdin.write(json.dumps(arguments) + "\n")
    except OSError:  # it died while importing: a cold start reports the problem
        _stop(process)
        return False
    return True


def launch(command: list[str]) -> tuple[subprocess.Popen[str] | spare.SpareBuild, bool]:
    """Run ``command`` (a :data:`ENTRY` command line) in the spare a previous build left
    (:mod:`helpsite.sitebuild.spare`) or the warm process when one is waiting, else in a
    new process; returns the process and whether it had done its imports already."""
    if command[:len(ENTRY)] == ENTRY:
        handed = spare.take(command[len(ENTRY):], _surroundings()[0])
        if handed is not None:
            return handed, True
        process = _take_if_alike()
        if process is not None and _hand_over(process, command[len(ENTRY):]):
            return process, True
    return _popen(command), False


def leave_spare() -> None:
    """At the end of a build: a spare for the next one (:mod:`helpsite.sitebuild.spare`)."""
    spare.leave(ENTRY, _surroundings()[0])


def discard() -> None:
    """Stop the warm process if nobody took it."""
    process = _take()
    if process is not None:
        _stop(process)


def _stop(process: subprocess.Popen[str]) -> None:
    process.kill()
    process.communicate()


atexit.register(discard)  # once per interpreter, not once per process started
