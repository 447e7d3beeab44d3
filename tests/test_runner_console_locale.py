"""The build runner reads Sphinx's status lines for its progress display; Sphinx translates
them into the language of the process's locale, and colours them where CI is set. A writer
whose shell runs in French, and a CI job, must still see the phases: the locale process
gets a plain English console (helpsite.sitebuild.localeprocess.CONSOLE), whatever the
caller's LC_ALL and CI say.

A French locale is compiled for the test with glibc's localedef into a temporary LOCPATH,
so the test needs no system locale and changes nothing on the machine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.site import write_project
from helpsite.sitebuild.localeprocess import locale_process_environment, run_locale
from helpsite.sitebuild.plan import make_plan

FRENCH = "fr_FR.UTF-8"


def test_the_locale_process_gets_an_english_console_whatever_the_callers_locale() -> None:
    caller = {"LC_ALL": FRENCH, "LANG": FRENCH, "LANGUAGE": "fr", "PATH": "/usr/bin",
              "CI": "true"}
    environment = locale_process_environment(caller)
    assert environment["LC_ALL"] == "C.UTF-8" and environment["LANGUAGE"] == ""
    assert environment["NO_COLOR"] == "1"
    assert environment["PATH"] == "/usr/bin" and environment["PYTHONUNBUFFERED"] == "1"
    assert caller["LC_ALL"] == FRENCH  # the caller's own environment is left alone


@pytest.fixture(scope="module")
def french_locale(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    localedef = shutil.which("localedef")
    if localedef is None or not Path("/usr/share/i18n/locales/fr_FR").is_file():
        pytest.skip("glibc's localedef and its locale sources are needed")
    folder = tmp_path_factory.mktemp("locpath")
    subprocess.run([localedef, "-i", "fr_FR", "-f", "UTF-8", str(folder / FRENCH)],
                   check=True, capture_output=True, timeout=60)
    return {"LOCPATH": str(folder), "LC_ALL": FRENCH, "LANG": FRENCH}


def test_sphinx_writes_french_status_lines_in_that_locale(french_locale: dict[str, str]) -> None:
    # the premise: without the pin, Sphinx's "writing output... " would be French
    probe = ("import locale; locale.setlocale(locale.LC_ALL, ''); "
             "from sphinx.locale import init_console, __; init_console(); "
             "print(__('writing output... '))")
    shown = subprocess.run([sys.executable, "-c", probe], env={**os.environ, **french_locale},
                           capture_output=True, text=True, check=True, timeout=60).stdout
    assert shown.strip() != "writing output..."


@pytest.mark.slow
def test_progress_shows_every_phase_under_a_french_locale_in_ci(
        french_locale: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {**french_locale, "CI": "true"}.items():  # as on GitHub Actions
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NO_COLOR", raising=False)
    root = write_project(tmp_path / "project")
    plan = make_plan(root, root / "source", tmp_path / "out", locales=["en-US"])
    seen: list[tuple[str, float]] = []
    result = run_locale(plan, plan.builds[0], progress=lambda _tag, what, done:
                        seen.append((what, done)))
    assert result.ok, result.output
    phases = [what for what, _done in seen]
    assert "reading" in phases and "writing" in phases, phases
    assert result.read and result.read > 0  # "updating environment: N added" understood
