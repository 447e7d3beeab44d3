"""Structural alignment of a translated article with its source article.

Both articles are reduced to the sequence of their message nodes (headings, paragraphs,
list items, table cells, notes, image texts), each with its place in the document
structure. When the two structures are the same, which is the normal case, the n-th
message of the translation is the translation of the n-th message of the source.

When they differ (a list merged into a paragraph, a block missing or added), the
sequences are aligned by dynamic programming: two messages can only pair when their
structure is the same, and the cost of a pair grows with the difference of their lengths
(relative to the article's overall length ratio) and of what translation leaves alone
(link targets, inline code). Every gap becomes a mismatch; a pair next to a gap must also
look right on its own, or it joins the mismatch. A mismatched message is left untranslated
- writing nothing is better than writing a wrong translation.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from helpsite.findings import Code
from helpsite.importers.extract import Message

GAP_COST = 1.0
MAX_PAIR_COST = 2.0  # a pair costing more is never taken as a translation
CONFIRMED_COST = 0.45  # a pair next to a gap must be this close
_URL = re.compile(r"\]\(\s*<?([^)\s>]+)|<(https?://[^>\s]+)>|(https?://[^\s)\]>\"']+)")
_CODE = re.compile(r"`+([^`]+)`+")
_LOCALE_SEGMENT = re.compile(r"/[a-z]{2}-[a-z]{2}(?=/)")

Signature = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Pair:
    source: Message
    translated: Message


@dataclass
class Mismatch:
    """A run of messages that could not be paired with confidence."""

    code: Code
    source: list[Message] = field(default_factory=list)
    translated: list[Message] = field(default_factory=list)
    source_anchor: int = 0  # nearest source line when ``source`` is empty
    translated_anchor: int = 0  # nearest translated line when ``translated`` is empty

    @property
    def source_lines(self) -> tuple[int, int]:
        lines = [m.line for m in self.source] or [self.source_anchor]
        return min(lines), max(lines)

    @property
    def translated_lines(self) -> tuple[int, int]:
        lines = [m.line for m in self.translated] or [self.translated_anchor]
        return min(lines), max(lines)

    def describe(self) -> str:
        def kinds(messages: list[Message]) -> str:
            counts = Counter(_kind_name(m) for m in messages)
            return ", ".join(f"{n} {k}" if n > 1 else k for k, n in counts.items()) or "nothing"

        if self.code is Code.IMPORT_BLOCK_MISSING:
            return f"source {kinds(self.source)} without counterpart in the translation"
        if self.code is Code.IMPORT_BLOCK_ADDED:
            return f"translation {kinds(self.translated)} without counterpart in the source"
        return f"source {kinds(self.source)} vs translation {kinds(self.translated)}"


@dataclass
class Alignment:
    pairs: list[Pair] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)


def _kind_name(message: Message) -> str:
    if message.kind == "title":
        return "heading"
    if message.kind == "image":
        return "image text"
    for ancestor in reversed(message.path):
        if ancestor == "entry":
            return "table cell"
        if ancestor == "list_item":
            return "list item"
        if ancestor == "block_quote":
            return "note"
    return message.kind


def signature(message: Message) -> Signature:
    return message.kind, message.path


def _urls(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for match in _URL.finditer(text):
        url = next(group for group in match.groups() if group)
        url = _LOCALE_SEGMENT.sub("", url.lower()).rstrip(".,;:")
        found[url] += 1
    return found


def _distance(a: Counter[str], b: Counter[str]) -> float:
    if not a and not b:
        return 0.0
    union = sum((a | b).values())
    return 1.0 - sum((a & b).values()) / union


def _length_ratio(source: list[Message], translated: list[Message]) -> float:
    total_s = sum(len(m.text) for m in source) or 1
    total_t = sum(len(m.text) for m in translated) or 1
    return min(max(total_t / total_s, 0.5), 2.0)


def pair_cost(source: Message, translated: Message, ratio: float) -> float:
    """How unlike a translation of ``source`` ``translated`` looks (0: just like one)."""
    length = abs(math.log((len(translated.text) + 20) / (len(source.text) * ratio + 20)))
    links = _distance(_urls(source.text), _urls(translated.text))
    code = _distance(Counter(_CODE.findall(source.text)), Counter(_CODE.findall(translated.text)))
    return length + links + 0.5 * code


def _dp_align(
    source: list[Message], translated: list[Message], ratio: float
) -> list[tuple[int | None, int | None]]:
    """Minimum-cost alignment: pairs (i, j), deletions (i, None), insertions (None, j)."""
    n, m = len(source), len(translated)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    step = [[0] * (m + 1) for _ in range(n + 1)]  # 1 pair, 2 deletion, 3 insertion
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            if i < n and j < m and signature(source[i]) == signature(translated[j]):
                value = here + pair_cost(source[i], translated[j], ratio)
                if value < cost[i + 1][j + 1]:
                    cost[i + 1][j + 1], step[i + 1][j + 1] = value, 1
            if i < n and here + GAP_COST < cost[i + 1][j]:
                cost[i + 1][j], step[i + 1][j] = here + GAP_COST, 2
            if j < m and here + GAP_COST < cost[i][j + 1]:
                cost[i][j + 1], step[i][j + 1] = here + GAP_COST, 3
    path: list[tuple[int | None, int | None]] = []
    i, j = n, m
    while i or j:
        move = step[i][j]
        if move == 1:
            i, j = i - 1, j - 1
            path.append((i, j))
        elif move == 2:
            i -= 1
            path.append((i, None))
        else:
            j -= 1
            path.append((None, j))
    path.reverse()
    return path


def _region_code(region: list[tuple[int | None, int | None]]) -> Code:
    has_pair = any(i is not None and j is not None for i, j in region)
    deleted = any(j is None for _i, j in region)
    added = any(i is None for i, _j in region)
    if has_pair or (deleted and added):
        return Code.IMPORT_STRUCTURE
    return Code.IMPORT_BLOCK_MISSING if deleted else Code.IMPORT_BLOCK_ADDED


def align(source: list[Message], translated: list[Message]) -> Alignment:
    """Pair the messages of a source article and its translation by structure."""
    if [signature(m) for m in source] == [signature(m) for m in translated]:
        return Alignment([Pair(s, t) for s, t in zip(source, translated, strict=True)])
    ratio = _length_ratio(source, translated)
    path = _dp_align(source, translated, ratio)
    costs = {
        k: pair_cost(source[i], translated[j], ratio)
        for k, (i, j) in enumerate(path) if i is not None and j is not None
    }
    gap = [i is None or j is None or costs[k] > MAX_PAIR_COST for k, (i, j) in enumerate(path)]
    # A pair beside a gap must stand on its own: the gap may be half of it.
    doubtful = list(gap)
    for k in range(len(path)):
        if gap[k] or costs[k] <= CONFIRMED_COST:
            continue
        if (k > 0 and gap[k - 1]) or (k + 1 < len(path) and gap[k + 1]):
            doubtful[k] = True
    alignment = Alignment()
    k = 0
    while k < len(path):
        if not doubtful[k]:
            i, j = path[k]
            alignment.pairs.append(Pair(source[i], translated[j]))  # type: ignore[index]
            k += 1
            continue
        start = k
        while k < len(path) and doubtful[k]:
            k += 1
        region = path[start:k]
        mismatch = Mismatch(
            _region_code(region) if any(gap[start:k]) else Code.IMPORT_UNCERTAIN,
            [source[i] for i, _j in region if i is not None],
            [translated[j] for _i, j in region if j is not None],
        )
        mismatch.source_anchor = _anchor(path, start, k, source, side=0)
        mismatch.translated_anchor = _anchor(path, start, k, translated, side=1)
        alignment.mismatches.append(mismatch)
    return alignment


def _anchor(
    path: list[tuple[int | None, int | None]], start: int, end: int,
    messages: list[Message], side: int,
) -> int:
    """The line of the nearest message on one side around a region (where it would be)."""
    for k in [*range(start - 1, -1, -1), *range(end, len(path))]:
        index = path[k][side]
        if index is not None:
            return messages[index].line
    return 1
