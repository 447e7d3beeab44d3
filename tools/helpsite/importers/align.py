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
SPLIT_COST = 0.7  # one block translated as two (or two as one): never imported, but found
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


Step = tuple[tuple[int, ...], tuple[int, ...]]  # source indexes, translated indexes
# (source count, translated count) of each move: a pair, a gap on either side, and a
# block split in two (or two merged into one) by the translation.
_MOVES = ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1))


def _joined(messages: list[Message]) -> Message:
    first = messages[0]
    return Message(" ".join(m.msgid for m in messages), " ".join(m.text for m in messages),
                   first.kind, first.path, first.line)


def _move_cost(source: list[Message], translated: list[Message], ratio: float) -> float:
    if not source or not translated:
        return GAP_COST * (len(source) + len(translated))
    if len({signature(m) for m in source + translated}) != 1:
        return float("inf")
    if len(source) == len(translated) == 1:
        return pair_cost(source[0], translated[0], ratio)
    return SPLIT_COST + pair_cost(_joined(source), _joined(translated), ratio)


def _dp_align(source: list[Message], translated: list[Message], ratio: float) -> list[Step]:
    """Minimum-cost alignment of the two sequences as a list of moves."""
    n, m = len(source), len(translated)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int]]] = [[(0, 0)] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            for di, dj in _MOVES:
                if i + di > n or j + dj > m:
                    continue
                value = here + _move_cost(source[i:i + di], translated[j:j + dj], ratio)
                if value < cost[i + di][j + dj]:
                    cost[i + di][j + dj], back[i + di][j + dj] = value, (di, dj)
    path: list[Step] = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]
        i, j = i - di, j - dj
        path.append((tuple(range(i, i + di)), tuple(range(j, j + dj))))
    path.reverse()
    return path


def _region_code(region: list[Step]) -> Code:
    reshaped = any(len(s) + len(t) > 2 or (s and t) for s, t in region)
    deleted = any(s and not t for s, t in region)
    added = any(t and not s for s, t in region)
    if reshaped or (deleted and added):
        return Code.IMPORT_STRUCTURE
    return Code.IMPORT_BLOCK_MISSING if deleted else Code.IMPORT_BLOCK_ADDED


def align(source: list[Message], translated: list[Message]) -> Alignment:
    """Pair the messages of a source article and its translation by structure."""
    if [signature(m) for m in source] == [signature(m) for m in translated]:
        return Alignment([Pair(s, t) for s, t in zip(source, translated, strict=True)])
    # The length ratio of the language pair, first over everything, then (a second pass)
    # the median over the blocks that paired: a missing or merged block must not skew
    # what "the same length" means.
    ratio = _length_ratio(source, translated)
    path = _dp_align(source, translated, ratio)
    paired = [(source[s[0]], translated[t[0]]) for s, t in path if len(s) == len(t) == 1]
    if paired:
        ratios = sorted((len(b.text) + 20) / (len(a.text) + 20) for a, b in paired)
        ratio = min(max(ratios[len(ratios) // 2], 0.5), 2.0)  # the median: outliers aside
        path = _dp_align(source, translated, ratio)
    costs = [
        pair_cost(source[s[0]], translated[t[0]], ratio) if len(s) == len(t) == 1 else None
        for s, t in path
    ]
    gap = [cost is None or cost > MAX_PAIR_COST for cost in costs]
    # A pair beside a gap must stand on its own: the gap may be half of it.
    doubtful = list(gap)
    for k, cost in enumerate(costs):
        if gap[k] or (cost is not None and cost <= CONFIRMED_COST):
            continue
        if (k > 0 and gap[k - 1]) or (k + 1 < len(path) and gap[k + 1]):
            doubtful[k] = True
    alignment = Alignment()
    k = 0
    while k < len(path):
        if not doubtful[k]:
            (i,), (j,) = path[k]
            alignment.pairs.append(Pair(source[i], translated[j]))
            k += 1
            continue
        start = k
        while k < len(path) and doubtful[k]:
            k += 1
        region = path[start:k]
        mismatch = Mismatch(
            _region_code(region) if any(gap[start:k]) else Code.IMPORT_UNCERTAIN,
            [source[i] for s, _t in region for i in s],
            [translated[j] for _s, t in region for j in t],
        )
        mismatch.source_anchor = _anchor(path, start, k, source, side=0)
        mismatch.translated_anchor = _anchor(path, start, k, translated, side=1)
        alignment.mismatches.append(mismatch)
    return alignment


def _anchor(
    path: list[Step], start: int, end: int, messages: list[Message], side: int,
) -> int:
    """The line of the nearest message on one side around a region (where it would be)."""
    for k in [*range(start - 1, -1, -1), *range(end, len(path))]:
        indexes = path[k][side]
        if indexes:
            return messages[indexes[0]].line
    return 1
