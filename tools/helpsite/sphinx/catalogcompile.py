"""Compiled catalogs for one locale build, found under ``locales/<tag>/LC_MESSAGES``.

Sphinx looks for catalogs in ``<locale_dir>/<language>/LC_MESSAGES`` and gettext expands
``nl_NL`` to ``nl_NL`` and ``nl`` only, never to the ``nl-NL`` folders writers keep. So the
``.po`` files stay where they are and their compiled ``.mo`` files go into a folder of this
build (``<doctreedir>/helpsite-catalogs/<language>/LC_MESSAGES``), which becomes Sphinx's only
``locale_dirs`` entry. No symlinks, and nothing is written next to the sources.

Compiling uses :mod:`helpsite.catalogs` (the strict PO reader, and the ``.mo`` writer that
keeps the ``X-Meta-*`` header fields and leaves out unsafe translations). A ``.mo`` is
rewritten only when the content of its ``.po`` changed (its hash is recorded in an index
beside the compiled catalogs, so a git checkout that touches every file re-reads nothing),
and the pages whose catalog changed are reported to Sphinx as outdated: an incremental
build re-reads exactly those articles.
"""

from __future__ import annotations

import contextlib
import gettext
import hashlib
import json
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from helpsite.catalogs.compile import mo_bytes
from helpsite.catalogs.pofile import Catalog, POParseError, parse_catalog_bytes
from helpsite.catalogs.qa import check_language_header
from helpsite.catalogs.staleness import SOURCE_HASH_FIELD
from helpsite.files import files_by_suffix, write_if_changed
from helpsite.findings import Finding
from helpsite.locales import language_candidates
from helpsite.sphinx import compat

MIRROR_NAME = "helpsite-catalogs"
META_PREFIX = "x-meta-"
STAMP_SUFFIX = ".sha256"  # stamps of older builds, removed with their .mo
STAMP_VERSION = "helpsite-build-3"  # 3: blank msgstrs left out, Language checked
INDEX_NAME = ".helpsite-catalogs.json"  # what each .mo was compiled from


@dataclass
class SyncResult:
    """What :func:`sync_catalogs` did: changed domains, and what the reader reported
    (unreadable catalogs, translations left out as unsafe)."""

    changed: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    unreadable: list[Finding] = field(default_factory=list)
    refused: list[Finding] = field(default_factory=list)


def find_locale_folder(root: Path, tag: str) -> Path | None:
    """``<root>/<tag>/LC_MESSAGES``, accepting ``nl-NL``, ``nl_NL`` or ``nl`` as folder name."""
    for name in language_candidates(tag):
        folder = root / name / "LC_MESSAGES"
        if folder.is_dir():
            return folder
    return None




def unusable_catalog(catalog: Catalog, folder_tag: str, display: str) -> Finding | None:
    """Why a catalog that parses must still not translate its page (None: usable).

    A catalog whose ``Language`` header names another language than its locale folder
    (``Language: fr`` in ``locales/nl-NL/``) was put there by mistake: its page falls
    back to the source text rather than show French on the Dutch site."""
    return check_language_header(catalog, folder_tag, display)


def mirror_folder(doctreedir: Path, language: str) -> Path:
    return doctreedir / MIRROR_NAME / language / "LC_MESSAGES"


def catalog_domains(po_folder: Path | None) -> frozenset[str]:
    """The pages that have a catalog in ``po_folder`` (None: none)."""
    return frozenset(files_by_suffix(po_folder, ".po"))


def _stamp(po_data: bytes, use_fuzzy: bool) -> str:
    digest = hashlib.sha256(po_data)
    digest.update(f"\x00fuzzy={int(use_fuzzy)}\x00{STAMP_VERSION}".encode())
    return digest.hexdigest()


def _mo_size(mo_path: str) -> int | None:
    try:
        return os.stat(mo_path).st_size
    except OSError:
        return None


def _remove(mo_path: str) -> None:
    for path in (mo_path, mo_path + STAMP_SUFFIX):  # the stamps of older builds, too
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _load_index(mo_folder: Path) -> dict[str, list[object]]:
    """domain → [.po size, .po mtime_ns, stamp of the .po bytes, .mo size]."""
    try:
        data = json.loads((mo_folder / INDEX_NAME).read_text(encoding="utf-8"))
        catalogs = data["catalogs"] if data.get("version") == STAMP_VERSION else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return catalogs if isinstance(catalogs, dict) else {}


def _write_cache(path: str, data: bytes) -> bool:
    """Write a compiled catalog unless it holds these bytes already. No temporary file:
    the index, written last, names only complete files, and Sphinx's own dependency check
    re-reads a page whose .mo is newer than its last reading (creating and renaming 3,000
    temporaries cost a second on every cold build)."""
    if _mo_size(path) == len(data) and Path(path).read_bytes() == data:
        return False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
    return True


def sync_catalogs(
    po_folder: Path | None, mo_folder: Path, *, use_fuzzy: bool = False
) -> SyncResult:
    """Bring ``mo_folder`` in line with ``po_folder``: compile new or changed catalogs,
    delete compiled catalogs whose ``.po`` is gone or can no longer be read.

    What was compiled from what is recorded in one index file. A ``.po`` whose size and
    modification time are as recorded is not read again (3,000 catalogs: a few hundredths
    of a second); any other is hashed, so a checkout that only touches files compiles
    nothing."""
    result = SyncResult()
    sources = files_by_suffix(po_folder, ".po")
    known, index = _load_index(mo_folder), {}
    mo_root = os.fspath(mo_folder)
    folder_tag = po_folder.parent.name if po_folder is not None else ""  # locales/<tag>/
    for domain, po_path in sorted(sources.items()):
        mo_path = f"{mo_root}/{domain}.mo"
        info = os.stat(po_path)
        recorded = known.get(domain)
        current = isinstance(recorded, list) and len(recorded) == 4 and \
            _mo_size(mo_path) == recorded[3]
        if current and recorded[:2] == [info.st_size, info.st_mtime_ns]:
            index[domain] = recorded
            result.domains.add(domain)
            continue
        po_data = Path(po_path).read_bytes()
        stamp = _stamp(po_data, use_fuzzy)
        if current and recorded[2] == stamp:
            index[domain] = [info.st_size, info.st_mtime_ns, stamp, recorded[3]]
            result.domains.add(domain)
            continue
        try:
            catalog = parse_catalog_bytes(po_data, po_path)
        except POParseError as error:
            result.unreadable.extend(error.findings)
            result.changed.add(domain)
            _remove(mo_path)
            continue
        unusable = unusable_catalog(catalog, folder_tag, po_path)
        if unusable is not None:  # reported like an unreadable one: the page falls back
            result.unreadable.append(unusable)
            result.changed.add(domain)
            _remove(mo_path)
            continue
        data = mo_bytes(catalog, use_fuzzy=use_fuzzy, display=po_path,
                        refused=result.refused)
        # A .po edit that leaves the compiled catalog as it was (a comment, a reference)
        # re-reads no page.
        if _write_cache(mo_path, data):
            result.changed.add(domain)
        index[domain] = [info.st_size, info.st_mtime_ns, stamp, len(data)]
        result.domains.add(domain)
    for domain, mo_path in files_by_suffix(mo_folder, ".mo").items():
        if domain not in sources:
            _remove(mo_path)
            result.changed.add(domain)
    if index or known:
        data = {"version": STAMP_VERSION, "fuzzy": use_fuzzy, "catalogs": index}
        write_if_changed(mo_folder / INDEX_NAME,
                         (json.dumps(data, sort_keys=True) + "\n").encode())
    return result


# The page being read asks for its catalog several times (translation, message count,
# fallback marking): the last few loaded catalogs, keyed by path, size and mtime.
_LOADED: OrderedDict[Path, tuple[tuple[int, int], gettext.GNUTranslations]] = OrderedDict()
_LOADED_SIZE = 4


def load_compiled(mo_folder: Path, domain: str) -> gettext.GNUTranslations | None:
    path = mo_folder / f"{domain}.mo"
    try:
        info = path.stat()
    except OSError:
        return None
    key = (info.st_size, info.st_mtime_ns)
    hit = _LOADED.get(path)
    if hit is not None and hit[0] == key:
        _LOADED.move_to_end(path)
        return hit[1]
    with path.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    _LOADED[path] = (key, translations)
    while len(_LOADED) > _LOADED_SIZE:
        _LOADED.popitem(last=False)
    return translations


def header_meta(translations: gettext.GNUTranslations) -> dict[str, str]:
    """``X-Meta-<key>`` header fields of a catalog (the convention for per-translation
    metadata such as ``ms.translationtype``), keyed by ``<key>``."""
    return {
        name[len(META_PREFIX):]: value
        for name, value in translations.info().items()
        if name.startswith(META_PREFIX) and value
    }


def translated_from_other_source(translations: gettext.GNUTranslations, source: Path) -> bool:
    """True when the catalog was completed for another version of the source article:
    its ``X-Source-Hash`` (written by ``update-po``, as Microsoft's ``ms.openlocfilehash``)
    differs from the source's hash now. No record (never complete) is not "stale"."""
    recorded = translations.info().get(SOURCE_HASH_FIELD.lower(), "").strip()
    if not recorded or not source.is_file():
        return False
    return recorded != hashlib.sha1(source.read_bytes()).hexdigest()


def messages(translations: gettext.GNUTranslations) -> dict[str, str]:
    """msgid → msgstr of the compiled catalog (translated entries only)."""
    catalog = compat.translations_catalog(translations)
    return {k: v for k, v in catalog.items() if isinstance(k, str) and k and v}
