"""update-po's nothing-lost rules, one test each, checked by reading the result with polib."""

from __future__ import annotations

from pathlib import Path

from helpers.catalogs import (
    make_tree,
    po_entry,
    po_text,
    polib_entries,
    polib_obsolete,
    pot_text,
)
from helpsite.catalogs.pofile import read_catalog
from helpsite.catalogs.settings import CatalogSettings
from helpsite.catalogs.staleness import is_stale, source_hash
from helpsite.catalogs.update import update_catalogs


def update(root: Path, **kwargs: object):
    return update_catalogs(root / "build" / "gettext", root / "locales", base=root,
                           **kwargs)  # type: ignore[arg-type]


def test_unchanged_source_keeps_translation_comments_and_flags(tmp_path: Path) -> None:
    po = po_text([po_entry("Sign in", "Aanmelden", comment="checked by Sanne"),
                  '#, no-wrap\nmsgid "Sign out"\nmsgstr "Afmelden"\n'])
    _pot_dir, _loc, po_path = make_tree(tmp_path, pot_text(["Sign in", "Sign out"]), po)
    update(tmp_path)
    entries = polib_entries(po_path)
    assert entries["Sign in"].msgstr == "Aanmelden"
    assert entries["Sign in"].tcomment == "checked by Sanne"
    assert "no-wrap" in entries["Sign out"].flags and entries["Sign out"].msgstr == "Afmelden"


def test_punctuation_fix_turns_fuzzy_with_previous_msgid(tmp_path: Path) -> None:
    old = "Select Save to keep your changes"
    new = "Select **Save** to keep your changes."
    _pot_dir, _loc, po_path = make_tree(
        tmp_path, pot_text([new]), po_text([po_entry(old, "Selecteer Opslaan om te bewaren")]))
    report = update(tmp_path)
    entry = polib_entries(po_path)[new]
    assert entry.msgstr == "Selecteer Opslaan om te bewaren"
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == old
    assert not polib_obsolete(po_path)  # the translation moved, it was not also kept twice
    assert report.pages[0].changes.fuzzy == 1


def test_removed_source_keeps_translation_as_obsolete_with_comment(tmp_path: Path) -> None:
    po = po_text([po_entry("Keep me", "Bewaar mij"),
                  po_entry("Entirely different sentence about invoices", "Iets over facturen",
                           comment="legal reviewed")])
    _pot_dir, _loc, po_path = make_tree(tmp_path, pot_text(["Keep me"]), po)
    report = update(tmp_path)
    gone = polib_obsolete(po_path)["Entirely different sentence about invoices"]
    assert gone.msgstr == "Iets over facturen" and gone.tcomment == "legal reviewed"
    assert report.pages[0].changes.obsolete == 1


def test_obsolete_entry_comes_back_active(tmp_path: Path) -> None:
    po = po_text([po_entry("Back again", "Weer terug", comment="note", obsolete=True)])
    _pot_dir, _loc, po_path = make_tree(tmp_path, pot_text(["Back again"]), po)
    report = update(tmp_path)
    entry = polib_entries(po_path)["Back again"]
    assert entry.msgstr == "Weer terug" and "fuzzy" not in entry.flags
    assert entry.tcomment == "note"
    assert not polib_obsolete(po_path)
    assert report.pages[0].changes.revived == 1


def test_new_message_is_added_untranslated(tmp_path: Path) -> None:
    _pot_dir, _loc, po_path = make_tree(tmp_path, pot_text(["Old", "Brand new message"]),
                                        po_text([po_entry("Old", "Oud")]))
    report = update(tmp_path)
    assert polib_entries(po_path)["Brand new message"].msgstr == ""
    assert report.pages[0].changes.new == 1


def test_already_fuzzy_entry_keeps_its_oldest_previous_msgid(tmp_path: Path) -> None:
    po = po_text(['#, fuzzy\n#| msgid "Open the invoice"\nmsgid "Open the invoice now"\n'
                  'msgstr "Open de factuur"\n'])
    _pot_dir, _loc, po_path = make_tree(tmp_path, pot_text(["Open the invoice now!"]), po)
    update(tmp_path)
    entry = polib_entries(po_path)["Open the invoice now!"]
    assert entry.previous_msgid == "Open the invoice" and "fuzzy" in entry.flags


def test_header_fields_are_kept_and_pot_date_follows_only_on_change(tmp_path: Path) -> None:
    po = po_text([po_entry("One", "Een")])
    _pot_dir, _loc, po_path = make_tree(tmp_path, pot_text(["One"], date="2030-01-01 01:01+0000"),
                                        po)
    update(tmp_path)  # the references are new: a content change, the date follows
    assert read_catalog(po_path).header_value("POT-Creation-Date") == "2030-01-01 01:01+0000"
    make_tree(tmp_path, pot_text(["One"], date="2031-02-02 02:02+0000"), None)
    update(tmp_path)  # same messages, newer POT: nothing changes
    assert read_catalog(po_path).header_value("POT-Creation-Date") == "2030-01-01 01:01+0000"
    make_tree(tmp_path, pot_text(["One", "Two"], date="2032-03-03 03:03+0000"), None)
    update(tmp_path)
    header = read_catalog(po_path)
    assert header.header_value("POT-Creation-Date") == "2032-03-03 03:03+0000"
    assert header.header_value("X-Meta-ms.translationtype") == "HT"
    assert header.header_value("Last-Translator") == "Test Translator <t@contoso.example>"
    assert header.header_value("PO-Revision-Date") == "2025-01-02 10:00+0100"
    assert header.header_comments == ["Dutch translation of a Contoso Cloud help article."]


def test_second_run_is_byte_identical(tmp_path: Path) -> None:
    po = po_text([po_entry("Changed a bit", "Een beetje"), po_entry("Gone away", "Weg")])
    _pot_dir, _locales, po_path = make_tree(
        tmp_path, pot_text(["Changed a bit.", "A wholly new message that is rather long " * 3]),
        po)
    update(tmp_path)
    first = po_path.read_bytes()
    report = update(tmp_path)
    assert po_path.read_bytes() == first
    assert not any(p.written for p in report.pages)


def test_new_po_file_is_created_for_a_new_pot(tmp_path: Path) -> None:
    make_tree(tmp_path, pot_text(["Hello"]), po_text([]), docname="page")
    make_tree(tmp_path, pot_text(["Fresh"]), None, docname="billing/new-page")
    update(tmp_path)
    created = tmp_path / "locales" / "nl-NL" / "LC_MESSAGES" / "billing" / "new-page.po"
    catalog = read_catalog(created)
    assert catalog.header_value("Language") == "nl_NL"
    assert "fuzzy" not in catalog.header_flags
    assert polib_entries(created)["Fresh"].msgstr == ""


def test_locales_subset_leaves_other_locales_alone(tmp_path: Path) -> None:
    make_tree(tmp_path, pot_text(["Hello", "World"]), po_text([po_entry("Hello", "Hallo")]))
    _p, _l, de_path = make_tree(tmp_path, pot_text(["Hello", "World"]),
                                po_text([po_entry("Hello", "Hallo")], language="de_DE"),
                                locale="de-DE")
    before = de_path.read_bytes()
    update(tmp_path, locales=["nl-NL"])
    assert de_path.read_bytes() == before


def test_wrap_false_writes_one_line_per_string(tmp_path: Path) -> None:
    long = "A sentence long enough to be wrapped at seventy-nine columns by default, surely."
    _p, _l, po_path = make_tree(tmp_path, pot_text([long]), po_text([po_entry(long, long)]))
    update(tmp_path, settings=CatalogSettings(wrap=False))
    assert f'msgid "{long}"' in po_path.read_text(encoding="utf-8")
    update(tmp_path, settings=CatalogSettings(wrap=True))
    assert f'msgid "{long}"' not in po_path.read_text(encoding="utf-8")


def test_source_hash_recorded_when_complete_and_staleness(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    article = source / "page.md"
    article.write_text("---\ntitle: One\n---\n# One\n", encoding="utf-8")
    _p, _l, po_path = make_tree(tmp_path, pot_text(["One", "Two"]),
                                po_text([po_entry("One", "Een")]))
    update(tmp_path, source_dir=source)
    assert read_catalog(po_path).header_value("X-Source-Hash") is None  # incomplete
    text = po_path.read_text(encoding="utf-8").replace('msgid "Two"\nmsgstr ""',
                                                       'msgid "Two"\nmsgstr "Twee"')
    po_path.write_text(text, encoding="utf-8")
    update(tmp_path, source_dir=source)
    assert read_catalog(po_path).header_value("X-Source-Hash") == source_hash(article)
    assert not is_stale(po_path, article)
    article.write_text("---\ntitle: One\n---\n# One, edited\n", encoding="utf-8")
    assert is_stale(po_path, article)


def test_catalog_without_plural_forms_gets_them_once(tmp_path: Path) -> None:
    po = po_text([po_entry("Sign in", "Aanmelden")])
    _pot_dir, _loc, po_path = make_tree(tmp_path, pot_text(["Sign in"]), po)
    update(tmp_path)
    catalog = read_catalog(po_path)
    assert catalog.header_value("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert polib_entries(po_path)["Sign in"].msgstr == "Aanmelden"
    written = po_path.read_bytes()
    update(tmp_path)
    assert po_path.read_bytes() == written
