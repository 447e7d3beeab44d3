"""Compiled catalogs for one locale build, found under ``locales/<tag>/LC_MESSAGES``.

Sphinx looks for catalogs in ``<locale_dir>/<language>/LC_MESSAGES`` and gettext expands
``nl_NL`` to ``nl_NL`` and ``nl`` only, never to the ``nl-NL`` folders writers keep. So the
``.po`` files stay where they are and their compiled ``.mo`` files go into a folder of this
build (``<doctreedir>/helpsite-catalogs/<language>/LC_MESSAGES``), which becomes Sphinx's only
``locale_dirs`` entry. A ``.mo`` is rewritten only when its ``.po`` changed, and the pages
whose catalog changed are reported to Sphinx as outdated, so incremental builds re-read
exactly those articles. No symlinks, and nothing is written next to the sources.
"""

from __future__ import annotations

import gettext
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polib

from helpsite.sphinx.locales import normalize_tag

MIRROR_NAME = "helpsite-catalogs"
META_PREFIX = "x-meta-"


@dataclass
class CatalogProblem:
    po_path: Path
    line: int
    message: str


@dataclass
class SyncResult:
    """What :func:`sync_catalogs` did: changed domains and unreadable files."""

    changed: set[str] = field(default_factory=set)
    problems: list[CatalogProblem] = field(default_factory=list)
    domains: set[str] = field(default_factory=set)


def find_locale_folder(root: Path, tag: str) -> Path | None:
    """``<root>/<tag>/LC_MESSAGES``, accepting ``nl-NL``, ``nl_NL`` or ``nl`` as folder name."""
    normalized = normalize_tag(tag)
    candidates = [normalized, normalized.replace("-", "_"), normalized.split("-")[0]]
    for name in candidates:
        folder = root / name / "LC_MESSAGES"
        if folder.is_dir():
            return folder
    return None


def po_path_for(root: Path | None, tag: str, docname: str) -> Path | None:
    """The catalog of one article in one locale, if it exists."""
    if root is None:
        return None
    folder = find_locale_folder(root, tag)
    if folder is None:
        return None
    path = folder / f"{docname}.po"
    return path if path.is_file() else None


def mirror_folder(doctreedir: Path, language: str) -> Path:
    return doctreedir / MIRROR_NAME / language / "LC_MESSAGES"


def _domains(folder: Path, suffix: str) -> dict[str, Path]:
    found = {}
    if not folder.is_dir():
        return found
    for path in folder.rglob(f"*{suffix}"):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        found[rel.with_suffix("").as_posix()] = path
    return found


def _compile(po_path: Path, mo_path: Path, use_fuzzy: bool) -> None:
    # polib keeps every header field (Babel drops the X-Meta-* ones on the way to .mo).
    catalog = polib.pofile(str(po_path), encoding="utf-8")
    if use_fuzzy:
        for entry in catalog.fuzzy_entries():
            entry.flags.remove("fuzzy")
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    # Atomic: a reader never sees half a catalog, an interrupted run leaves the old one.
    fd, tmp = tempfile.mkstemp(dir=mo_path.parent, prefix=".", suffix=".mo")
    os.close(fd)
    try:
        catalog.save_as_mofile(tmp)
        os.replace(tmp, mo_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_LINE = re.compile(r"line (\d+)")


def _error_line(error: Exception) -> int:
    match = _LINE.search(str(error))
    return int(match.group(1)) if match else 1


def sync_catalogs(
    po_folder: Path | None, mo_folder: Path, *, use_fuzzy: bool = False
) -> SyncResult:
    """Bring ``mo_folder`` in line with ``po_folder``: compile new or changed catalogs,
    delete compiled catalogs whose ``.po`` is gone."""
    result = SyncResult()
    sources = _domains(po_folder, ".po") if po_folder else {}
    compiled = _domains(mo_folder, ".mo")
    for domain, po_path in sorted(sources.items()):
        mo_path = mo_folder / f"{domain}.mo"
        result.domains.add(domain)
        if domain in compiled and mo_path.stat().st_mtime_ns >= po_path.stat().st_mtime_ns:
            continue
        try:
            _compile(po_path, mo_path, use_fuzzy)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            result.problems.append(CatalogProblem(
                po_path, _error_line(error),
                f"cannot read the catalog ({error}); the article is built in the source "
                "language"))
            mo_path.unlink(missing_ok=True)
            result.domains.discard(domain)
        result.changed.add(domain)
    for domain, mo_path in compiled.items():
        if domain not in sources:
            mo_path.unlink(missing_ok=True)
            result.changed.add(domain)
    return result


def load_compiled(mo_folder: Path, domain: str) -> gettext.GNUTranslations | None:
    path = mo_folder / f"{domain}.mo"
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def header_meta(translations: gettext.GNUTranslations) -> dict[str, str]:
    """``X-Meta-<key>`` header fields of a catalog (the convention for per-translation
    metadata such as ``ms.translationtype``), keyed by ``<key>``."""
    return {
        name[len(META_PREFIX):]: value
        for name, value in translations.info().items()
        if name.startswith(META_PREFIX) and value
    }


def messages(translations: gettext.GNUTranslations) -> dict[str, str]:
    """msgid → msgstr of the compiled catalog (translated entries only)."""
    catalog = getattr(translations, "_catalog", {})
    return {k: v for k, v in catalog.items() if isinstance(k, str) and k and v}
