"""update-po is safe: unreadable input stops the run, writes are atomic and locked."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.catalogs import (
    make_tree,
    po_entry,
    po_text,
    polib_entries,
    polib_obsolete,
    pot_text,
)
from helpsite.catalogs.locking import LockTimeout, catalog_lock
from helpsite.catalogs.settings import CatalogSettings
from helpsite.catalogs.update import update_catalogs
from helpsite.files import SLOW_WRITE_ENV, TEMP_SUFFIX

RUN_UPDATE = """
import json, sys
from pathlib import Path
from helpsite.catalogs.update import update_catalogs
report = update_catalogs(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps([p.to_dict() for p in report.pages]))
"""


def start_update(pot_dir: Path, locales: Path, *, slow: float = 0.0) -> subprocess.Popen[str]:
    env = {**os.environ, SLOW_WRITE_ENV: str(slow)} if slow else dict(os.environ)
    return subprocess.Popen([sys.executable, "-c", RUN_UPDATE, str(pot_dir), str(locales)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_for_temporary(folder: Path, timeout: float = 30.0) -> Path:
    """The writer's temporary file, once it holds at least one chunk."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for temp in folder.glob(f".*{TEMP_SUFFIX}"):
            if temp.stat().st_size > 0:
                return temp
        time.sleep(0.02)
    raise AssertionError("the writer never started writing")


def test_conflict_markers_stop_the_whole_run_and_leave_files_identical(tmp_path: Path) -> None:
    conflicted = po_text([po_entry("A", "B")]) + (
        '\n<<<<<<< HEAD\nmsgid "C"\nmsgstr "D"\n=======\nmsgid "C"\nmsgstr "E"\n>>>>>>> x\n')
    pot_dir, locales, bad = make_tree(tmp_path, pot_text(["A", "C"]), conflicted)
    _p, _l, good = make_tree(tmp_path, pot_text(["Other", "New"]),
                             po_text([po_entry("Other", "Ander")]), docname="other")
    before_bad, before_good = bad.read_bytes(), good.read_bytes()
    report = update_catalogs(pot_dir, locales, base=tmp_path)
    assert bad.read_bytes() == before_bad
    assert good.read_bytes() == before_good  # would have changed: "New" is a new message
    assert report.stopped and not report.pages
    markers = [f for f in report.findings if f.code.code == "po.conflict-marker"]
    expected = [number for number, line in enumerate(conflicted.split("\n"), start=1)
                if line[:7] in ("<<<<<<<", "=======", ">>>>>>>")]
    assert [f.line for f in markers] == expected and len(expected) == 3
    assert all(f.path == "locales/nl-NL/LC_MESSAGES/page.po" for f in markers)


@pytest.mark.parametrize(("language", "accepted"), [
    ("nl_NL", True), ("nl-NL", True), ("nl_nl", True), ("de_DE", False), ("", False)])
def test_language_header_must_match_the_folder(tmp_path: Path, language: str,
                                               accepted: bool) -> None:
    po = po_text([po_entry("A", "B")], language=language)
    pot_dir, locales, po_path = make_tree(tmp_path, pot_text(["A", "New"]), po)
    before = po_path.read_bytes()
    report = update_catalogs(pot_dir, locales, base=tmp_path)
    if accepted:
        assert not report.findings and "New" in polib_entries(po_path)
    else:
        assert [f.code.code for f in report.findings] == ["po.language"]
        assert po_path.read_bytes() == before


def test_file_mode_is_preserved(tmp_path: Path) -> None:
    pot_dir, locales, po_path = make_tree(tmp_path, pot_text(["A", "New"]),
                                          po_text([po_entry("A", "B")]))
    po_path.chmod(0o640)
    update_catalogs(pot_dir, locales, base=tmp_path)
    assert stat.S_IMODE(po_path.stat().st_mode) == 0o640
    assert "New" in polib_entries(po_path)


@pytest.mark.slow
def test_sigkill_in_the_middle_of_writing_leaves_the_original_intact(tmp_path: Path) -> None:
    messages = [f"Message number {i} about a fairly ordinary help topic." for i in range(6000)]
    original = po_text([po_entry(m, f"Bericht {i}") for i, m in enumerate(messages)])
    pot_dir, locales, po_path = make_tree(tmp_path, pot_text([*messages, "One more"]), original)
    before = po_path.read_bytes()
    assert len(before) > 4 * 64 * 1024  # several chunks, so a kill lands mid-file
    process = start_update(pot_dir, locales, slow=0.3)
    try:
        temp = wait_for_temporary(po_path.parent)
        assert 0 < temp.stat().st_size < len(before)  # really in the middle of writing
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert po_path.read_bytes() == before
    # the next run cleans the leftover and completes the update
    update_catalogs(pot_dir, locales, base=tmp_path)
    assert not list(po_path.parent.glob(f".*{TEMP_SUFFIX}"))
    entries = polib_entries(po_path)
    assert entries["Message number 5999 about a fairly ordinary help topic."].msgstr == \
        "Bericht 5999"
    assert "One more" in entries


@pytest.mark.slow
def test_two_concurrent_updates_lose_nothing(tmp_path: Path) -> None:
    original = po_text([po_entry("Alpha", "Alfa"), po_entry("Beta", "Bèta")] +
                       [po_entry(f"Filler {i} " * 8, f"Vulling {i}") for i in range(3000)])
    fillers = [f"Filler {i} " * 8 for i in range(3000)]
    pot_a, locales, po_path = make_tree(tmp_path / "a", pot_text(["Alpha", "Gamma", *fillers]),
                                        original)
    pot_b = tmp_path / "b"
    (pot_b / "page.pot").parent.mkdir(parents=True)
    (pot_b / "page.pot").write_text(pot_text(["Alpha", "Gamma", "Delta", *fillers]),
                                    encoding="utf-8")
    first = start_update(pot_a, locales, slow=0.2)
    wait_for_temporary(po_path.parent)  # A holds the lock and is writing
    second = start_update(pot_b, locales)
    out_a, err_a = first.communicate(timeout=120)
    out_b, err_b = second.communicate(timeout=120)
    assert first.returncode == 0, err_a
    assert second.returncode == 0, err_b
    page_a, page_b = json.loads(out_a)[0], json.loads(out_b)[0]
    assert (page_a["new"], page_a["obsolete"]) == (1, 1)  # Gamma new, Beta obsolete
    assert (page_b["new"], page_b["obsolete"]) == (1, 0)  # B saw A's result: only Delta
    entries = polib_entries(po_path)
    assert entries["Alpha"].msgstr == "Alfa" and {"Gamma", "Delta"} <= set(entries)
    assert polib_obsolete(po_path)["Beta"].msgstr == "Bèta"
    assert entries[fillers[2999]].msgstr == "Vulling 2999"


def test_a_second_run_fails_clearly_when_the_lock_is_held_too_long(tmp_path: Path) -> None:
    pot_dir, locales, _po_path = make_tree(tmp_path, pot_text(["A"]), po_text([]))
    with catalog_lock(locales), pytest.raises(LockTimeout, match="another helpsite run"):
        update_catalogs(pot_dir, locales, settings=CatalogSettings(lock_timeout=0.3))
