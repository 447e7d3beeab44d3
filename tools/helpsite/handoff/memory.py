"""The translation memory (TM) of one locale: every confirmed translation it already has.

Units come from the locale's catalogs (each translated, non-fuzzy entry, obsolete ones
too: their translation is still a person's work) and from imported side-by-side files
(one unit per sentence pair). A lookup gives

* an **exact** match (score 100): the same source text; among several translations of it
  the most frequent wins, so one odd translation does not spread. Whether it may be
  applied as a translation unseen is :meth:`TranslationMemory.exact_fill`'s verdict: only
  when the memory is unambiguous for it (in context, or one translation agreed by several
  articles); every other exact match is offered as fuzzy, with its alternatives;
* **fuzzy** matches (score < 100): rapidfuzz's normalised Indel similarity (the ratio
  CAT tools and ``msgmerge`` use) over a *normalised* text in which Markdown markup
  (code, link targets, HTML tags, emphasis, substitutions) is one placeable character
  each, so two sentences differing only in a URL or a code span score 99, not 60.

The memory is rebuilt on demand from the catalogs (measured in docs/handoff.md: faster
than keeping a TMX file in sync); :mod:`helpsite.handoff.tmx` writes and reads TMX for
other tools. Public API for the handoff commands::

    memory = memory_from_catalogs(Path("locales"), "nl-NL")
    for match in memory.matches("Select **Save**.", limit=3):
        match.score, match.source, match.target, match.origin
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from helpsite.catalogs.markdown_tokens import CODE_SPAN
from helpsite.catalogs.pofile import Catalog, Entry, POParseError, is_blank, read_catalog
from helpsite.catalogs.words import token_words
from helpsite.findings import Finding
from helpsite.importers.sxs import sentence_pairs

DEFAULT_MIN_SCORE = 75.0
EXACT = 100.0
MARKUP_ONLY = 99.0  # same words, different markup: the placeables need a look

# Placeables: one private-use character per kind of markup, so markup counts as one edit.
_CODE, _LINK_OPEN, _LINK_CLOSE, _TAG, _EMPHASIS = "\ue000", "\ue001", "\ue002", "\ue003", \
    "\ue004"
_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(?:https?|mailto|ftp):[^\s<>]+>|https?://[^\s)<>\]]+")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_SUBSTITUTION = re.compile(r"\{\{[^{}]*\}\}")
_EMPHASIS_MARK = re.compile(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)|~~")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
# A fuzzy score of 75 needs lengths within 2*min/(a+b) >= 0.75, i.e. min/max >= 0.6.
_LENGTH_SLACK = 0.6


def normalise(text: str) -> str:
    """The text fuzzy matching compares: markup as placeables, whitespace collapsed."""
    text = CODE_SPAN.sub(_CODE, text)
    text = _LINK.sub(lambda m: _LINK_OPEN + m.group(1) + _LINK_CLOSE, text)
    text = _AUTOLINK.sub(_CODE, text)
    text = _HTML_TAG.sub(_TAG, text)
    text = _SUBSTITUTION.sub(_CODE, text)
    text = _EMPHASIS_MARK.sub(_EMPHASIS, text)
    return _SPACE.sub(" ", text).strip()


def word_count(text: str) -> int:
    """Words of a source text as a vendor counts them: markup and URLs are not words;
    Chinese, Japanese and Thai by the rule of catalogs.words."""
    plain = re.sub("[\ue000-\ue004]", " ", normalise(text))
    return sum(token_words(word) for word in _WORD.findall(plain))


@dataclass(frozen=True)
class Unit:
    """One translation in the memory: a source text, its translation, where it is from."""

    source: str
    target: str
    origin: str  # a PO file (locales/nl-NL/LC_MESSAGES/x.po) or "sxs:<file>"
    context: str | None = None  # the msgctxt, when the catalog had one


@dataclass(frozen=True)
class Match:
    """A TM hit for a text: ``score`` 100 is exact, below is fuzzy (0-100 scale)."""

    score: float
    source: str
    target: str
    origin: str
    context: str | None = None

    @property
    def exact(self) -> bool:
        return self.score >= EXACT


@dataclass
class _Variants:
    """The units sharing one source text."""

    units: list[Unit] = field(default_factory=list)

    def best(self, context: str | None = None) -> Unit:
        """The most frequent translation, preferring units of the same context."""
        pool = [u for u in self.units if u.context == context] or self.units
        counts = Counter(u.target for u in pool)
        target = max(counts, key=lambda t: (counts[t], -_first_index(pool, t)))
        return next(u for u in pool if u.target == target)


def _first_index(units: list[Unit], target: str) -> int:
    return next(i for i, u in enumerate(units) if u.target == target)


# How many different origins (articles) must agree on the one translation of a text before
# an exact match is applied unseen. Measured by `make bench-handoff` (docs/handoff.md):
# on the real corpus an uncontested translation met in one article only is the human one
# of a new article in 73 % of cases, one agreed by four articles in 91-100 % a locale
# (98.9 % over the ten locales; three articles: 97.5 %).
AGREEING_ORIGINS = 4


@dataclass(frozen=True)
class ExactFill:
    """An exact match and whether the memory is unambiguous enough to apply it unseen.

    ``confirmed`` is the verdict: ``in_context`` (a unit with the same ``msgctxt`` or from
    the same catalog, all agreeing: Trados's 101 %) or ``agreed`` (every unit of the text has
    this translation, in this context, and at least ``AGREEING_ORIGINS`` origins have it).
    Otherwise the match is the most frequent translation and ``alternatives`` are the
    others, most frequent first: a person chooses."""

    match: Match
    in_context: bool
    agreed: bool
    origins: int  # how many different origins have the chosen translation
    alternatives: tuple[str, ...] = ()

    @property
    def confirmed(self) -> bool:
        return self.in_context or self.agreed


def _in_context(units: list[Unit], context: str | None, origin: str | None) -> list[Unit]:
    """The units of the same msgctxt (a real one) or of the same catalog."""
    return [u for u in units
            if (context is not None and u.context == context)
            or (origin is not None and u.origin == origin)]


def _ranked_targets(units: list[Unit]) -> list[str]:
    """The distinct translations, most frequent first (ties: the first met)."""
    counts = Counter(u.target for u in units)
    return sorted(counts, key=lambda t: (-counts[t], _first_index(units, t)))


class TranslationMemory:
    """The units of one locale, indexed for exact and fuzzy lookups."""

    def __init__(self, locale: str, units: Iterable[Unit] = ()) -> None:
        self.locale = locale
        self._by_source: dict[str, _Variants] = {}
        self._by_normal: dict[str, list[str]] = {}  # normalised text -> raw sources
        self._index: tuple[list[int], list[str]] | None = None
        self.findings: list[Finding] = []  # catalogs that could not be read
        for unit in units:
            self.add_unit(unit)

    def __len__(self) -> int:
        return sum(len(v.units) for v in self._by_source.values())

    def add(self, source: str, target: str, origin: str, context: str | None = None) -> None:
        self.add_unit(Unit(source, target, origin, context))

    def add_unit(self, unit: Unit) -> None:
        if is_blank(unit.source) or is_blank(unit.target):
            return
        variants = self._by_source.get(unit.source)
        if variants is None:
            variants = self._by_source[unit.source] = _Variants()
            self._by_normal.setdefault(normalise(unit.source), []).append(unit.source)
            self._index = None
        variants.units.append(unit)

    def units(self) -> Iterator[Unit]:
        for variants in self._by_source.values():
            yield from variants.units

    def translations(self, text: str) -> list[str]:
        """Every translation the memory has of exactly this source text, in order."""
        variants = self._by_source.get(text)
        return [u.target for u in variants.units] if variants else []

    def exact(self, text: str, context: str | None = None) -> Match | None:
        """The translation of exactly this source text (same context preferred)."""
        variants = self._by_source.get(text)
        if variants is None:
            return None
        unit = variants.best(context)
        return Match(EXACT, unit.source, unit.target, unit.origin, unit.context)

    def exact_fill(self, text: str, context: str | None = None, origin: str | None = None, *,
                   agreeing_origins: int = AGREEING_ORIGINS) -> ExactFill | None:
        """The exact match of ``text`` with the verdict whether to apply it unseen.

        ``origin`` is the catalog being filled (its own earlier translations are in
        context). See :class:`ExactFill` for the rule."""
        variants = self._by_source.get(text)
        if variants is None:
            return None
        local = _in_context(variants.units, context, origin)
        local_targets = {u.target for u in local}
        pool = local if len(local_targets) == 1 else (
            [u for u in variants.units if u.context == context] or variants.units)
        ranked = _ranked_targets(pool)
        everyone = _ranked_targets(variants.units)
        unit = next(u for u in pool if u.target == ranked[0])
        origins = len({u.origin for u in variants.units if u.target == unit.target})
        return ExactFill(
            Match(EXACT, unit.source, unit.target, unit.origin, unit.context),
            in_context=len(local_targets) == 1,
            agreed=(len(everyone) == 1 and origins >= agreeing_origins
                    and all(u.context == context for u in variants.units)),
            origins=origins,
            alternatives=tuple(t for t in everyone if t != unit.target))

    def matches(self, text: str, limit: int = 3, *, min_score: float = DEFAULT_MIN_SCORE,
                context: str | None = None) -> list[Match]:
        """Up to ``limit`` matches for ``text``, best first: the exact one, then fuzzy."""
        found: list[Match] = []
        exact = self.exact(text, context)
        if exact is not None:
            found.append(exact)
        if len(found) >= limit:
            return found
        query = normalise(text)
        for normal, score in self._fuzzy(query, limit + 1, min_score):
            for source in self._by_normal[normal]:
                if source == text:
                    continue
                unit = self._by_source[source].best(context)
                rated = MARKUP_ONLY if normal == query else min(score, MARKUP_ONLY)
                found.append(Match(round(rated, 1), unit.source, unit.target, unit.origin,
                                   unit.context))
        found.sort(key=lambda m: -m.score)
        return found[:limit]

    def best(self, text: str, *, min_score: float = DEFAULT_MIN_SCORE,
             context: str | None = None) -> Match | None:
        found = self.matches(text, 1, min_score=min_score, context=context)
        return found[0] if found else None

    def _fuzzy(self, query: str, limit: int, min_score: float) -> list[tuple[str, float]]:
        lengths, normals = self._sorted_index()
        slack = min(_LENGTH_SLACK, min_score / (200 - min_score))
        low = bisect.bisect_left(lengths, int(len(query) * slack))
        high = bisect.bisect_right(lengths, int(len(query) / slack) + 1)
        if low >= high:
            return []
        hits = process.extract(query, normals[low:high], scorer=fuzz.ratio, limit=limit,
                               score_cutoff=min_score)
        return [(choice, score) for choice, score, _index in hits]

    def _sorted_index(self) -> tuple[list[int], list[str]]:
        if self._index is None:
            normals = sorted(self._by_normal, key=len)
            self._index = ([len(n) for n in normals], normals)
        return self._index


# ----------------------------------------------------------------------------- building


def add_catalog(memory: TranslationMemory, catalog: Catalog, origin: str) -> int:
    """Add a catalog's confirmed translations (translated, not fuzzy); how many were."""
    added = 0
    for entry in catalog.entries:
        if entry.msgid_plural is not None or entry.fuzzy or not entry.translated:
            continue
        memory.add(entry.msgid, entry.msgstr, origin, entry.msgctxt)
        added += 1
    return added


def catalog_files(locales_dir: Path, locale: str) -> list[Path]:
    folder = locales_dir / locale / "LC_MESSAGES"
    return sorted(folder.rglob("*.po")) if folder.is_dir() else []


def _shown(path: Path, base: Path | None) -> str:
    if base is None:
        return path.as_posix()
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def memory_from_catalogs(locales_dir: Path, locale: str, *, base: Path | None = None,
                         exclude: Iterable[Path] = ()) -> TranslationMemory:
    """The TM of ``locale`` from ``locales_dir/<locale>/LC_MESSAGES/**/*.po``.

    A catalog that does not parse adds nothing and leaves its findings in
    ``memory.findings`` (the TM is advice; ``check-po`` is where such files are fixed)."""
    memory = TranslationMemory(locale)
    skipped = {p.resolve() for p in exclude}
    for path in catalog_files(locales_dir, locale):
        if path.resolve() in skipped:
            continue
        shown = _shown(path, base)
        try:
            catalog = read_catalog(path, shown)
        except POParseError as error:
            memory.findings.extend(error.findings)
            continue
        add_catalog(memory, catalog, shown)
    return memory


def add_sxs_text(memory: TranslationMemory, text: str, origin: str) -> int:
    """Add the sentence pairs of one side-by-side file; how many there were."""
    pairs = sentence_pairs(text)
    for source, target in pairs:
        memory.add(source.strip(), target.strip(), origin)
    return len(pairs)


def memory_from_sxs(folder: Path, locale: str) -> TranslationMemory:
    """The TM of the sxs files under ``folder`` (an ``alchemy-sxs/<locale>`` checkout)."""
    memory = TranslationMemory(locale)
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        add_sxs_text(memory, text, f"sxs:{path.relative_to(folder).as_posix()}")
    return memory


# ----------------------------------------------------------------------------- pre-fill

TM_COMMENT = "translation memory:"  # how a pre-filled entry's translator comment starts


SHOWN_ALTERNATIVES = 3  # alternatives listed in a pre-filled entry's comments


@dataclass
class PrefillCounts:
    exact: int = 0  # translated: an exact match the memory is unambiguous for
    fuzzy: int = 0  # flagged fuzzy: waits for a person to confirm it (ambiguous ones too)
    ambiguous: int = 0  # of ``fuzzy``: exact matches held back (competing or unattested)


def _exact_comments(fill: ExactFill, context: str | None) -> list[str]:
    origin = fill.match.origin
    if fill.in_context:
        return [f"{TM_COMMENT} exact match in context from {origin}"]
    if fill.agreed:
        return [f"{TM_COMMENT} exact match from {origin}, the one translation of "
                f"{fill.origins} catalogs"]
    if fill.match.context != context:
        head = (f"{TM_COMMENT} the same text in another context, from {origin}; "
                "check it and remove the fuzzy flag")
    elif fill.alternatives:
        head = (f"{TM_COMMENT} exact match with {len(fill.alternatives) + 1} translations "
                f"in the memory, the most frequent from {origin}; choose one and remove "
                "the fuzzy flag")
    else:
        head = (f"{TM_COMMENT} exact match from {origin}, met in {fill.origins} "
                f"catalog(s) only; check it and remove the fuzzy flag")
    return [head] + [f"{TM_COMMENT} alternative: {alternative}"
                     for alternative in fill.alternatives[:SHOWN_ALTERNATIVES]]


def prefill_catalog(catalog: Catalog, memory: TranslationMemory, *,
                    min_score: float = DEFAULT_MIN_SCORE, origin: str | None = None,
                    agreeing_origins: int = AGREEING_ORIGINS) -> PrefillCounts:
    """Fill the untranslated entries of ``catalog`` from ``memory``.

    An exact match the memory is unambiguous for (:meth:`TranslationMemory.exact_fill`)
    is a translation; every other match is fuzzy, so the build does not publish it until a
    translator confirms it: an ambiguous exact match with its alternatives in the comments,
    a fuzzy one with its source as ``#| msgid``. ``origin`` is how the memory names this
    catalog (its own translations are in context). Each filled entry gets translator
    comments naming its origin."""
    counts = PrefillCounts()
    for entry in catalog.active:
        if entry.msgid_plural is not None or entry.translated or entry.fuzzy:
            continue
        fill = memory.exact_fill(entry.msgid, entry.msgctxt, origin,
                                 agreeing_origins=agreeing_origins)
        if fill is not None:
            _apply_exact(entry, fill, counts)
            continue
        match = memory.best(entry.msgid, min_score=min_score, context=entry.msgctxt)
        if match is None:
            continue
        entry.msgstr = match.target
        entry.translator_comments.append(
            f"{TM_COMMENT} {match.score:.0f}% match from {match.origin}; "
            "check it and remove the fuzzy flag")
        _mark_fuzzy(entry, match)
        counts.fuzzy += 1
    return counts


def _apply_exact(entry: Entry, fill: ExactFill, counts: PrefillCounts) -> None:
    entry.msgstr = fill.match.target
    entry.translator_comments.extend(_exact_comments(fill, entry.msgctxt))
    if fill.confirmed:
        counts.exact += 1
        return
    _mark_fuzzy(entry, fill.match)
    counts.fuzzy += 1
    counts.ambiguous += 1


def _mark_fuzzy(entry: Entry, match: Match) -> None:
    """Flag ``entry`` fuzzy; the match's source as ``#|`` when it is another text or context
    (an exact match of this very entry has nothing to compare)."""
    entry.set_fuzzy(True)
    if (match.context, match.source) != (entry.msgctxt, entry.msgid):
        entry.previous_msgctxt = match.context
        entry.previous_msgid = match.source
