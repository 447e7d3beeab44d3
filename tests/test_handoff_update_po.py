"""``helpsite update-po`` and the translation memory: pre-fill on by default, off with
``--no-prefill``, and the per-locale pre-fill counts in the JSON report and the table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpsite.catalogs.pofile import read_catalog
from helpsite.cli import main
from test_handoff_memory import prefill_project

TABLE_TITLE = "update-po: pre-filled from the translation memory"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The pre-fill project (nl-NL has a memory) and an empty de-DE, run from its folder."""
    prefill_project(tmp_path)
    (tmp_path / "locales" / "de-DE" / "LC_MESSAGES").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")  # a table row on one line
    return tmp_path


def run_update_po(*extra: str) -> int:
    return main(["update-po", "--pot-dir", "pot", "--locales-dir", "locales",
                 "--source", "source", *extra])


def new_catalog(project: Path) -> list[tuple[str | None, str, str, bool]]:
    catalog = read_catalog(project / "locales" / "nl-NL" / "LC_MESSAGES" / "b.po")
    return [(e.msgctxt, e.msgid, e.msgstr, e.fuzzy) for e in catalog.active]


def test_prefill_is_on_by_default_and_counted_per_locale_in_json(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_update_po("--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["prefill"] == {
        "nl-NL": {"translated": 2, "fuzzy": 3, "ambiguous": 2},
        "de-DE": {"translated": 0, "fuzzy": 0, "ambiguous": 0}}
    assert report["totals"]["prefilled"] == 2 and report["totals"]["prefilled_fuzzy"] == 3
    pages = {(p["locale"], p["page"]): p for p in report["pages"]}
    assert pages["nl-NL", "b"]["prefilled"] == 2 and pages["nl-NL", "a"]["prefilled"] == 0
    filled = [row for row in new_catalog(project) if row[2]]
    assert len(filled) == 5 and sum(not fuzzy for *_, fuzzy in filled) == 2


def test_no_prefill_leaves_new_entries_empty(project: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert run_update_po("--no-prefill", "--format", "json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["totals"]["prefilled"] == 0 and report["totals"]["prefilled_fuzzy"] == 0
    assert all(counts == {"translated": 0, "fuzzy": 0, "ambiguous": 0}
               for counts in report["prefill"].values())
    rows = new_catalog(project)
    assert len(rows) == 6 and all(msgstr == "" and not fuzzy for _, _, msgstr, fuzzy in rows)


def table_rows(output: str, title: str) -> dict[str, list[str]]:
    """The body rows of the rich table titled ``title``: first cell -> the other cells."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    rows: dict[str, list[str]] = {}
    for line in lines[start + 1:]:
        if not line.strip() or line.lstrip()[0] not in "│┃┏┡└├":
            break
        cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
        if line.lstrip().startswith("│") and cells[0]:
            rows[cells[0]] = cells[1:]
    return rows


def test_the_table_shows_prefill_per_locale(project: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert run_update_po() == 0
    output = capsys.readouterr().out
    assert table_rows(output, TABLE_TITLE) == {"nl-NL": ["2", "3", "2"],
                                               "de-DE": ["0", "0", "0"]}


def test_the_table_is_left_out_when_nothing_was_prefilled(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_update_po("--no-prefill") == 0
    output = capsys.readouterr().out
    assert "update-po: what changed per page" in output
    assert TABLE_TITLE not in output
