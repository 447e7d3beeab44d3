"""Imported translations as PO catalogs: one per article, merged with what is there.

The entries are exactly those of the article's POT (same msgids, same order, same
extracted comments) so the build finds every translation. An existing catalog is merged,
never replaced: a msgstr edited since the last import (see :mod:`.state`) is kept and
reported, a translation the import has nothing for is kept, entries that left the source
stay as obsolete entries, and header fields written by other tools survive.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from helpsite.importers.extract import CatalogEntry
from helpsite.importers.state import ArticleRecord, short_hash

WRAP_WIDTH = 79
_FIXED_HEADER = {
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "X-Generator": "helpsite import",
}


def gettext_language(tag: str) -> str:
    """``nl-NL`` -> ``nl_NL`` (the form the PO ``Language`` header uses)."""
    return tag.replace("-", "_")


@dataclass
class Conflict:
    msgid: str
    kept: str
    imported: str


@dataclass
class MergeResult:
    text: str
    translated: int
    total: int
    conflicts: list[Conflict] = field(default_factory=list)
    imported: dict[str, str] = field(default_factory=dict)  # msgid -> msgstr this import had


def _hash_file_text(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _choose(
    msgid: str, new: str, current: polib.POEntry | None, record: ArticleRecord | None
) -> tuple[str, Conflict | None]:
    """The msgstr to write: the import's, unless someone edited the entry since."""
    if current is None or not current.msgstr or current.msgstr == new:
        return new, None
    recorded = record.imported_hash(msgid) if record else None
    if recorded is not None and short_hash(current.msgstr) == recorded:
        return new, None  # untouched since the last import: take the new import
    if not new:
        return current.msgstr, None  # someone translated what the import could not
    return current.msgstr, Conflict(msgid, current.msgstr, new)


def _header(
    existing: polib.POFile | None, locale: str, meta: dict[str, str], source_hash: str | None
) -> dict[str, str]:
    header = dict(existing.metadata) if existing is not None else {}
    for key in [k for k in header if k.startswith("X-Meta-")]:
        if key[len("X-Meta-"):] not in meta:
            del header[key]
    header.update({"Language": gettext_language(locale), **_FIXED_HEADER})
    header.update({f"X-Meta-{key}": value for key, value in meta.items()})
    if source_hash:
        header["X-Source-Hash"] = source_hash
    return header


def merge_catalog(
    *,
    entries: Iterable[CatalogEntry],
    translations: dict[str, str],
    existing: polib.POFile | None,
    record: ArticleRecord | None,
    locale: str,
    meta: dict[str, str],
    source_file: str,
    source_text: str,
) -> MergeResult:
    """The PO text for one article, and what the import contributed to it."""
    current = {e.msgid: e for e in existing if not e.obsolete} if existing is not None else {}
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    conflicts: list[Conflict] = []
    imported: dict[str, str] = {}
    translated = 0
    seen: set[str] = set()
    for entry in entries:
        new = translations.get(entry.msgid, "")
        imported[entry.msgid] = new
        old = current.get(entry.msgid)
        msgstr, conflict = _choose(entry.msgid, new, old, record)
        if conflict:
            conflicts.append(conflict)
        po_entry = polib.POEntry(
            msgid=entry.msgid, msgstr=msgstr,
            occurrences=[(source_file, str(line)) for line in entry.lines],
            comment="\n".join(entry.comments),
            tcomment=old.tcomment if old is not None else "",
        )
        if old is not None and msgstr == old.msgstr and "fuzzy" in old.flags:
            po_entry.flags.append("fuzzy")  # a kept edit keeps its review state
        po.append(po_entry)
        seen.add(entry.msgid)
        translated += bool(msgstr)
    if existing is not None:
        for old in existing:
            if old.msgid not in seen and old.msgstr:
                kept = polib.POEntry(msgid=old.msgid, msgstr=old.msgstr, tcomment=old.tcomment,
                                     flags=list(old.flags), obsolete=True)
                po.append(kept)
    complete = translated == len(seen) and bool(seen)
    source_hash = _hash_file_text(source_text) if complete else None
    po.metadata = _header(existing, locale, meta, source_hash)
    po.header = (existing.header if existing is not None and existing.header
                 else f"{locale} translation of {source_file}")
    return MergeResult(str(po) + "\n", translated, len(seen), conflicts, imported)


def read_catalog(path: Path) -> polib.POFile | None:
    """An existing catalog, or None; a file polib cannot read raises ``OSError``/``IOError``."""
    if not path.exists():
        return None
    return polib.pofile(str(path), wrapwidth=WRAP_WIDTH)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically (temporary file + rename) and only when the bytes differ."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
