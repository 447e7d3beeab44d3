"""stats: messages and words per locale and page, priority first, stale pages, HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.catalogs import po_entry, po_text, pot_text
from helpsite.catalogs.staleness import source_hash
from helpsite.catalogs.stats import collect_stats, count_words
from helpsite.catalogs.stats_report import stats_html
from helpsite.commands import main


def site(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    (source / "billing").mkdir(parents=True)
    (source / "billing" / "urgent.md").write_text(
        "---\ntitle: Urgent\nlocalization_priority: Priority\n---\n# Urgent\n", encoding="utf-8")
    (source / "billing" / "normal.md").write_text(
        "---\ntitle: Normal\nlocalization_priority: Normal\n---\n# Normal\n", encoding="utf-8")
    folder = tmp_path / "locales" / "nl-NL" / "LC_MESSAGES" / "billing"
    folder.mkdir(parents=True)
    (folder / "normal.po").write_text(po_text([
        po_entry("Two words", "Twee woorden"), po_entry("Three more words", "Drie", fuzzy=True),
        po_entry("See [the invoice](x.md) now", ""), po_entry("Old", "Oud", obsolete=True)]),
        encoding="utf-8")
    stale_header = f'"X-Source-Hash: {"0" * 40}\\n"\n'
    urgent = po_text([po_entry("Urgent", "Dringend")]).replace(
        '"X-Meta-ms.translationtype: HT\\n"\n', '"X-Meta-ms.translationtype: HT\\n"\n' +
        stale_header)
    (folder / "urgent.po").write_text(urgent, encoding="utf-8")
    pot_dir = tmp_path / "build" / "gettext" / "billing"
    pot_dir.mkdir(parents=True)
    (pot_dir / "missing.pot").write_text(pot_text(["Not yet here"]), encoding="utf-8")
    return tmp_path


def test_counts_messages_and_words_priority_first_and_stale(tmp_path: Path) -> None:
    root = site(tmp_path)
    report = collect_stats(root / "locales", source_dir=root / "source",
                           pot_dir=root / "build" / "gettext", base=root)
    (locale,) = report.locales
    assert [p.page for p in locale.pages] == ["billing/urgent", "billing/missing",
                                              "billing/normal"]
    urgent, missing, normal = locale.pages
    assert urgent.priority and urgent.stale
    assert (normal.translated, normal.fuzzy, normal.untranslated) == (1, 1, 1)
    assert (normal.translated_words, normal.fuzzy_words, normal.untranslated_words) == (2, 3, 4)
    assert (missing.untranslated, missing.path) == (1, "(no PO file yet)")
    assert [p.page for p in locale.stale_pages] == ["billing/urgent"]
    assert locale.totals().translated == 2


def test_page_with_current_hash_is_not_stale(tmp_path: Path) -> None:
    root = site(tmp_path)
    po_path = root / "locales" / "nl-NL" / "LC_MESSAGES" / "billing" / "urgent.po"
    digest = source_hash(root / "source" / "billing" / "urgent.md")
    po_path.write_text(po_path.read_text(encoding="utf-8").replace("0" * 40, digest),
                       encoding="utf-8")
    report = collect_stats(root / "locales", source_dir=root / "source")
    assert report.locales[0].stale_pages == []


def test_word_count_ignores_link_targets_and_markup() -> None:
    assert count_words("See **[the invoice](../billing/x.md#a)** <br> now") == 4


def test_html_report_is_standalone_with_a_chart_per_locale(tmp_path: Path) -> None:
    root = site(tmp_path)
    report = collect_stats(root / "locales", source_dir=root / "source")
    soup = BeautifulSoup(stats_html(report), "lxml")
    svg = soup.find("svg")
    assert svg is not None and "nl-NL" in svg.get_text()
    assert [r["fill"] for r in svg.find_all("rect")][:3] == ["#2e7d32", "#f9a825", "#b0bec5"]
    assert not soup.find_all(src=True) and not soup.find_all("link")  # no external assets
    assert soup.find("th", string="billing/urgent") is not None


def test_cli_json_and_html(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = site(tmp_path)
    monkeypatch.chdir(root)
    assert main(["stats", "--format", "json", "--html", "out/status.html"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["locales"][0]["stale"] == ["billing/urgent"]
    assert data["locales"][0]["pages"][0]["priority"] is True
    assert (root / "out" / "status.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")


def test_cache_reuses_unchanged_pages_and_recounts_changed_ones(tmp_path: Path) -> None:
    root = site(tmp_path)
    cache: dict[str, object] = {}
    first = collect_stats(root / "locales", source_dir=root / "source", cache=cache)
    assert set(cache) == {"nl-NL/billing/normal", "nl-NL/billing/urgent"}
    # A cached entry is what is used while its files are unchanged (proved by altering it).
    cache["nl-NL/billing/urgent"]["stats"]["translated"] = 99  # type: ignore[index]
    again = collect_stats(root / "locales", source_dir=root / "source", cache=cache)
    assert again.locales[0].pages[0].translated == 99
    po_path = root / "locales" / "nl-NL" / "LC_MESSAGES" / "billing" / "urgent.po"
    po_path.write_text(po_path.read_text(encoding="utf-8").replace("Dringend", ""),
                       encoding="utf-8")
    changed = collect_stats(root / "locales", source_dir=root / "source", cache=cache)
    urgent = changed.locales[0].pages[0]
    assert (urgent.page, urgent.translated, urgent.untranslated) == ("billing/urgent", 0, 1)
    assert first.locales[0].pages[0].translated == 1
    po_path.unlink()
    collect_stats(root / "locales", source_dir=root / "source", cache=cache)
    assert set(cache) == {"nl-NL/billing/normal"}


@pytest.mark.parametrize(("text", "words"), [
    ("常見的 Excel 會損毀？", 7),          # six Han characters, one Latin word
    ("選取 **[共用](share.md)**。", 4),    # markup and link target left out
    ("Excel หยุดการหยุดใช้งานบ่อยหรือไม่", 9),  # Thai: ICU's words, not one run
    ("Excel이 자주 충돌하나요?", 3),         # Korean: its spaces
    ("Select **Save** and close.", 4),    # English as before
    ("Choose **File** \\> **Options** – now", 4),  # punctuation alone is no word
])
def test_word_count_of_scripts_without_spaces(text: str, words: int) -> None:
    assert count_words(text) == words
