"""``helpsite handoff analyse`` (helpsite.handoff.analysis): words by match band per
locale and article, repetitions counted once, and its JSON, CSV and HTML outputs."""

from __future__ import annotations

import csv
import io
import json
import random
import time
from pathlib import Path

from bs4 import BeautifulSoup
from helpsite.catalogs.pofile import Catalog, Entry
from helpsite.catalogs.writer import render_catalog
from helpsite.commands import main
from helpsite.handoff.analysis import (
    BANDS,
    REPETITIONS,
    analyse,
    analysis_csv,
    analysis_html,
    band_of,
)
from helpsite.handoff.memory import TranslationMemory, add_sxs_text, word_count
from helpsite.importers.sxs import sentence_pairs

HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Language: nl_NL\\n"\n"X-Source-Hash: {hash}\\n"\n\n')


def po(path: Path, body: str, source_hash: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(hash=source_hash) + body, encoding="utf-8")


def project(tmp_path: Path) -> Path:
    folder = tmp_path / "locales" / "nl-NL" / "LC_MESSAGES"
    po(folder / "done.po",
       'msgid "Select **Save** to keep your changes."\nmsgstr "Kies **Opslaan**."\n\n'
       'msgid "Sign in to the admin center with your work account."\n'
       'msgstr "Meld u aan bij het beheercentrum."\n')
    po(folder / "a-todo.po",
       'msgid "Select **Save** to keep your changes."\nmsgstr ""\n\n'  # 100 %
       'msgid "Sign in to the admin centre with your work account."\nmsgstr ""\n\n'  # fuzzy
       '#, fuzzy\nmsgid "Payment methods differ from country to country."\n'
       'msgstr "Betaalmethoden."\n\n'  # no match, fuzzy status
       'msgid "Contact support."\nmsgstr "Neem contact op."\n')  # translated: not counted
    po(folder / "b-again.po",
       'msgid "Payment methods differ from country to country."\nmsgstr ""\n')  # repetition
    return tmp_path / "locales"


def test_band_edges() -> None:
    assert [band_of(s) for s in (100, 99.9, 95, 94.9, 85, 84.9, 75, 74.9, None)] == [
        "100%", "95-99%", "95-99%", "85-94%", "85-94%", "75-84%", "75-84%", "no match",
        "no match"]


def test_words_by_band_with_repetitions_counted_once(tmp_path: Path) -> None:
    report = analyse(project(tmp_path), ["nl-NL"], base=tmp_path)
    assert not report.findings
    locale = report.locales[0]
    pages = {p.page: p for p in locale.pages}
    todo = pages["a-todo"].counts
    assert todo.words["100%"] == word_count("Select **Save** to keep your changes.") == 6
    assert todo.messages["95-99%"] == 1
    assert todo.words["no match"] == 7
    assert pages["a-todo"].status == {"new": 2, "fuzzy": 1, "stale": 0}
    assert pages["b-again"].counts.words[REPETITIONS] == 7
    assert pages["b-again"].counts.words["no match"] == 0
    assert pages["done"].counts.total_words == 0
    assert locale.totals.total_words == 6 + 10 + 7 + 7


def test_an_ambiguous_exact_match_is_still_in_the_100_band(tmp_path: Path) -> None:
    """update-po offers an exact match with competing translations as fuzzy (a person
    chooses), but the cost is a 100 % match's, as CAT tools count it."""
    folder = tmp_path / "locales" / "nl-NL" / "LC_MESSAGES"
    po(folder / "one.po", 'msgid "Select **Save**."\nmsgstr "Selecteer **Opslaan**."\n')
    po(folder / "two.po", 'msgid "Select **Save**."\nmsgstr "Kies **Opslaan**."\n')
    po(folder / "new.po", 'msgid "Select **Save**."\nmsgstr ""\n')
    memory = TranslationMemory("nl-NL")
    memory.add("Select **Save**.", "Selecteer **Opslaan**.", "one.po")
    memory.add("Select **Save**.", "Kies **Opslaan**.", "two.po")
    assert not memory.exact_fill("Select **Save**.").confirmed
    report = analyse(tmp_path / "locales", ["nl-NL"], base=tmp_path)
    page = next(p for p in report.locales[0].pages if p.page == "new")
    assert page.counts.messages["100%"] == 1 and page.counts.words["100%"] == 2
    assert page.counts.total_words == 2


def test_stale_page_counts_its_translated_messages_without_its_own_match(
        tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    source = tmp_path / "source"
    source.mkdir()
    (source / "changed.md").write_text("# Changed\n", encoding="utf-8")
    po(locales / "nl-NL" / "LC_MESSAGES" / "changed.po",
       'msgid "Restart the computer and try again."\nmsgstr "Start opnieuw op."\n',
       source_hash="0" * 40)
    report = analyse(locales, ["nl-NL"], source_dir=source, base=tmp_path)
    page = report.locales[0].pages[0]
    assert page.status["stale"] == 1
    assert page.counts.words["no match"] == 6  # its own translation is no match for it


def test_a_pot_message_without_a_po_entry_is_new(tmp_path: Path) -> None:
    locales = project(tmp_path)
    pots = tmp_path / "pot"
    pots.mkdir()
    (pots / "fresh.pot").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Contact support."\nmsgstr ""\n', encoding="utf-8")
    report = analyse(locales, ["nl-NL"], pot_dir=pots, base=tmp_path)
    fresh = next(p for p in report.locales[0].pages if p.page == "fresh")
    assert fresh.status["new"] == 1 and fresh.counts.words["100%"] == 2


def test_csv_and_html_outputs(tmp_path: Path) -> None:
    report = analyse(project(tmp_path), ["nl-NL"], base=tmp_path)
    rows = list(csv.DictReader(io.StringIO(analysis_csv(report))))
    assert rows[0]["page"] == "(all pages)" and int(rows[0]["total"]) == 30
    assert {r["page"] for r in rows[1:]} == {"a-todo", "b-again"}
    soup = BeautifulSoup(analysis_html(report), "lxml")
    assert soup.find("script") is None
    svg = soup.find("svg")
    assert svg is not None and len(svg.find_all("rect")) >= len(BANDS)
    titles = [t.get_text() for t in svg.find_all("title")]
    assert "100%: 6 words" in titles and "repetitions: 7 words" in titles
    headers = [th.get_text() for th in soup.find("table").find_all("th")]
    assert headers == ["locale", *BANDS, "total"]


def test_html_escapes_page_names(tmp_path: Path) -> None:
    folder = tmp_path / "locales" / "nl-NL" / "LC_MESSAGES"
    po(folder / "<img src=x onerror=alert(1)>.po", 'msgid "Some words here."\nmsgstr ""\n')
    soup = BeautifulSoup(analysis_html(analyse(tmp_path / "locales", ["nl-NL"])), "lxml")
    assert soup.find("img") is None
    assert any("onerror" in td.get_text() for td in soup.find_all("td"))


def test_cli_writes_json_csv_html(tmp_path: Path, monkeypatch, capsys) -> None:
    locales = project(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    status = main(["handoff", "analyse", "--locales-dir", str(locales), "--locales", "nl-NL",
                   "--pot-dir", str(tmp_path / "none"), "--out", str(out), "--format", "json"])
    assert status == 0
    printed = json.loads(capsys.readouterr().out)
    written = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert printed == written
    assert written["locales"][0]["totals"]["words"]["repetitions"] == 7
    assert (out / "analysis.csv").is_file() and (out / "analysis.html").is_file()


def test_cli_reports_an_unreadable_catalog_and_exits_1(tmp_path: Path, monkeypatch,
                                                      capsys) -> None:
    locales = project(tmp_path)
    (locales / "nl-NL" / "LC_MESSAGES" / "broken.po").write_text("<<<<<<< HEAD\n",
                                                                  encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status = main(["handoff", "analyse", "--locales-dir", str(locales),
                   "--out", str(tmp_path / "out")])
    assert status == 1
    assert "broken.po:1:1: error po." in capsys.readouterr().err


def _catalog_of(pairs: list[tuple[str, str]], translated: bool) -> Catalog:
    catalog = Catalog(header=[("Content-Type", "text/plain; charset=UTF-8"),
                              ("Language", "nl_NL")])
    seen: set[str] = set()
    for source, target in pairs:
        if source.strip() and source.strip() not in seen:
            seen.add(source.strip())
            catalog.entries.append(Entry(msgid=source.strip(),
                                         msgstr=target.strip() if translated else ""))
    return catalog


def test_real_corpus_two_hundred_articles_of_one_locale(corpus: Path, tmp_path: Path) -> None:
    """200 real nl-NL articles as catalogs, 20 more untranslated: the analysis finds the
    real repetitions and matches, and every hidden word lands in exactly one band."""
    files = sorted((corpus / "alchemy-sxs" / "nl-NL").glob("*.md"))[:220]
    random.Random(7).shuffle(files)
    folder = tmp_path / "locales" / "nl-NL" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    hidden_words = 0
    memory = TranslationMemory("nl-NL")
    for number, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        catalog = _catalog_of(sentence_pairs(text), translated=number < 200)
        if number < 200:
            add_sxs_text(memory, text, path.name)
        else:
            hidden_words += sum(word_count(e.msgid) for e in catalog.entries)
        (folder / f"{path.stem}.po").write_text(render_catalog(catalog, width=79),
                                                encoding="utf-8")
    started = time.perf_counter()
    report = analyse(tmp_path / "locales", ["nl-NL"], base=tmp_path)
    assert time.perf_counter() - started < 15
    assert not report.findings
    totals = report.locales[0].totals
    assert totals.total_words == hidden_words > 1000
    assert totals.words["100%"] > 0.05 * hidden_words  # boilerplate recurs across articles
    assert totals.words["no match"] < hidden_words
    assert len(memory) > 1500
