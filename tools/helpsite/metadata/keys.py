"""Unknown front-matter keys, and the known key a writer probably meant.

A misspelled key silently loses its value (a misspelled ``ms.custom`` loses the article's
help IDs), so a key that is almost certainly a typo is an error, while a key that merely
is not in the schema is a warning. "Almost certainly" means one of:

* the same letters once punctuation and case are ignored (``ms-custom``, ``ms,.custom``);
* one edit away (``ms.reviwer``), two for long keys;
* the known key spelled out inside it and ending it (``munlocking-an-account s.custom``:
  text pasted into the key);
* a value that only one known key holds: a list of numbers is a list of help IDs
  (``ms.common: ["358", "624"]``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_HELP_ID = re.compile(r"\d+")


@dataclass(frozen=True)
class Suggestion:
    key: str
    certain: bool  # True: a misspelling (error); False: only a hint on an unknown key
    reason: str


def squash(key: str) -> str:
    """Letters and digits only, lowercase: ``MS,.Custom`` -> ``mscustom``."""
    return _NOT_ALNUM.sub("", key.casefold())


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (adjacent transpositions) distance, capped at ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _is_subsequence(needle: str, haystack: str) -> bool:
    remaining = iter(haystack)
    return all(char in remaining for char in needle)


def looks_like_help_ids(value: Any) -> bool:
    """A number, or a list of numbers (quoted or not): what ``ms.custom`` holds."""
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(
        (isinstance(item, int) and not isinstance(item, bool))
        or (isinstance(item, str) and _HELP_ID.fullmatch(item.strip()))
        for item in items
    )


def _by_spelling(unknown: str, known: Sequence[str]) -> Suggestion | None:
    squashed = squash(unknown)
    for key in known:
        if squash(key) == squashed:
            return Suggestion(key, True, "the same key with different punctuation or case")
    limit = 2 if len(squashed) >= 10 else 1
    distances = [(edit_distance(squashed, squash(key), limit), key) for key in known]
    best, key = min(distances)
    if best <= limit and len(squashed) >= 4:
        return Suggestion(key, True, "a typing mistake")
    return None


def _by_embedding(unknown: str, known: Sequence[str]) -> Suggestion | None:
    folded = unknown.casefold()
    for key in known:
        tail = key.rsplit(".", 1)[-1].casefold()
        if len(tail) >= 5 and folded.endswith(tail) and _is_subsequence(key.casefold(), folded):
            return Suggestion(key, True, "other text was typed into the key")
    return None


def suggest_key(unknown: str, value: Any, known: Sequence[str]) -> Suggestion | None:
    """The known key ``unknown`` probably stands for, or None."""
    for finder in (_by_spelling, _by_embedding):
        found = finder(unknown, known)
        if found is not None:
            return found
    if "ms.custom" in known and looks_like_help_ids(value):
        return Suggestion("ms.custom", True, "its value is a list of help IDs")
    close = difflib.get_close_matches(unknown, known, n=1, cutoff=0.75)
    if close:
        return Suggestion(close[0], False, "a similar known key")
    return None


def unknown_keys(keys: Iterable[str], known: Sequence[str]) -> list[str]:
    known_set = set(known)
    return [key for key in keys if key not in known_set]
