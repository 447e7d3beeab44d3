"""The metadata JSON Schema: loaded once, with one compiled validator per page kind."""

from __future__ import annotations

import json
from enum import Enum
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from helpsite.metadata.formats import DATE_FORMAT, LOCALE_FORMAT, is_help_date, is_locale_tag

SCHEMA_FILE = "metadata.schema.json"


class PageKind(Enum):
    """What a Markdown file in the source tree is, which decides what it must carry."""

    ARTICLE = "article"  # a help article: full front matter, one H1
    LANDING = "landing"  # index.md of a section: a title is enough
    INCLUDE = "include"  # a fragment under includes/: no front matter, no H1


@cache
def load_schema() -> dict[str, Any]:
    """The schema as shipped in the package (``helpsite/metadata/metadata.schema.json``)."""
    text = resources.files("helpsite.metadata").joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def properties() -> dict[str, dict[str, Any]]:
    """Every known key with its sub-schema, in the schema's order."""
    props: dict[str, dict[str, Any]] = load_schema()["$defs"]["page"]["properties"]
    return props


def known_keys() -> tuple[str, ...]:
    return tuple(properties())


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks(DATE_FORMAT)(is_help_date)
    checker.checks(LOCALE_FORMAT)(is_locale_tag)
    return checker


def _landing_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Only the shared page rules: a landing page needs a title, not an author."""
    return {
        "$schema": schema["$schema"],
        "$ref": "#/$defs/page",
        "unevaluatedProperties": False,
        "$defs": schema["$defs"],
    }


@cache
def validator_for(kind: PageKind) -> Draft202012Validator:
    """A compiled validator, built once per process (building one per file is slow)."""
    schema = load_schema()
    if kind is PageKind.LANDING:
        schema = _landing_schema(schema)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=_format_checker())
