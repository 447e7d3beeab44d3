"""The spare locale process a build leaves for the next one (helpsite.sitebuild.spare):
used once, by the same folder, environment and code only; the site it builds is the
same; it is never left behind by a test."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sphinx
from helpsite.commands import main
from helpsite.sitebuild import spare, warm
from helpsite.sitebuild.plan import make_plan
from helpsite.sitebuild.runner import run_locale
from test_build_orchestration import STATUS_PAGE, files_of
from test_site_support import REFUSED_CONTENT, write_project


def _spare_pids(folder: Path) -> list[int]:
    """Processes serving a socket in ``folder`` (from /proc: no tool needed)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if spare.SPARE_FLAG.encode() in command and any(
                part.startswith(os.fsencode(folder)) for part in command):
            pids.append(int(entry.name))
    return pids


def _wait_for(condition: object, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def spares(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Spares on, in a folder of this test; every spare started is stopped after it."""
    folder = tmp_path / "spares"
    monkeypatch.setenv(spare.ENABLE_VARIABLE, "1")
    monkeypatch.setenv(spare.FOLDER_VARIABLE, str(folder))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.chdir(tmp_path)
    yield folder
    warm.discard()
    for pid in _spare_pids(folder):
        os.kill(pid, 9)


def _build(project: Path, out: Path, report: Path) -> list[dict[str, object]]:
    assert main(["build", "--conf-dir", str(project), "--source", str(project / "source"),
                 "--out", str(out), "--locales", "nl-NL", "--report", str(report)]) == (
        REFUSED_CONTENT)  # each build is into a new folder: it reads every article
    return json.loads(report.read_text(encoding="utf-8"))["locales"]


def _ready(folder: Path) -> bool:
    return spare.ready() and len(_spare_pids(folder)) == 1


@pytest.mark.slow
def test_a_build_leaves_a_spare_the_next_build_uses(
        spares: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write_project(tmp_path / "project")
    report = tmp_path / "report.json"
    _build(project, tmp_path / "first", report)
    assert _wait_for(lambda: _ready(spares)), "no spare after the first build"
    waiting = _spare_pids(spares)

    rows = _build(project, tmp_path / "spare", report)
    assert [(r["locale"], r["warm"]) for r in rows] == [("nl-NL", True)]
    assert rows[0]["cpu_seconds"] > 0  # the spare reported its own resource use
    # the spare built and exited; the build left a new one
    assert _wait_for(lambda: not set(waiting) & set(_spare_pids(spares)))
    assert _wait_for(lambda: _ready(spares))

    monkeypatch.setenv(spare.ENABLE_VARIABLE, "0")
    plan = make_plan(project, project / "source", tmp_path / "cold", locales="nl-NL")
    cold = run_locale(plan, plan.builds[0])
    assert cold.ok and not cold.warm, cold.output
    # The command fills the status page's figures after the builds; run_locale does not.
    spare_site = files_of(tmp_path / "spare" / "html" / "nl-nl", but=STATUS_PAGE)
    assert len(spare_site) > 10
    assert spare_site == files_of(tmp_path / "cold" / "html" / "nl-nl", but=STATUS_PAGE)


def _leave_and_wait(folder: Path) -> None:
    warm.leave_spare()
    assert _wait_for(lambda: _ready(folder)), "the spare did not start"


def test_a_spare_refuses_another_environment_and_exits(
        spares: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _leave_and_wait(spares)
    pid = _spare_pids(spares)[0]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # would change the build
    assert spare.take(["-b", "html"], warm._surroundings()[0]) is None
    assert _wait_for(lambda: pid not in _spare_pids(spares))
    assert not spare.ready()


def test_a_spare_refuses_other_code_and_exits(
        spares: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _leave_and_wait(spares)
    pid = _spare_pids(spares)[0]
    monkeypatch.setattr(spare, "code_fingerprint", lambda: "helpsite was updated")
    assert spare.take(["-b", "html"], warm._surroundings()[0]) is None
    assert _wait_for(lambda: pid not in _spare_pids(spares))


def test_a_killed_spare_is_not_ready(spares: Path) -> None:
    _leave_and_wait(spares)
    os.kill(_spare_pids(spares)[0], 9)
    assert _wait_for(lambda: not _spare_pids(spares))
    assert spare.address().exists()  # its socket stays behind
    # (a killed process gives up its memory, and so its command line, before its files)
    assert _wait_for(lambda: not spare.ready())
    assert spare.take(["--version"], warm._surroundings()[0]) is None


def test_one_spare_per_folder(spares: Path) -> None:
    _leave_and_wait(spares)
    first = _spare_pids(spares)
    warm.leave_spare()  # one is waiting: none started
    # one started anyway (two builds ending at once) finds the lock taken and exits
    second = subprocess.Popen([*warm.ENTRY, spare.SPARE_FLAG, str(spare.address())],
                              env=warm._surroundings()[0])
    assert second.wait(timeout=60) == 0
    assert _spare_pids(spares) == first
    assert spare.ready()


def test_a_spare_stops_when_its_build_is_abandoned(spares: Path) -> None:
    _leave_and_wait(spares)
    handed = spare.take(["--version"], warm._surroundings()[0])  # a quick "build"
    assert handed is not None
    assert handed.stdout is not None and sphinx.__version__ in handed.stdout.read()
    status, cpu, _rss = handed.wait_usage()
    assert status == 0 and cpu > 0
    _leave_and_wait(spares)
    pid = _spare_pids(spares)[0]
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.connect(str(spare.address()))
    connection.close()  # connected and went away without a request
    assert _wait_for(lambda: pid not in _spare_pids(spares))


@pytest.mark.parametrize(("environ", "wanted"), [
    ({}, True),
    ({"CI": "true"}, False),  # a CI job leaves nothing behind
    ({"CI": "true", spare.ENABLE_VARIABLE: "1"}, True),
    ({spare.ENABLE_VARIABLE: "0"}, False),
    ({spare.ENABLE_VARIABLE: "no"}, False),
])
def test_enabled(environ: dict[str, str], wanted: bool) -> None:
    assert spare.enabled(environ) is wanted


def test_socket_folder_must_be_private(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    assert spare.folder({spare.FOLDER_VARIABLE: str(shared)}) is None
    private = tmp_path / "private"
    assert spare.folder({spare.FOLDER_VARIABLE: str(private)}) == private
    assert private.stat().st_mode & 0o777 == 0o700
