"""The translation memory (helpsite.handoff.memory): exact and fuzzy matches over
normalised text, built from catalogs and sxs files; TMX; update-po's pre-fill."""

from __future__ import annotations

from pathlib import Path

from helpsite.handoff.memory import (
    TranslationMemory,
    add_sxs_text,
    memory_from_catalogs,
    normalise,
    word_count,
)

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

