"""The locale process started ahead (sitebuild.warm): it builds what a process started
on demand builds, byte for byte, and it is stopped when no locale needs it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpsite.cli import build_requested
from helpsite.commands import main
from helpsite.sitebuild import warm
from helpsite.sitebuild.plan import make_plan
from helpsite.sitebuild.runner import run_locale
from helpsite.sitebuild.sphinxmain import read_arguments
from test_build_orchestration import STATUS_PAGE, files_of
from test_site_support import REFUSED_CONTENT, write_project

VERSION = [*warm.ENTRY, "--version"]


@pytest.fixture(autouse=True)
def no_waiting_process() -> Iterator[None]:
    warm.discard()
    yield
    warm.discard()


def test_launch_hands_the_command_to_the_waiting_process() -> None:
    warm.start()
    process, was_warm = warm.launch(VERSION)
    out, err = process.communicate(timeout=60)
    assert was_warm
    assert process.returncode == 0, err
    assert out.startswith("sphinxmain")  # sphinx-build --version, as the module
    # taken once: the next locale starts its own process
    second, second_warm = warm.launch(VERSION)
    second.communicate(timeout=60)
    assert not second_warm and second.returncode == 0


def test_discard_stops_the_waiting_process() -> None:
    warm.start()
    waiting = warm._waiting
    assert waiting is not None
    warm.discard()
    assert waiting.returncode is not None  # killed and reaped
    process, was_warm = warm.launch(VERSION)
    process.communicate(timeout=60)
    assert not was_warm and process.returncode == 0


def test_a_warm_process_that_died_is_replaced_by_a_new_one() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    gone.wait(timeout=60)
    warm._waiting = gone
    process, was_warm = warm.launch(VERSION)
    out, _err = process.communicate(timeout=60)
    assert not was_warm and process.returncode == 0 and out.startswith("sphinxmain")
    assert warm._waiting is None


def test_a_changed_environment_gets_a_new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """SOURCE_DATE_EPOCH set after the warm process started must reach the build."""
    warm.start()
    waiting = warm._waiting
    assert waiting is not None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    process, was_warm = warm.launch(VERSION)
    process.communicate(timeout=60)
    assert not was_warm and process.returncode == 0
    assert waiting.returncode is not None  # stopped, not left behind


def test_a_build_that_fails_before_any_locale_stops_the_warm_process(tmp_path: Path) -> None:
    assert main(["build", "--conf-dir", str(tmp_path / "missing")]) != 0
    assert warm._waiting is None


def test_entry_point_starts_the_warm_process_before_importing_the_commands(
        tmp_path: Path) -> None:
    # What the entry point has imported by the time the warm process exists.
    probe = (
        "import sys\n"
        "from helpsite import cli\n"
        "from helpsite.sitebuild import warm\n"
        "def started():\n"
        "    print(sorted(m for m in ('helpsite.commands', 'sphinx', 'argparse')"
        " if m in sys.modules))\n"
        "    raise SystemExit(0)\n"
        "warm.start = started\n"
        f"cli.main(['build', '--conf-dir', {str(tmp_path)!r}])\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(("argv", "wanted"), [
    (["build"], True),
    (["build", "--locales", "nl-NL"], True),
    (["build", "--help"], False),
    (["-h"], False),
    (["validate", "source"], False),
    ([], False),
])
def test_build_requested(argv: list[str], wanted: bool) -> None:
    assert build_requested(argv) is wanted


def test_only_locale_commands_go_to_the_waiting_process() -> None:
    warm.start()
    process, was_warm = warm.launch([sys.executable, "-c", "print('other')"])
    assert process.communicate(timeout=60)[0] == "other\n" and not was_warm
    assert warm._waiting is not None


@pytest.mark.parametrize(("sent", "returncode", "message"), [
    ("", 0, ""),  # end of input: not needed, leaves without a word
    ("not json\n", 2, "no usable command line"),
    ('[1, "-b"]\n', 2, "not a list of arguments"),
])
def test_warm_process_builds_nothing_without_a_command_line(
        sent: str, returncode: int, message: str) -> None:
    run = subprocess.run([*warm.ENTRY, warm.WARM_FLAG], input=sent, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == returncode
    assert run.stdout == ""
    assert message in run.stderr and bool(run.stderr) == bool(message)


def test_read_arguments() -> None:
    assert read_arguments('["-b", "html"]\n') == ["-b", "html"]
    assert read_arguments("") is None
    with pytest.raises(ValueError):
        read_arguments('{"b": 1}\n')


@pytest.mark.slow
def test_warm_and_cold_builds_give_the_same_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = write_project(tmp_path / "project")
    report = tmp_path / "report.json"
    assert main(["build", "--conf-dir", str(project), "--source", str(project / "source"),
                 "--out", str(tmp_path / "warm"), "--locales", "nl-NL", "--report",
                 str(report)]) == REFUSED_CONTENT
    rows = json.loads(report.read_text(encoding="utf-8"))["locales"]
    assert [(r["locale"], r["warm"]) for r in rows] == [("nl-NL", True)]

    plan = make_plan(project, project / "source", tmp_path / "cold", locales="nl-NL")
    result = run_locale(plan, plan.builds[0])
    assert result.ok and not result.warm, result.output
    # The command fills the status page's figures after the builds; run_locale does not.
    warm_site = files_of(tmp_path / "warm" / "html" / "nl-nl", but=STATUS_PAGE)
    cold_site = files_of(tmp_path / "cold" / "html" / "nl-nl", but=STATUS_PAGE)
    assert len(warm_site) > 10
    assert warm_site == cold_site
