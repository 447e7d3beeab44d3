"""Imported translations as PO catalogs: one per article, merged with what is there.

The entries are exactly those of the article's POT (same msgids, same order, same
extracted comments) so the build finds every translation. An existing catalog is merged,
never replaced: a msgstr edited since the last import (see :mod:`.state`) is kept and
reported, a translation the import has nothing for is kept, entries that left the source
stay as obsolete entries, and header fields written by other tools survive.

A locale whose English side of an article differs from the source kept in OUT (another
version of the article) loses nothing and gains nothing wrong: a translation of a changed
sentence is offered as a ``fuzzy`` entry of the kept sentence, this locale's English as
its ``#| msgid`` (as ``msgmerge --previous`` does; the build does not publish it), and a
translation whose sentence has no counterpart is kept as an obsolete (``#~``) entry.

Reading, writing and atomic replacement are the project's catalog tooling
(:mod:`helpsite.catalogs`): the strict reader refuses a damaged file instead of guessing,
and the writer lays files out as msgmerge and Poedit do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from helpsite.catalogs.plurals import expected_plural_forms
from helpsite.catalogs.pofile import Catalog, Entry, read_catalog
from helpsite.catalogs.pomerge import fuzzy_pairs, is_complete
from helpsite.catalogs.settings import CatalogSettings
from helpsite.catalogs.staleness import SOURCE_HASH_FIELD
from helpsite.catalogs.writer import render_catalog
from helpsite.files import write_atomic
from helpsite.importers.extract import CatalogEntry
from helpsite.importers.state import ArticleRecord, short_hash
from helpsite.locales import sphinx_language

META_PREFIX = "X-Meta-"
_FIXED_HEADER = (
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
)


@dataclass
class Conflict:
    msgid: str
    kept: str
    imported: str
    line: int  # the entry's line in the existing file


# The similarity update-po (catalogs.pomerge) pairs changed sources at, by default.
FUZZY_THRESHOLD = CatalogSettings().fuzzy_threshold


@dataclass
class Carried:
    """Translations of an English text other than the kept source's (see the docstring)."""

    fuzzy: dict[str, tuple[str, str]] = field(default_factory=dict)  # kept msgid ->
    # (translation, this locale's English it was made for)
    obsolete: dict[str, str] = field(default_factory=dict)  # this locale's English -> translation


def carry_changed(msgids: list[str], translations: dict[str, str]) -> Carried:
    """Where the translations of messages that are not in the kept source (``msgids``)
    go: each to the most similar kept message that has no translation of its own, when
    it is similar enough (the pairing of update-po), otherwise to an obsolete entry."""
    wanted = set(msgids)
    orphans = [Entry(msgid, text) for msgid, text in translations.items()
               if msgid not in wanted and text]
    if not orphans:
        return Carried()
    open_entries = [(index, Entry(msgid)) for index, msgid in enumerate(msgids)
                    if not translations.get(msgid)]
    pairs = fuzzy_pairs(open_entries, orphans, FUZZY_THRESHOLD)
    used = {id(old) for old in pairs.values()}
    return Carried({msgids[index]: (old.msgstr, old.msgid) for index, old in pairs.items()},
                   {old.msgid: old.msgstr for old in orphans if id(old) not in used})


@dataclass
class MergeResult:
    text: str
    translated: int
    total: int
    conflicts: list[Conflict] = field(default_factory=list)
    imported: dict[str, str] = field(default_factory=dict)  # msgid -> msgstr this import had
    fuzzy: list[str] = field(default_factory=list)  # kept msgids given a fuzzy suggestion
    obsolete: list[str] = field(default_factory=list)  # this locale's English kept as #~


def _choose(
    msgid: str, new: str, current: Entry | None, record: ArticleRecord | None
) -> tuple[str, Conflict | None]:
    """The msgstr to write: the import's, unless someone edited the entry since."""
    if current is None or not current.msgstr or current.msgstr == new:
        return new, None
    recorded = record.imported_hash(msgid) if record else None
    if recorded is not None and short_hash(current.msgstr) == recorded:
        return new, None  # untouched since the last import: take the new import
    if not new:
        return current.msgstr, None  # someone translated what the import could not
    return current.msgstr, Conflict(msgid, current.msgstr, new, current.line)


def _header(existing: Catalog | None, locale: str, meta: dict[str, str]) -> list[tuple[str, str]]:
    """The existing header (other tools' fields kept) with the import's fields set."""
    base = Catalog(header=[(k, v) for k, v in existing.header
                           if not (k.startswith(META_PREFIX) and k[len(META_PREFIX):] not in meta)]
                   if existing is not None else [])
    for name, value in (*_FIXED_HEADER, ("Language", sphinx_language(locale)),
                        *_plural_header(locale), ("X-Generator", "helpsite import")):
        if base.header_value(name) is None or name in ("Language", "Content-Type"):
            base.set_header(name, value)
    for key, value in meta.items():
        base.set_header(META_PREFIX + key, value)
    return base.header


def _plural_header(locale: str) -> list[tuple[str, str]]:
    """``Plural-Forms`` for the locale's language (CLDR, as ``pybabel init`` writes it;
    ``check-po`` checks against the same rule); none for a language Babel has no rule for.
    Set only when the catalog has none: a translator's own header stays."""
    rule = expected_plural_forms(locale)
    return [("Plural-Forms", f"nplurals={rule[0]}; plural={rule[1]};")] if rule else []


def _review_state(entry: Entry, old: Entry | None, suggestion: tuple[str, str] | None) -> None:
    """Make ``entry`` fuzzy when it holds a suggestion nobody reviewed yet, or kept a
    fuzzy edit; a translator who cleared the flag has reviewed it, and it stays clear."""
    if old is not None and entry.msgstr == old.msgstr:
        if old.fuzzy:  # a kept entry keeps its review state, and what it was made for
            entry.set_fuzzy(True)
            entry.previous_msgid = old.previous_msgid
    elif suggestion is not None and entry.msgstr == suggestion[0]:
        entry.set_fuzzy(True)
        entry.previous_msgid = suggestion[1]


def merge_catalog(
    *,
    entries: Iterable[CatalogEntry],
    translations: dict[str, str],
    existing: Catalog | None,
    record: ArticleRecord | None,
    locale: str,
    meta: dict[str, str],
    source_file: str,
    source_hash: str,
    carried: Carried | None = None,
) -> MergeResult:
    """The PO text for one article, and what the import contributed to it (``carried``:
    the translations made for another English version, see the module docstring)."""
    carried = carried or Carried()
    current = {e.msgid: e for e in existing.active} if existing is not None else {}
    catalog = Catalog(header_comments=(list(existing.header_comments) if existing else [])
                      or [f"{locale} translation of {source_file}"])
    conflicts: list[Conflict] = []
    imported: dict[str, str] = {}
    fuzzy: list[str] = []
    for pot in entries:
        new = translations.get(pot.msgid, "")
        suggestion = None if new else carried.fuzzy.get(pot.msgid)
        new = suggestion[0] if suggestion else new
        imported[pot.msgid] = new
        old = current.get(pot.msgid)
        msgstr, conflict = _choose(pot.msgid, new, old, record)
        if conflict:
            conflicts.append(conflict)
        entry = Entry(pot.msgid, msgstr, extracted_comments=list(pot.comments),
                      references=[f"{source_file}:{line}" for line in pot.lines],
                      translator_comments=list(old.translator_comments) if old else [])
        _review_state(entry, old, suggestion)
        if suggestion is not None and entry.fuzzy and entry.msgstr == suggestion[0]:
            fuzzy.append(pot.msgid)
        catalog.entries.append(entry)
    # Translations whose source text left the article stay as obsolete entries (#~).
    seen = set(imported)
    for old in existing.entries if existing is not None else []:
        if old.msgid in seen or not old.msgstr:
            continue
        seen.add(old.msgid)
        catalog.entries.append(Entry(
            old.msgid, old.msgstr, old.msgctxt, translator_comments=old.translator_comments,
            flags=[f for f in old.flags if f == "fuzzy"], obsolete=True))
    catalog.entries += [Entry(msgid, text, obsolete=True)
                        for msgid, text in carried.obsolete.items() if msgid not in seen]
    catalog.header = _header(existing, locale, meta)
    if is_complete(catalog):
        catalog.set_header(SOURCE_HASH_FIELD, source_hash)
    active = catalog.active
    return MergeResult(render_catalog(catalog),
                       sum(e.translated and not e.fuzzy for e in active), len(active),
                       conflicts, imported, fuzzy, list(carried.obsolete))


def read_existing(path: Path) -> Catalog | None:
    """The catalog already at ``path``; a damaged one raises ``POParseError`` (findings)."""
    if not path.exists():
        return None
    return read_catalog(path)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically and only when the bytes differ (a re-import changes nothing)."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data)
    return True
