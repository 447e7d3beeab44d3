"""Turn the shapes real articles use into the one shape the schema describes.

Real front matter writes the same thing in several ways: ``ms.custom`` as a list, a bare
number, an empty string or ``"665,2578"``; dates as ``8/16/2021``. Each accepted variant is
normalised (so every later tool sees one shape) and reported as a warning, so writers can
fix the source when they next touch it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from helpsite.findings import Code, Finding
from helpsite.metadata.formats import padded_date

HELP_IDS_KEY = "ms.custom"
DATE_KEYS = ("ms.date", "ms.lasthandoff")

# IDs run together in one string: "665,2578", "9004197/7378", "665, 2578".
_ID_SEPARATORS = re.compile(r"\s*[,/;]\s*|\s+")
_LIST_EXAMPLE = 'write a YAML list of quoted IDs, one per line (- "7001001")'


@dataclass
class Normalised:
    """Front matter after normalisation, with the warnings it cost and the keys found empty."""

    data: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)
    empty_keys: set[str] = field(default_factory=set)


def is_empty(value: Any) -> bool:
    """A key written with no value: ``key:``, ``key: ''`` or ``key: []``."""
    return value is None or value == "" or value == [] or value == {}


def split_ids(text: str) -> list[str]:
    return [part for part in _ID_SEPARATORS.split(text.strip()) if part]


def normalise_help_ids(value: Any) -> tuple[Any, str | None]:
    """``ms.custom`` as a list of strings, and why it needed changing (None: it did not)."""
    if is_empty(value):
        return [], f"ms.custom has no help IDs: {_LIST_EXAMPLE}, or remove the key"
    if isinstance(value, bool) or not isinstance(value, (int, str, list)):
        return value, None  # the schema reports the type
    if isinstance(value, int):
        return [str(value)], f"ms.custom is a bare number ({value}): {_LIST_EXAMPLE}"
    if isinstance(value, str):
        ids = split_ids(value)
        if len(ids) > 1:
            return ids, (f"ms.custom is one string holding {len(ids)} IDs ('{value}'): "
                         f"{_LIST_EXAMPLE}")
        return ids, f"ms.custom is a single string ('{value}'): {_LIST_EXAMPLE}"
    return _normalise_id_list(value)


def _normalise_id_list(items: list[Any]) -> tuple[Any, str | None]:
    normalised: list[Any] = []
    reasons: list[str] = []
    for item in items:
        if item is None or item == "":
            reasons.append("an empty item was dropped")
        elif isinstance(item, bool) or not isinstance(item, (int, str)):
            normalised.append(item)  # the schema reports the type
        elif isinstance(item, int):
            normalised.append(str(item))
            reasons.append(f"{item} is not quoted")
        elif len(parts := split_ids(item)) > 1:
            normalised.extend(parts)
            reasons.append(f"'{item}' holds {len(parts)} IDs; give each its own line")
        else:
            normalised.append(item.strip())
    if not reasons:
        return normalised, None
    return normalised, f"ms.custom: {'; '.join(dict.fromkeys(reasons))}"


def normalise_date(value: Any) -> tuple[Any, str | None]:
    """MM/DD/YYYY for an M/D/YYYY date; other values are left for the schema to judge."""
    if not isinstance(value, str):
        return value, None
    padded = padded_date(value)
    if padded is None or padded == value:
        return value, None
    return padded, f"'{value}': write dates MM/DD/YYYY with leading zeros: '{padded}'"


_NORMALISERS: dict[str, tuple[Callable[[Any], tuple[Any, str | None]], Code]] = {
    HELP_IDS_KEY: (normalise_help_ids, Code.META_CUSTOM_SHAPE),
    **{key: (normalise_date, Code.META_DATE_FORMAT) for key in DATE_KEYS},
}


def normalise(data: dict[str, Any], key_lines: dict[str, int], path: str) -> Normalised:
    """Normalise known shapes; empty values are left out (and listed in ``empty_keys``)."""
    result = Normalised({})
    for key, value in data.items():
        normaliser = _NORMALISERS.get(key)
        if normaliser is not None:
            function, code = normaliser
            value, reason = function(value)
            if reason is not None:
                message = reason if reason.startswith(key) else f"{key}: {reason}"
                result.findings.append(
                    Finding.of(code, path, key_lines.get(key, 1), 1, message)
                )
        if is_empty(value) and key != HELP_IDS_KEY:
            result.empty_keys.add(key)
            continue
        result.data[key] = value
    return result
