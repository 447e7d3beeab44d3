"""Front-matter metadata: the JSON Schema, normalisation of real shapes, mapped findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpsite.article import parse_article
from helpsite.findings import Finding
from helpsite.metadata import MetadataChecker, PageKind, known_keys, load_schema
from helpsite.metadata.formats import date_problem, locale_problem
from helpsite.metadata.keys import edit_distance, suggest_key
from helpsite.metadata.normalise import normalise_help_ids
from helpsite.metadata.schema import compiled_schema
from jsonschema import Draft202012Validator

CHECKER = MetadataChecker()

ARTICLE_KEYS = """\
title: Reset your password
author: writer
ms.author: wri
ms.topic: article
"""

CORPUS_KEYS = [
    "title", "ms.author", "author", "manager", "ms.audience", "audience", "ms.topic",
    "ms.service", "ms.subservice", "ROBOTS", "localization_priority", "ms.collection",
    "ms.custom", "ms.date", "ms.assetid", "ms.reviewer", "ms.openlocfilehash",
    "ms.sourcegitcommit", "ms.translationtype", "ms.contentlocale", "ms.lasthandoff",
    "ms.locfileid", "description",
]


def check(yaml_lines: str, kind: PageKind = PageKind.ARTICLE) -> list[Finding]:
    article = parse_article(f"---\n{yaml_lines}---\n# T\n", Path("a.md"), "a.md")
    assert article.findings == []
    return CHECKER.check(article.front_matter, "a.md", kind).findings


def codes(yaml_lines: str, kind: PageKind = PageKind.ARTICLE) -> list[tuple[str, int]]:
    return sorted((f.code.code, f.line) for f in check(yaml_lines, kind))


def normalised(yaml_lines: str) -> dict[str, object]:
    article = parse_article(f"---\n{yaml_lines}---\n# T\n", Path("a.md"), "a.md")
    return CHECKER.check(article.front_matter, "a.md", PageKind.ARTICLE).data


# -- the schema file itself


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_covers_every_corpus_key_with_title_and_description() -> None:
    props = load_schema()["$defs"]["page"]["properties"]
    assert set(CORPUS_KEYS) <= set(props)
    for key, sub in props.items():
        assert sub.get("title") and sub.get("description"), key


def test_shipped_schema_and_compiled_schema_agree() -> None:
    """The flattened validator schema accepts and refuses what the shipped file does."""
    shipped = Draft202012Validator(load_schema())
    flat = Draft202012Validator(compiled_schema(PageKind.ARTICLE))
    samples: list[dict[str, object]] = [
        {"title": "T", "author": "a", "ms.author": "b", "ms.topic": "article"},
        {"title": "T"},
        {"title": "T", "author": "a", "ms.author": "b", "ms.topic": "article", "x": 1},
        {"title": "T", "author": "a", "ms.author": "b", "ms.topic": "article",
         "ms.contentlocale": "nl-NL"},
        {"title": 5, "author": "a", "ms.author": "b", "ms.topic": "article"},
    ]
    for sample in samples:
        assert shipped.is_valid(sample) == flat.is_valid(sample), sample


def test_sample_article_front_matter_is_clean() -> None:
    assert check(ARTICLE_KEYS + 'ms.date: 03/04/2025\nms.custom:\n- "7001002"\n') == []


# -- required keys


def test_required_keys_of_an_article() -> None:
    assert codes("title: T\n") == [("meta.required", 1)] * 3
    messages = sorted(f.message for f in check("title: T\n"))
    assert messages[0].startswith("author: required key is missing")


def test_landing_page_needs_only_a_title() -> None:
    assert codes("title: Billing\n", PageKind.LANDING) == []
    assert codes("description: x\n", PageKind.LANDING) == [("meta.required", 1)]


def test_empty_required_key_is_reported_at_its_line() -> None:
    found = check("title:\nauthor: a\nms.author: b\nms.topic: article\n")
    assert [(f.code.code, f.line) for f in found] == [("meta.required", 2)]
    assert "has no value" in found[0].message


def test_translated_article_needs_the_translation_keys() -> None:
    found = codes(ARTICLE_KEYS + "ms.contentlocale: nl-NL\nms.translationtype: HT\n")
    assert found == [("meta.required", 1)] * 4  # lasthandoff, hashes, locfileid


# -- ms.custom shapes


@pytest.mark.parametrize("value,expected,warned", [
    ('\n- "9003546"\n- "6813"', ["9003546", "6813"], False),
    (" 8000079", ["8000079"], True),
    (" ''", [], True),
    ("", [], True),
    (" 665,2578", ["665", "2578"], True),
    (" commerce_purchasing", ["commerce_purchasing"], True),
    ("\n- 9004197/7378\n- \"12\"", ["9004197", "7378", "12"], True),
    ("\n- 1846\n- '9000253'", ["1846", "9000253"], True),
])
def test_help_ids_become_a_list_of_strings(value: str, expected: list[str], warned: bool) -> None:
    yaml_lines = ARTICLE_KEYS + f"ms.custom:{value}\n"
    assert normalised(yaml_lines)["ms.custom"] == expected
    assert codes(yaml_lines) == ([("meta.custom-shape", 6)] if warned else [])


def test_help_ids_of_another_type_are_a_type_error() -> None:
    assert normalise_help_ids({"a": 1}) == ({"a": 1}, None)
    assert codes(ARTICLE_KEYS + "ms.custom: {a: 1}\n") == [("meta.type", 6)]


# -- dates


def test_short_date_is_padded_with_a_warning() -> None:
    yaml_lines = ARTICLE_KEYS + "ms.date: 8/16/2021\n"
    assert normalised(yaml_lines)["ms.date"] == "08/16/2021"
    found = check(yaml_lines)
    assert [(f.code.code, f.line) for f in found] == [("meta.date-format", 6)]
    assert "'08/16/2021'" in found[0].message


@pytest.mark.parametrize("value,fragment", [
    ("02/30/2021", "not a date that exists"),
    ("13/45/2021", "not a date that exists"),
    ("16/08/2021", "probably 08/16/2021"),
    ("2021-04-05", "write MM/DD/YYYY"),
    ("yesterday", "cannot be read"),
])
def test_impossible_or_unreadable_dates_are_errors(value: str, fragment: str) -> None:
    found = check(ARTICLE_KEYS + f"ms.lasthandoff: '{value}'\n")
    assert [(f.code.code, f.line, f.severity.value) for f in found] == [
        ("meta.date-invalid", 6, "error")
    ]
    assert fragment in found[0].message


def test_empty_date_is_an_empty_value_warning() -> None:
    assert codes(ARTICLE_KEYS + "ms.date: ''\n") == [("meta.empty", 6)]


def test_date_problem_accepts_real_dates() -> None:
    assert date_problem("02/29/2024") is None
    assert date_problem("02/29/2023") is not None


# -- locales


@pytest.mark.parametrize("tag", ["nl-NL", "de-DE", "ja-JP", "ar-SA", "en-US"])
def test_known_locales_are_valid(tag: str) -> None:
    assert locale_problem(tag) is None
    assert codes(_translated(tag)) == []


@pytest.mark.parametrize("tag,fragment", [("xx-YY", "not a known locale"), ("nl", "nl-NL")])
def test_unknown_or_regionless_locales_are_errors(tag: str, fragment: str) -> None:
    found = check(_translated(tag))
    assert [(f.code.code, f.line) for f in found] == [("meta.locale", 6)]
    assert fragment in found[0].message


def _translated(tag: str) -> str:
    return ARTICLE_KEYS + (
        f"ms.contentlocale: {tag}\nms.translationtype: HT\nms.lasthandoff: 04/15/2021\n"
        f"ms.openlocfilehash: {'a' * 40}\nms.sourcegitcommit: {'b' * 40}\n"
        'ms.locfileid: "51820713"\n'
    )


# -- unknown and misspelled keys


@pytest.mark.parametrize("key,value,meant", [
    ("ms-custom", '["1846", "9000253"]', "ms.custom"),
    ("ms,.custom", "''", "ms.custom"),
    ("ms.reviwer", "jkinma, jmueller", "ms.reviewer"),
    ("munlocking-an-account s.custom", '["9002365", "4594"]', "ms.custom"),
    ("ms.common", '["358", "624", "3500003"]', "ms.custom"),
    ("MS.Author", "someone", "ms.author"),
    ("locatization_priority", "Normal", "localization_priority"),
])
def test_misspelled_keys_are_errors_with_did_you_mean(key: str, value: str, meant: str) -> None:
    found = check(ARTICLE_KEYS + f"{key}: {value}\n")
    assert [(f.code.code, f.line, f.severity.value) for f in found] == [
        ("meta.misspelled-key", 6, "error")
    ]
    assert f"did you mean '{meant}'" in found[0].message


def test_unrelated_unknown_key_is_a_warning() -> None:
    found = check(ARTICLE_KEYS + "ms.technology: billing\n")
    assert [(f.code.code, f.line, f.severity.value) for f in found] == [
        ("meta.unknown-key", 6, "warning")
    ]
    assert "did you mean" not in found[0].message


def test_no_suggestion_for_far_away_keys() -> None:
    assert suggest_key("colour", "red", known_keys()) is None
    assert edit_distance("msreviwer", "msreviewer", 2) == 1
    assert edit_distance("abcd", "abdc", 2) == 1


# -- types and forms


@pytest.mark.parametrize("line,fragment", [
    ("ms.locfileid: 51820713", 'a quoted number such as "51820713"'),
    ("ms.openlocfilehash: xyz", "40 or 64 lowercase hexadecimal digits"),
    ("localization_priority: High", "one of Critical, Priority, Normal, Once"),
    ("ms.assetid: (guid of old soc version if any)", "a GUID"),
    ("title: [a, b]", "text"),
])
def test_wrong_forms_are_type_errors(line: str, fragment: str) -> None:
    without_title = ARTICLE_KEYS.replace("title: Reset your password\n", "")
    found = check(("title: T\n" if not line.startswith("title") else "") + without_title + line
                  + "\n")
    types = [f for f in found if f.code.code == "meta.type"]
    assert len(types) == 1 and fragment in types[0].message


def test_help_ids_under_the_asset_id_key_are_pointed_to_ms_custom() -> None:
    found = check(ARTICLE_KEYS + 'ms.assetid:\n- "9001733"\n- "4401"\n')
    assert [(f.code.code, f.line) for f in found] == [("meta.type", 6)]
    assert "move them to ms.custom" in found[0].message


def test_empty_optional_key_is_a_warning() -> None:
    found = check(ARTICLE_KEYS + "ms.collection: ''\nms.assetid:\n")
    assert [(f.code.code, f.line, f.severity.value) for f in found] == [
        ("meta.empty", 6, "warning"), ("meta.empty", 7, "warning")
    ]


def test_includes_are_not_checked() -> None:
    article = parse_article("---\nx: 1\n---\n## Part\n", Path("i.md"), "i.md")
    assert CHECKER.check(article.front_matter, "i.md", PageKind.INCLUDE).findings == []
