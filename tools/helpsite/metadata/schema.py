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


def compiled_schema(kind: PageKind) -> dict[str, Any]:
    """The schema one kind of page is validated with, flattened for speed.

    The shipped file keeps the shared keys in ``$defs/page`` (so a landing page can reuse
    them) and closes the object with ``unevaluatedProperties``; validating through the
    ``$ref`` costs about 40% more per file. This is the same rule set in one object:
    the page's properties, the kind's required keys, ``additionalProperties: false``.
    """
    schema = load_schema()
    page = schema["$defs"]["page"]
    flat: dict[str, Any] = {
        "$schema": schema["$schema"],
        "type": "object",
        "properties": page["properties"],
        "additionalProperties": False,
    }
    if kind is PageKind.LANDING:
        flat["required"] = list(page["required"])
    else:
        flat["required"] = list(dict.fromkeys([*page["required"], *schema["required"]]))
        flat["dependentRequired"] = schema["dependentRequired"]
    return flat


def document_schema(kind: PageKind) -> dict[str, Any]:
    """The document-level rules alone: which keys a kind of page must have."""
    flat = compiled_schema(kind)
    return {key: flat[key] for key in ("$schema", "type", "required", "dependentRequired")
            if key in flat}


@cache
def document_validator(kind: PageKind) -> Draft202012Validator:
    """Required keys of a kind of page; built once per process."""
    Draft202012Validator.check_schema(load_schema())
    return Draft202012Validator(document_schema(kind))


@cache
def property_validator(key: str) -> Draft202012Validator:
    """The rules of one known key's value; built once per process.

    Validating key by key (rather than the whole mapping at once) lets the checker
    remember the verdict on a value it has seen: across a corpus, most values repeat
    (authors, topics, services), and jsonschema is a fifth of the time of a run.
    """
    sub = {"$schema": load_schema()["$schema"], **properties()[key]}
    return Draft202012Validator(sub, format_checker=_format_checker())
