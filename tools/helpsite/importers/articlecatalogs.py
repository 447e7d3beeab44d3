"""Imported translations as PO catalogs: one per article, merged with what is there.

The entries are exactly those of the article's POT (same msgids, same order, same
extracted comments) so the build finds every translation. An existing catalog is merged,
never replaced: a msgstr edited since the last import (see :mod:`.state`) is kept and
reported, a translation the import has nothing for is kept, entries that left the source
stay as obsolete entries, and header fields written by other tools survive.

Reading, writing and atomic replacement are the project's catalog tooling
(:mod:`helpsite.catalogs`): the strict reader refuses a damaged file instead of guessing,
and the writer lays files out as msgmerge and Poedit do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from helpsite.catalogs.pofile import Catalog, Entry, read_catalog
from helpsite.catalogs.pomerge import is_complete
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


@dataclass
class MergeResult:
    text: str
    translated: int
    total: int
    conflicts: list[Conflict] = field(default_factory=list)
    imported: dict[str, str] = field(default_factory=dict)  # msgid -> msgstr this import had


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
                        ("X-Generator", "helpsite import")):
        if base.header_value(name) is None or name in ("Language", "Content-Type"):
            base.set_header(name, value)
    for key, value in meta.items():
        base.set_header(META_PREFIX + key, value)
    return base.header


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
) -> MergeResult:
    """The PO text for one article, and what the import contributed to it."""
    current = {e.msgid: e for e in existing.active} if existing is not None else {}
    catalog = Catalog(header_comments=(list(existing.header_comments) if existing else [])
                      or [f"{locale} translation of {source_file}"])
    conflicts: list[Conflict] = []
    imported: dict[str, str] = {}
    for pot in entries:
        new = translations.get(pot.msgid, "")
        imported[pot.msgid] = new
        old = current.get(pot.msgid)
        msgstr, conflict = _choose(pot.msgid, new, old, record)
        if conflict:
            conflicts.append(conflict)
        entry = Entry(pot.msgid, msgstr, extracted_comments=list(pot.comments),
                      references=[f"{source_file}:{line}" for line in pot.lines],
                      translator_comments=list(old.translator_comments) if old else [])
        if old is not None and msgstr == old.msgstr and old.fuzzy:
            entry.set_fuzzy(True)  # a kept edit keeps its review state
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
    catalog.header = _header(existing, locale, meta)
    if is_complete(catalog):
        catalog.set_header(SOURCE_HASH_FIELD, source_hash)
    active = catalog.active
    return MergeResult(render_catalog(catalog), sum(e.translated for e in active), len(active),
                       conflicts, imported)


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
