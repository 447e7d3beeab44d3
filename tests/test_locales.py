"""helpsite.locales: the one module that turns a BCP 47 tag into the other forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpsite.locales import (
    LocaleError,
    configured_locales,
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


def _project(root: Path, conf: str, folders: tuple[str, ...]) -> Path:
    root.mkdir()
    (root / "conf.py").write_text(conf, encoding="utf-8")
    for name in folders:
        (root / "locales" / name / "LC_MESSAGES").mkdir(parents=True)
    return root / "locales"


def test_the_locales_of_a_project_are_the_ones_conf_py_configures(tmp_path: Path) -> None:
    locales = _project(tmp_path / "site", 'helpsite_source_locale = "en-US"\n'
                       'helpsite_locales = ["en-US", "nl-NL"]\n', ("de-DE", "nl-NL"))
    assert configured_locales(locales) == ["nl-NL"]  # the source locale is no target
    assert locale_folders(locales) == ["nl-NL"]  # de-DE/ is not a locale of the site
    assert locale_folders(locales, ["de-DE"]) == ["de-DE"]  # asked for by name: used


def test_a_configured_locale_without_its_folder_is_named(tmp_path: Path) -> None:
    locales = _project(tmp_path / "site", 'helpsite_locales = ["fr-FR"]\n', ("nl-NL",))
    with pytest.raises(LocaleError, match="fr-FR not found"):
        locale_folders(locales)


def test_a_folder_conf_py_does_not_name_is_taken_as_it_is(tmp_path: Path) -> None:
    locales = _project(tmp_path / "site", 'helpsite_locale_dir = "translations"\n'
                       'helpsite_locales = ["nl-NL"]\n', ("de-DE", "nl-NL"))
    assert configured_locales(locales) is None
    assert locale_folders(locales) == ["de-DE", "nl-NL"]
