"""helpsite.locales: the one module that turns a BCP 47 tag into the other forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpsite.locales import (
    LocaleError,
    language_candidates,
    locale_folders,
    locale_key,
    primary_language,
    sphinx_language,
)


@pytest.mark.parametrize(("tag", "expected"), [
    ("nl-NL", ["nl-NL", "nl_NL", "nl"]),
    ("nl_nl", ["nl-NL", "nl_NL", "nl"]),
    ("zh-Hant-TW", ["zh-Hant-TW", "zh_Hant_TW", "zh"]),
    ("ja", ["ja"]),  # a bare language is all three at once: listed once
])
def test_language_candidates_most_specific_first(tag: str, expected: list[str]) -> None:
    assert language_candidates(tag) == expected


def test_language_candidates_refuse_what_is_no_tag() -> None:
    with pytest.raises(LocaleError):
        language_candidates("../de")


@pytest.mark.parametrize(("language", "expected"),
                         [("nl_NL", "nl"), ("nl-NL", "nl"), ("en", "en"), ("", "")])
def test_primary_language_of_any_spelling(language: str, expected: str) -> None:
    assert primary_language(language) == expected


def test_sphinx_language_is_the_gettext_form() -> None:
    assert sphinx_language("pt-br") == "pt_BR"
    assert sphinx_language("es-419") == "es_419"


def test_locale_key_compares_spellings_loosely() -> None:
    assert locale_key("nl_NL") == locale_key(" nl-nl") == locale_key("NL-NL") == "nl-nl"
    assert locale_key("nl-BE") != locale_key("nl-NL")


def test_locale_folders_lists_tag_folders_and_checks_the_wanted(tmp_path: Path) -> None:
    for name in ("nl-NL", "de-DE", ".git", "images"):
        (tmp_path / name).mkdir()
    (tmp_path / "notes.txt").write_text("not a folder")
    assert locale_folders(tmp_path) == ["de-DE", "nl-NL"]
    assert locale_folders(tmp_path, ["nl_nl"]) == ["nl-NL"]
    with pytest.raises(LocaleError, match="fr-FR not found"):
        locale_folders(tmp_path, ["fr-FR"])
    assert locale_folders(tmp_path / "missing") == []
