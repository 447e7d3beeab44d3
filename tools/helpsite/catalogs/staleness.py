"""Staleness: has the source article changed since its translation was last complete?

Like Microsoft's ``ms.openlocfilehash``, each catalog remembers the source it was
translated from: ``update-po`` writes ``X-Source-Hash: <sha1 of the source .md bytes>``
into the PO header whenever the catalog is complete (everything translated, nothing
fuzzy). A page is stale when the source's current hash differs from that record.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from helpsite.catalogs.pofile import POParseError, read_catalog

SOURCE_HASH_FIELD = "X-Source-Hash"


def source_hash(source_path: Path) -> str:
    return hashlib.sha1(source_path.read_bytes()).hexdigest()


def recorded_hash(po_path: Path) -> str | None:
    """The ``X-Source-Hash`` of a PO file; ``None`` when absent or unreadable."""
    try:
        catalog = read_catalog(po_path)
    except POParseError:
        return None
    value = catalog.header_value(SOURCE_HASH_FIELD)
    return value.strip() if value else None


def is_stale(po_path: Path, source_path: Path) -> bool:
    """True when the translation in ``po_path`` was completed for another source text.

    A catalog that was never complete has no record and is not called stale (it is
    incomplete, which the stats report separately); a missing source is not stale.
    """
    recorded = recorded_hash(po_path)
    if recorded is None or not source_path.is_file():
        return False
    return recorded != source_hash(source_path)
