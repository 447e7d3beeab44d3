"""The writer's workflow on a copy of the sample site: make gettext update-po is idempotent."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from helpsite.catalogs.qa import check_catalog_file
from helpsite.commands import main

REPO = Path(__file__).resolve().parents[1]
VENV = Path(sys.executable).parent.parent


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def make(root: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    installed = VENV / "bin" / ".installed"
    return subprocess.run(["make", "-s", "-o", str(installed), f"VENV={VENV}", *targets],
                          cwd=root, capture_output=True, text=True, timeout=300)


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    if not any((REPO / "locales").rglob("*.po")):
        pytest.fail("the sample catalogs in locales/ are missing")
    for name in ("source", "locales"):
        shutil.copytree(REPO / name, tmp_path / name)
    for name in ("conf.py", "Makefile", "pyproject.toml"):
        shutil.copy2(REPO / name, tmp_path / name)
    return tmp_path


@pytest.mark.slow
def test_make_gettext_update_po_twice_changes_nothing_the_second_time(site_copy: Path) -> None:
    before = {name: polib.pofile(str(site_copy / "locales" / name))
              for name in snapshot(site_copy / "locales") if name.endswith(".po")}
    first = make(site_copy, "gettext", "update-po")
    assert first.returncode == 0, first.stderr + first.stdout
    after_first = snapshot(site_copy / "locales")
    second = make(site_copy, "gettext", "update-po")
    assert second.returncode == 0, second.stderr + second.stdout
    assert snapshot(site_copy / "locales") == after_first
    assert "0 written" in second.stdout
    # nothing lost: every translation of the sample catalogs is still in its file
    for name, old in before.items():
        kept = {(e.msgid, e.msgstr) for e in polib.pofile(str(site_copy / "locales" / name))}
        assert {(e.msgid, e.msgstr) for e in old if e.msgstr} <= kept, name
    # and the result still passes translation QA
    findings = [f for p in (site_copy / "locales").rglob("*.po") for f in check_catalog_file(p)]
    assert [f.format() for f in findings] == []


def test_update_po_cli_stops_on_conflict_markers(site_copy: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site_copy)
    pot_dir = site_copy / "build" / "gettext"
    pot_dir.mkdir(parents=True)
    (pot_dir / "index.pot").write_text('msgid ""\nmsgstr "Content-Type: text/plain; '
                                       'charset=UTF-8\\n"\n\nmsgid "Hi"\nmsgstr ""\n',
                                       encoding="utf-8")
    broken = site_copy / "locales" / "de-DE" / "LC_MESSAGES" / "index.po"
    broken.write_text(broken.read_text(encoding="utf-8") + "=======\n", encoding="utf-8")
    before = snapshot(site_copy / "locales")
    assert main(["update-po"]) == 1
    err = capsys.readouterr().err
    assert "locales/de-DE/LC_MESSAGES/index.po:" in err and "po.conflict-marker" in err
    assert "stopped before writing anything" in err
    assert snapshot(site_copy / "locales") == before
