"""A locale process left ready by one ``helpsite build`` for the next (the *spare*).

A rebuild after one edited catalog entry takes under two seconds, and half a second of
it is the locale process importing Sphinx, MyST, Furo and helpsite before it can start.
The warm process (:mod:`helpsite.sitebuild.warm`) overlaps those imports with the
command's own start-up, but they still take longer than it. So when a build ends it
leaves one process behind that has done the imports and waits, for at most
:data:`IDLE_SECONDS`, on a Unix socket for the next build in the same folder. That
build hands it its command line, environment and output pipes, and it runs as that
build's first locale process; at its end it sends back its exit status and resource
use. A spare builds one locale and exits; a build that used it leaves a new one.

A spare is used only by the same user (the socket's folder is private and the peer's
user is checked), from the same working folder, with the same environment, and when
helpsite's code, the Python interpreter and the packages it imports are those it
started with; otherwise it exits and the build starts a process of its own. It holds
nothing of any site, so it never changes what a build writes. When its build's command
goes away, it stops.

Off in CI (``CI`` set: a job leaves nothing behind) and with ``HELPSITE_SPARE=0``.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import resource
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

IDLE_SECONDS = 600  # a spare nobody took exits after ten minutes
ENABLE_VARIABLE = "HELPSITE_SPARE"  # "0": no spare is left or taken
FOLDER_VARIABLE = "HELPSITE_SPARE_DIR"  # where the sockets are (default: a private folder)
SPARE_FLAG = "--spare"
_CONNECT_SECONDS = 2.0  # a spare answers at once; a longer wait means it is not one


def enabled(environ: Mapping[str, str] = os.environ) -> bool:
    value = environ.get(ENABLE_VARIABLE)
    if value is not None:
        return value.strip().lower() not in ("", "0", "no", "false", "off")
    return not environ.get("CI")


def folder(environ: Mapping[str, str] = os.environ) -> Path | None:
    """The user's private folder for spare sockets; None when it cannot be made private."""
    chosen = environ.get(FOLDER_VARIABLE)
    if chosen:
        path = Path(chosen)
    elif environ.get("XDG_RUNTIME_DIR"):
        path = Path(environ["XDG_RUNTIME_DIR"]) / "helpsite"
    else:
        path = Path("/tmp") / f"helpsite-{os.getuid()}"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.lstat()
    except OSError:
        return None
    private = info.st_uid == os.getuid() and not info.st_mode & 0o077
    return path if private and path.is_dir() and not path.is_symlink() else None


def address(cwd: str | None = None, environ: Mapping[str, str] = os.environ) -> Path | None:
    """The socket of the spare for builds started in ``cwd`` (a short name: socket paths
    are limited to about a hundred bytes)."""
    base = folder(environ)
    if base is None:
        return None
    key = hashlib.sha256(os.path.realpath(cwd or os.getcwd()).encode()).hexdigest()[:20]
    return base / f"{key}.sock"


@functools.cache  # what this process was started from
def code_fingerprint() -> str:
    """What the imports of a locale process come from: the interpreter, helpsite's code
    and the versions of the packages a build uses."""
    from helpsite.sitebuild.stamp import PACKAGE_DIR, _versions, tree_digest

    return hashlib.sha256(json.dumps(
        [sys.executable, sys.version, _versions(), tree_digest(PACKAGE_DIR)]).encode()
    ).hexdigest()


def ready(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether a spare waits for builds started here: its socket exists and its lock is
    held (a spare that was killed leaves its socket, not its lock)."""
    if not enabled(environ):
        return False
    path = address(environ=environ)
    if path is None or not path.exists():
        return False
    try:
        with path.with_suffix(".lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True  # held: the spare is there
    return False


def leave(command: list[str], environ: Mapping[str, str]) -> None:
    """Start a spare for the next build in this folder (``command``: the locale
    process's entry point), unless spares are off or one is waiting (should two start
    at once, one of them exits)."""
    path = address(environ=environ)
    if not enabled(environ) or path is None or ready(environ):
        return
    subprocess.Popen(  # our own interpreter, no shell; detached from this command
        [*command, SPARE_FLAG, str(path)], env=dict(environ), stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        close_fds=True,
    )


class SpareBuild:
    """A locale build run by a spare: read its ``stdout`` and ``stderr`` like a child
    process's, then :meth:`wait_usage`."""

    def __init__(self, connection: socket.socket, pid: int, stdout: IO[str],
                 stderr: IO[str]) -> None:
        self.connection = connection
        self.pid = pid
        self.stdout: IO[str] | None = stdout
        self.stderr: IO[str] | None = stderr
        self.returncode: int | None = None

    def wait_usage(self) -> tuple[int, float, int]:
        """Exit status, CPU seconds and peak memory (KiB) the spare reported; a spare that
        ended without reporting failed."""
        with self.connection, self.connection.makefile("r", encoding="utf-8") as reader:
            self.connection.settimeout(None)
            line = reader.readline()
        try:
            report = json.loads(line)
            status, cpu, rss = int(report["status"]), float(report["cpu"]), int(report["rss"])
        except (ValueError, KeyError, TypeError):
            status, cpu, rss = 1, 0.0, 0
        self.returncode = status
        return status, cpu, rss

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, 9)


def take(arguments: list[str], environ: Mapping[str, str]) -> SpareBuild | None:
    """Hand ``arguments`` (a sphinx-build command line) to the spare waiting for this
    folder; None when there is none, or it cannot build for this command (it exits)."""
    path = address(environ=environ)
    if not enabled(environ) or path is None or not path.exists():
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(_CONNECT_SECONDS)
    pipes = [os.pipe(), os.pipe()]  # stdout, stderr: (read end, write end)
    try:
        connection.connect(str(path))
        request = {"code": code_fingerprint(), "cwd": os.getcwd(), "env": dict(environ),
                   "argv": arguments}
        socket.send_fds(connection, [b"\0"], [pipes[0][1], pipes[1][1]])
        connection.sendall(json.dumps(request).encode() + b"\n")
        reply = _read_line(connection)
    except OSError:
        reply = {}
    finally:
        for _read_end, write_end in pipes:
            os.close(write_end)  # the spare has its own copies
    if not isinstance(reply.get("pid"), int):
        connection.close()
        for read_end, _write_end in pipes:
            os.close(read_end)
        return None
    stdout, stderr = (open(read_end, encoding="utf-8", errors="replace")  # noqa: SIM115
                      for read_end, _write_end in pipes)
    return SpareBuild(connection, reply["pid"], stdout, stderr)


def _read_line(connection: socket.socket) -> dict[str, Any]:
    data = b""
    while not data.endswith(b"\n"):
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    try:
        value = json.loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# -- the spare's side (python -m helpsite.sitebuild.sphinxmain --spare SOCKET)


def serve(path: Path, preload: Callable[[], None], build: Callable[[list[str]], int]) -> None:
    """Wait for one build at ``path``, run it with ``build`` and report; never returns."""
    code = code_fingerprint()  # before the imports: what they are made from
    environ, cwd = dict(os.environ), os.getcwd()
    lock = _hold_lock(path)
    if lock is None:
        os._exit(0)  # another spare waits here
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # left by one that was killed
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    os.chmod(path, 0o600)
    listener.listen(1)
    preload()
    connection = _accept(listener)
    _close_down(path, lock, listener)  # the next build's spare may start now
    if connection is None:
        os._exit(0)
    _run_request(connection, code, environ, cwd, build)


def _hold_lock(path: Path) -> IO[str] | None:
    """The spare's lock, held until a build takes it; None when another spare holds it.
    (:func:`ready` holds it shared for a moment to look: a few tries tell the two apart.)"""
    lock = path.with_suffix(".lock").open("a")
    for _attempt in range(20):
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            time.sleep(0.01)
            continue
        return lock
    lock.close()
    return None


def _accept(listener: socket.socket) -> socket.socket | None:
    """The first connection of this user within the idle time; None after it."""
    listener.settimeout(IDLE_SECONDS)
    while True:
        try:
            connection, _peer = listener.accept()
        except OSError:  # the idle time is over
            return None
        credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                            struct.calcsize("3i"))
        _pid, uid, _gid = struct.unpack("3i", credentials)
        if uid == os.getuid():
            return connection
        connection.close()


def _close_down(path: Path, lock: IO[str], listener: socket.socket) -> None:
    listener.close()
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    lock.close()


def _run_request(connection: socket.socket, code: str, environ: dict[str, str], cwd: str,
                 build: Callable[[list[str]], int]) -> None:
    connection.settimeout(_CONNECT_SECONDS)
    try:
        _message, fds, _flags, _address = socket.recv_fds(connection, 1, 2)
        request = _read_line(connection)
    except OSError:
        os._exit(1)
    arguments = request.get("argv")
    usable = (len(fds) == 2 and request.get("code") == code and request.get("env") == environ
              and request.get("cwd") == cwd and isinstance(arguments, list)
              and all(isinstance(a, str) for a in arguments))
    if not usable:
        with contextlib.suppress(OSError):
            connection.sendall(b'{"refused": "not the same code, folder or environment"}\n')
        os._exit(0)
    connection.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
    for fd, target in zip(fds, (1, 2), strict=True):
        os.dup2(fd, target)
        os.close(fd)
    connection.settimeout(None)
    threading.Thread(target=_stop_when_left, args=(connection,), daemon=True).start()
    try:
        status = build(arguments)
    except SystemExit as stop:  # sphinx-build's --help and --version, for one
        status = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    sys.stdout.flush()
    sys.stderr.flush()
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # sphinx-build -j
    report = {"status": status,
              "cpu": own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime,
              "rss": max(own.ru_maxrss, workers.ru_maxrss)}
    with contextlib.suppress(OSError):
        connection.sendall(json.dumps(report).encode() + b"\n")
    os._exit(status)


def _stop_when_left(connection: socket.socket) -> None:
    """The build's command went away (interrupted): nobody reads what this build does."""
    with contextlib.suppress(OSError):
        while connection.recv(1):
            pass
    os._exit(1)
