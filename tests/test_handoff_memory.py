"""The translation memory (helpsite.handoff.memory): exact and fuzzy matches over
normalised text, built from catalogs and sxs files; TMX; update-po's pre-fill."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpsite.catalogs.pofile import read_catalog
from helpsite.catalogs.update import update_catalogs
from helpsite.handoff.memory import (
    AGREEING_ORIGINS,
    TM_COMMENT,
    TranslationMemory,
    add_sxs_text,
    memory_from_catalogs,
    normalise,
    word_count,
)
from helpsite.handoff.tmx import TmxError, read_tmx, write_tmx

HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Language: nl_NL\\n"\n\n')


def write_po(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def small_memory() -> TranslationMemory:
    memory = TranslationMemory("nl-NL")
    memory.add("Select **Save**.", "Selecteer **Opslaan**.", "a.po")
    memory.add("Select **Save**.", "Selecteer **Opslaan**.", "b.po")
    memory.add("Select **Save**.", "Kies **Bewaren**.", "c.po")
    memory.add("Go to [Settings](https://example.com/settings).",
               "Ga naar [Instellingen](https://example.com/settings).", "d.po")
    memory.add("Restart the computer.", "Start de computer opnieuw op.", "e.po")
    return memory


def test_exact_match_takes_the_most_frequent_translation() -> None:
    match = small_memory().matches("Select **Save**.", limit=3)[0]
    assert match.exact and match.score == 100
    assert match.target == "Selecteer **Opslaan**."
    assert match.origin == "a.po"


def test_markup_is_a_placeable_so_a_changed_url_scores_99() -> None:
    memory = small_memory()
    found = memory.matches("Go to [Settings](https://example.com/other-page).")
    assert [m.score for m in found] == [99.0]
    assert found[0].target.startswith("Ga naar [Instellingen]")
    assert normalise("`a` and `b`") == normalise("`x` and `yyyy`")


def test_fuzzy_match_is_below_100_and_unrelated_text_has_none() -> None:
    memory = small_memory()
    found = memory.matches("Restart your computer.")
    assert len(found) == 1 and 75 <= found[0].score < 100 and not found[0].exact
    assert memory.matches("Payment methods differ by country.") == []


def test_limit_and_order() -> None:
    memory = small_memory()
    memory.add("Select **Share**.", "Selecteer **Delen**.", "f.po")
    found = memory.matches("Select **Save**.", limit=2)
    assert len(found) == 2
    assert found[0].exact and found[1].source == "Select **Share**."
    assert found[0].score > found[1].score


def test_same_context_is_preferred() -> None:
    memory = TranslationMemory("nl-NL")
    memory.add("Open", "Openen", "a.po", context="button")
    memory.add("Open", "Geopend", "b.po", context="status")
    assert memory.exact("Open", "status").target == "Geopend"
    assert memory.exact("Open", "button").target == "Openen"


def agreed_memory(agreeing: int) -> TranslationMemory:
    """``agreeing`` catalogs with the one translation of "Select **Save**."."""
    memory = TranslationMemory("nl-NL")
    for number in range(agreeing):
        memory.add("Select **Save**.", "Selecteer **Opslaan**.", f"{number}.po")
    return memory


def test_exact_fill_is_confirmed_when_enough_origins_agree() -> None:
    fill = agreed_memory(AGREEING_ORIGINS).exact_fill("Select **Save**.")
    assert fill is not None and fill.confirmed and fill.agreed and not fill.in_context
    assert fill.origins == AGREEING_ORIGINS and fill.alternatives == ()
    assert fill.match.target == "Selecteer **Opslaan**."
    assert agreed_memory(AGREEING_ORIGINS).exact_fill("Select **Open**.") is None


def test_exact_fill_met_in_too_few_origins_is_not_confirmed() -> None:
    memory = agreed_memory(AGREEING_ORIGINS - 1)
    memory.add("Select **Save**.", "Selecteer **Opslaan**.", "0.po")  # same origin again
    fill = memory.exact_fill("Select **Save**.")
    assert fill is not None and not fill.confirmed
    assert fill.origins == AGREEING_ORIGINS - 1
    assert memory.exact_fill("Select **Save**.", agreeing_origins=2).confirmed


def test_exact_fill_with_competing_translations_offers_the_others() -> None:
    memory = agreed_memory(AGREEING_ORIGINS + 1)
    memory.add("Select **Save**.", "Kies **Opslaan**.", "x.po")
    memory.add("Select **Save**.", "Klik op **Opslaan**.", "y.po")
    fill = memory.exact_fill("Select **Save**.")
    assert fill is not None and not fill.confirmed
    assert fill.match.target == "Selecteer **Opslaan**."  # the most frequent
    assert fill.alternatives == ("Kies **Opslaan**.", "Klik op **Opslaan**.")


def test_exact_fill_in_context_is_confirmed_by_one_unit() -> None:
    memory = agreed_memory(2)
    memory.add("Select **Save**.", "Kies **Opslaan**.", "x.po")
    memory.add("Open", "Openen", "a.po", context="menu")
    memory.add("Open", "Open", "b.po")
    by_msgctxt = memory.exact_fill("Open", "menu")
    assert by_msgctxt is not None and by_msgctxt.in_context and by_msgctxt.confirmed
    assert by_msgctxt.match.target == "Openen" and by_msgctxt.alternatives == ("Open",)
    same_catalog = memory.exact_fill("Select **Save**.", origin="x.po")
    assert same_catalog is not None and same_catalog.confirmed
    assert same_catalog.match.target == "Kies **Opslaan**."
    elsewhere = memory.exact_fill("Select **Save**.", origin="new.po")
    assert elsewhere is not None and not elsewhere.confirmed


def test_agreement_in_another_msgctxt_does_not_confirm() -> None:
    memory = TranslationMemory("nl-NL")
    for number in range(AGREEING_ORIGINS):
        memory.add("Open", "Openen", f"{number}.po", context="button")
    assert memory.exact_fill("Open", "button").confirmed
    assert not memory.exact_fill("Open", "status").confirmed
    assert not memory.exact_fill("Open").confirmed


def test_word_count_ignores_markup_and_urls() -> None:
    assert word_count("Go to [Settings](https://example.com/a-b-c) and `run --it`.") == 4
    assert word_count("Don't select **Save**.") == 3


def test_memory_from_catalogs_keeps_only_confirmed_translations(tmp_path: Path) -> None:
    folder = tmp_path / "locales" / "nl-NL" / "LC_MESSAGES"
    write_po(folder / "billing" / "a.po",
             'msgid "Confirmed."\nmsgstr "Bevestigd."\n\n'
             '#, fuzzy\nmsgid "Guessed."\nmsgstr "Gegokt."\n\n'
             'msgid "Empty."\nmsgstr ""\n\n'
             '#~ msgid "Old text."\n#~ msgstr "Oude tekst."\n')
    write_po(folder / "broken.po", 'msgid "x"\n')
    memory = memory_from_catalogs(tmp_path / "locales", "nl-NL", base=tmp_path)
    assert {u.source for u in memory.units()} == {"Confirmed.", "Old text."}
    assert memory.exact("Confirmed.").origin == "locales/nl-NL/LC_MESSAGES/billing/a.po"
    assert memory.exact("Guessed.") is None
    assert memory.findings and memory.findings[0].path.endswith("broken.po")


def test_sxs_pairs_become_units() -> None:
    memory = TranslationMemory("nl-NL")
    text = ('# <span data-ttu-id="a-1">Titel</span><span class="sxs-lookup">'
            '<span data-stu-id="a-1">Title</span></span>\n\n'
            '<span data-ttu-id="a-2">Zin.</span><span class="sxs-lookup">'
            '<span data-stu-id="a-2">Sentence.</span></span>\n')
    assert add_sxs_text(memory, text, "sxs:x.md") == 2
    assert memory.exact("Sentence.").target == "Zin."
    assert memory.exact("Title").origin == "sxs:x.md"



# -- update-po's pre-fill ------------------------------------------------------------------

POT_HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n')


def prefill_project(tmp_path: Path) -> tuple[Path, Path]:
    """a.po and AGREEING_ORIGINS - 1 more catalogs agree on "Select **Save**."; they
    translate "Select **Cancel**." in two ways; "Open" only a.po has, as a menu item. The
    new b.pot has each of these, a near match and a text the memory lacks."""
    pot_dir, locales = tmp_path / "pot", tmp_path / "locales"
    pot_dir.mkdir(parents=True)
    (pot_dir / "a.pot").write_text(POT_HEADER + 'msgid "Select **Save**."\nmsgstr ""\n\n'
                                   'msgctxt "menu"\nmsgid "Open"\nmsgstr ""\n',
                                   encoding="utf-8")
    (pot_dir / "b.pot").write_text(
        POT_HEADER + 'msgid "Select **Save**."\nmsgstr ""\n\n'
        'msgid "Select **Cancel**."\nmsgstr ""\n\n'
        'msgid "Select **Share**."\nmsgstr ""\n\n'
        'msgid "Open"\nmsgstr ""\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr ""\n\n'
        'msgid "Payment methods differ by country."\nmsgstr ""\n', encoding="utf-8")
    folder = locales / "nl-NL" / "LC_MESSAGES"
    write_po(folder / "a.po",
             'msgid "Select **Save**."\nmsgstr "Selecteer **Opslaan**."\n\n'
             'msgctxt "menu"\nmsgid "Open"\nmsgstr "Openen"\n')
    for number in range(1, AGREEING_ORIGINS):
        cancel = "Kies **Annuleren**." if number == 1 else "Selecteer **Annuleren**."
        write_po(folder / f"other-{number}.po",
                 f'msgid "Select **Save**."\nmsgstr "Selecteer **Opslaan**."\n\n'
                 f'msgid "Select **Cancel**."\nmsgstr "{cancel}"\n')
    return pot_dir, locales


def test_update_po_prefills_unambiguous_exact_translated_others_fuzzy(tmp_path: Path) -> None:
    pot_dir, locales = prefill_project(tmp_path)
    report = update_catalogs(pot_dir, locales, base=tmp_path)
    assert not report.findings
    totals = report.totals()
    assert (totals["prefilled"], totals["prefilled_fuzzy"], totals["prefilled_ambiguous"]) == (
        2, 3, 2)
    catalog = read_catalog(locales / "nl-NL" / "LC_MESSAGES" / "b.po")
    entries = {(e.msgctxt, e.msgid): e for e in catalog.active}
    agreed = entries[None, "Select **Save**."]
    assert agreed.msgstr == "Selecteer **Opslaan**." and not agreed.fuzzy
    assert agreed.translator_comments == [
        f"{TM_COMMENT} exact match from locales/nl-NL/LC_MESSAGES/a.po, the one translation "
        f"of {AGREEING_ORIGINS} catalogs"]
    in_context = entries["menu", "Open"]
    assert in_context.msgstr == "Openen" and not in_context.fuzzy
    assert "exact match in context" in in_context.translator_comments[0]
    competing = entries[None, "Select **Cancel**."]
    assert competing.fuzzy and competing.msgstr == "Selecteer **Annuleren**."
    assert competing.translator_comments[1:] == [f"{TM_COMMENT} alternative: Kies **Annuleren**."]
    assert competing.previous_msgid is None  # the same text: nothing to compare
    near = entries[None, "Select **Share**."]
    assert near.fuzzy and near.msgstr == "Selecteer **Opslaan**."
    assert near.previous_msgid == "Select **Save**."
    assert "% match from locales/nl-NL/LC_MESSAGES/" in near.translator_comments[0]
    other_context = entries[None, "Open"]  # the same text, but the memory has it as a menu item
    assert other_context.fuzzy and other_context.msgstr == "Openen"
    assert other_context.previous_msgctxt == "menu"
    assert "the same text in another context" in other_context.translator_comments[0]
    assert entries[None, "Payment methods differ by country."].msgstr == ""


def test_prefilled_fuzzy_entries_are_not_published(tmp_path: Path) -> None:
    pot_dir, locales = prefill_project(tmp_path)
    update_catalogs(pot_dir, locales, base=tmp_path)
    catalog = read_catalog(locales / "nl-NL" / "LC_MESSAGES" / "b.po")
    published = {(e.msgctxt, e.msgid) for e in catalog.active if e.translated and not e.fuzzy}
    assert published == {(None, "Select **Save**."), ("menu", "Open")}


def test_update_po_with_prefill_is_idempotent_and_can_be_turned_off(tmp_path: Path) -> None:
    pot_dir, locales = prefill_project(tmp_path)
    update_catalogs(pot_dir, locales, base=tmp_path)
    second = update_catalogs(pot_dir, locales, base=tmp_path)
    assert not any(page.written for page in second.pages)
    assert second.totals()["prefilled"] == 0
    plain_pot, plain_locales = prefill_project(tmp_path / "plain")
    update_catalogs(plain_pot, plain_locales, base=tmp_path, prefill=False)
    catalog = read_catalog(plain_locales / "nl-NL" / "LC_MESSAGES" / "b.po")
    assert all(e.msgstr == "" for e in catalog.active)


# -- TMX -------------------------------------------------------------------------------------


def test_tmx_round_trip_keeps_every_unit(tmp_path: Path) -> None:
    memory = small_memory()
    memory.add("Open", "Openen", "a.po", context="menu")
    memory.add("Use <b>&amp;</b> \"quotes\"", "Gebruik <b>&amp;</b> \"aanhalingstekens\"", "x")
    path = tmp_path / "nl-NL.tmx"
    write_tmx(memory, path)
    again = read_tmx(path, "nl-NL")
    assert list(again.units()) == list(memory.units())
    assert again.exact("Open", "menu").context == "menu"


def test_tmx_is_read_by_translate_toolkit(tmp_path: Path) -> None:
    """What Weblate and Pootle read TMX with sees the same pairs."""
    from translate.storage.tmx import tmxfile

    path = tmp_path / "nl-NL.tmx"
    write_tmx(small_memory(), path)
    store = tmxfile.parsefile(str(path))
    pairs = {(unit.source, unit.target) for unit in store.units}
    assert ("Restart the computer.", "Start de computer opnieuw op.") in pairs
    assert len(store.units) == len(small_memory())


def test_unreadable_tmx_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.tmx"
    path.write_text("<tmx><body><tu>", encoding="utf-8")
    with pytest.raises(TmxError, match=r"bad\.tmx:1: not a readable TMX file"):
        read_tmx(path, "nl-NL")


# -- make bench-handoff ----------------------------------------------------------------------


def _sxs(pairs: list[tuple[str, str]]) -> str:
    return "\n\n".join(
        f'<span data-ttu-id="x-{n}">{target}</span><span class="sxs-lookup">'
        f'<span data-stu-id="x-{n}">{source}</span></span>' for n, (source, target)
        in enumerate(pairs))


def test_benchmark_hides_a_fixed_sample_and_measures_fills(tmp_path: Path) -> None:
    from bench.handoff import measure_locale, pooled, split

    folder = tmp_path / "nl-NL"
    folder.mkdir()
    for number in range(10):
        (folder / f"a{number}.md").write_text(_sxs([
            ("Select **Save**.", "Selecteer **Opslaan**." if number else "Kies **Opslaan**."),
            (f"Article number {number} is unique.", f"Artikel {number} is uniek."),
        ]), encoding="utf-8")
    assert split([f"a{n}.md" for n in range(10)], 0.2, 1) == split(
        [f"a{n}.md" for n in reversed(range(10))], 0.2, 1)
    result = measure_locale(folder, share=0.2, seed=1)
    assert result.hidden_articles == 2 and result.memory_units == 16
    assert result.exact_fills == 2  # "Select **Save**." in both hidden articles
    assert result.hidden_words == 2 * (2 + 5)
    assert result.exact_words == 4
    assert result.fuzzy_fills == 2  # "Article number N is unique." is close to the others
    assert result.fuzzy_distance > 0
    hidden_first = "a0.md" in split([f"a{n}.md" for n in range(10)], 0.2, 1)
    assert result.exact_identical == (1 if hidden_first else 2)
    # Applied as translated only when the memory's 8 articles agree: a0 is hidden.
    assert result.translated_fills == (2 if hidden_first else 0)
    assert result.translated_identical == (1 if hidden_first else 0)
    assert result.translated_words == (4 if hidden_first else 0)
    assert result.fuzzy_fill_leverage == pytest.approx(
        100.0 * (result.exact_words - result.translated_words + result.fuzzy_words) / 14)
    both = pooled([result, result])
    assert both.hidden_words == 28 and both.precision == result.precision


def test_cli_handoff_memory_writes_one_tmx_per_locale(tmp_path: Path, monkeypatch) -> None:
    from helpsite.commands import main

    locales = tmp_path / "locales"
    write_po(locales / "nl-NL" / "LC_MESSAGES" / "a.po", 'msgid "Yes."\nmsgstr "Ja."\n')
    monkeypatch.chdir(tmp_path)
    assert main(["handoff", "memory", "--locales-dir", "locales", "--out", "tm"]) == 0
    memory = read_tmx(tmp_path / "tm" / "nl-NL.tmx", "nl-NL")
    assert memory.exact("Yes.").target == "Ja."
    assert memory.exact("Yes.").origin == "locales/nl-NL/LC_MESSAGES/a.po"


def test_word_count_of_chinese_and_thai_is_not_one_word_per_run() -> None:
    """The handoff bands count as helpsite stats does (catalogs.words): each Han character,
    Thai by ICU's words."""
    assert word_count("選取 [共用](share.md)。") == 4
    assert word_count("หยุดการหยุดใช้งาน") == 4  # หยุด การ หยุด ใช้งาน
