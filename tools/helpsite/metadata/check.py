"""Check one article's front matter: normalise, run the schema, explain every error in place.

``jsonschema`` says *what* rule failed; the writer needs *which line* and *how to fix it*.
Each schema error is mapped to a finding code and a message written from the schema's own
``title``/``x-form`` annotations, at the file line of the key (``FrontMatter.key_lines``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema import ValidationError

from helpsite.findings import Code, Finding
from helpsite.frontmatter import FrontMatter
from helpsite.metadata.formats import DATE_FORMAT, LOCALE_FORMAT, date_problem, locale_problem
from helpsite.metadata.keys import looks_like_help_ids, suggest_key, unknown_keys
from helpsite.metadata.normalise import normalise
from helpsite.metadata.schema import (
    PageKind,
    document_validator,
    known_keys,
    properties,
    property_validator,
)

_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping", "integer": "a number"}


def _shown(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _yaml_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "text"


def _expected_form(key: str) -> str:
    schema = properties().get(key, {})
    if "x-form" in schema:
        return str(schema["x-form"])
    if "enum" in schema:
        return "one of " + ", ".join(str(v) for v in schema["enum"])
    return _TYPE_NAMES.get(str(schema.get("type")), "a value")


def _too_long(error: ValidationError) -> ValidationError | None:
    """The ``maxLength`` failure behind ``error``: itself, or the one that made every
    branch of a ``oneOf`` fail (a name, or a list of names) for a string that is too long."""
    if error.validator == "maxLength":
        return error
    return next((e for e in error.context or () if e.validator == "maxLength"), None)


def _too_long_message(key: str, error: ValidationError) -> str:
    text = str(error.instance)
    what = "an item has" if error.relative_path else "the value has"
    return (f"{key}: {what} {len(text)} characters, more than the {error.validator_value} "
            f"allowed; shorten it (it begins {text[:30]!r})")


@dataclass
class MetadataResult:
    data: dict[str, Any]  # normalised: ms.custom a list of strings, dates MM/DD/YYYY
    findings: list[Finding]


class MetadataChecker:
    """Checks front matter against the schema; one instance serves every file of a run."""

    def __init__(self) -> None:
        self.known = known_keys()
        self.documents = {kind: document_validator(kind) for kind in PageKind}
        self.properties = {key: property_validator(key) for key in self.known}
        # (key, value as JSON) -> the schema errors of that value; values repeat a lot.
        self._verdicts: dict[tuple[str, str], list[ValidationError]] = {}

    def check(self, matter: FrontMatter, path: str, kind: PageKind) -> MetadataResult:
        """Findings for ``matter``, and its data normalised (empty keys left out)."""
        if kind is PageKind.INCLUDE or not matter.ok:
            return MetadataResult(dict(matter.data), [])
        result = normalise(matter.data, matter.key_lines, path)
        findings = list(result.findings)
        findings += self._empty_findings(result.empty_keys, matter, path, kind)
        findings += self._unknown_key_findings(matter, path)
        for error in self.documents[kind].iter_errors(result.data):
            findings += self._required_findings(error, result.data, matter, path,
                                                result.empty_keys)
        for key, value in result.data.items():
            for error in self._value_errors(key, value):
                findings += self._error_findings(error, key, value, matter, path)
        # One missing key can fail two rules (the page's and the article's 'required').
        return MetadataResult(result.data, list(dict.fromkeys(findings)))

    def _value_errors(self, key: str, value: Any) -> list[ValidationError]:
        validator = self.properties.get(key)
        if validator is None:
            return []  # an unknown key: reported with a suggestion, not by the schema
        fingerprint = (key, json.dumps(value, sort_keys=True, default=repr))
        errors = self._verdicts.get(fingerprint)
        if errors is None:
            errors = self._verdicts[fingerprint] = list(validator.iter_errors(value))
        return errors

    def _line(self, matter: FrontMatter, key: str) -> int:
        return matter.key_lines.get(key, max(matter.start_line, 1))

    def _empty_findings(
        self, empty: set[str], matter: FrontMatter, path: str, kind: PageKind
    ) -> Iterator[Finding]:
        required = set(self.documents[kind].schema.get("required", ())) | {"title"}
        for key in sorted(empty, key=lambda k: self._line(matter, k)):
            if key in required:
                continue  # reported as meta.required, which is an error
            if key not in self.known:
                continue  # reported as an unknown key
            yield Finding.of(Code.META_EMPTY, path, self._line(matter, key), 1,
                             f"{key}: the key has no value; fill it in or remove the line")

    def _unknown_key_findings(self, matter: FrontMatter, path: str) -> Iterator[Finding]:
        for key in unknown_keys(matter.data, self.known):
            line = self._line(matter, key)
            suggestion = suggest_key(key, matter.data[key], self.known)
            if suggestion is None:
                yield Finding.of(Code.META_UNKNOWN_KEY, path, line, 1,
                                 f"{key}: unknown key; helpsite ignores it "
                                 "(see docs/metadata-reference.md for the known keys)")
            elif suggestion.certain:
                yield Finding.of(Code.META_MISSPELLED_KEY, path, line, 1,
                                 f"{key}: unknown key, did you mean '{suggestion.key}'? "
                                 f"({suggestion.reason}; the value is ignored until it is fixed)")
            else:
                yield Finding.of(Code.META_UNKNOWN_KEY, path, line, 1,
                                 f"{key}: unknown key, did you mean '{suggestion.key}'?")

    def _error_findings(
        self, error: ValidationError, key: str, value: Any, matter: FrontMatter, path: str
    ) -> Iterator[Finding]:
        """Findings for one schema error in the value of ``key``."""
        line = self._line(matter, key)
        too_long = _too_long(error)
        if too_long is not None:
            yield Finding.of(Code.META_TOO_LONG, path, line, 1, _too_long_message(key, too_long))
        elif error.validator == "format":
            yield self._format_finding(error, key, line, path)
        elif error.validator in ("minLength", "minItems"):
            yield Finding.of(Code.META_EMPTY, path, line, 1,
                             f"{key}: an item has no value; remove it")
        else:
            yield Finding.of(Code.META_TYPE, path, line, 1, self._type_message(key, value))

    def _type_message(self, key: str, value: Any) -> str:
        message = (f"{key}: expected {_expected_form(key)}, "
                   f"found {_yaml_kind(value)} {_shown(value)}")
        if key == "ms.assetid" and looks_like_help_ids(value):
            message += "; these look like help IDs: move them to ms.custom"
        return message

    def _format_finding(self, error: ValidationError, key: str, line: int, path: str) -> Finding:
        value = str(error.instance)
        if error.validator_value == LOCALE_FORMAT:
            problem = locale_problem(value) or "is not a language-region tag"
            return Finding.of(Code.META_LOCALE, path, line, 1, f"{key}: '{value}' {problem}")
        assert error.validator_value == DATE_FORMAT
        problem = date_problem(value) or "is not written MM/DD/YYYY"
        return Finding.of(Code.META_DATE_INVALID, path, line, 1, f"{key}: '{value}' {problem}")

    def _required_findings(
        self, error: ValidationError, data: dict[str, Any], matter: FrontMatter, path: str,
        empty: set[str],
    ) -> Iterator[Finding]:
        line = max(matter.start_line, 1)
        if error.validator not in ("required", "dependentRequired"):
            return  # 'type': the front matter is not a mapping, reported by the loader
        if error.validator == "required":
            missing = [k for k in error.validator_value if k not in data]
            why = "an article needs it"
        else:
            missing = [
                k for trigger, needed in error.validator_value.items() if trigger in data
                for k in needed if k not in data
            ]
            why = "a translated article (one with ms.contentlocale) needs it"
        for key in missing:
            reason = "every page needs a title" if key == "title" else why
            if key in empty:
                yield Finding.of(Code.META_REQUIRED, path, self._line(matter, key), 1,
                                 f"{key}: the key has no value; {reason}")
            else:
                yield Finding.of(Code.META_REQUIRED, path, line, 1,
                                 f"{key}: required key is missing; {reason}")
