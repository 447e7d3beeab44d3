"""``update-po``: merge the POT files into every locale's PO files, safely.

Three phases, under the catalogs lock:

1. read and check every POT and every PO file in scope; any file that does not parse
   (or whose ``Language`` does not match its folder) stops the run here, before a single
   byte is written;
2. merge in memory (:mod:`helpsite.catalogs.pomerge`), record ``X-Source-Hash`` for
   catalogs that became complete, render (:mod:`helpsite.catalogs.writer`);
   new entries are pre-filled from the locale's translation memory
   (:mod:`helpsite.handoff.memory`);
3. write only the files whose bytes changed, each atomically; a file that changed on
   disk since phase 1 (an editor saved it) is left alone and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from helpsite.catalogs.locking import catalog_lock
from helpsite.catalogs.pofile import Catalog, POParseError, parse_catalog_bytes, read_catalog
from helpsite.catalogs.pomerge import PageChanges, is_complete, merge_catalog
from helpsite.catalogs.qa import language_mismatch
from helpsite.catalogs.settings import CatalogSettings
from helpsite.catalogs.staleness import SOURCE_HASH_FIELD, source_hash
from helpsite.catalogs.writer import render_catalog
from helpsite.files import remove_stale_temporaries, write_atomic
from helpsite.findings import Code, Finding
from helpsite.handoff.memory import TranslationMemory, add_catalog, prefill_catalog
from helpsite.locales import locale_folders


class UpdateUsageError(ValueError):
    """The update cannot start (no POT files, no locales); the message says what to do."""


@dataclass
class PageReport:
    locale: str
    docname: str
    path: str
    changes: PageChanges
    written: bool = False
    prefilled: int = 0  # new entries translated from the translation memory (unambiguous exact)
    prefilled_fuzzy: int = 0  # new entries given a fuzzy translation memory match
    prefilled_ambiguous: int = 0  # of prefilled_fuzzy: exact matches held back as fuzzy

    def to_dict(self) -> dict[str, object]:
        return {"locale": self.locale, "page": self.docname, "path": self.path,
                **self.changes.to_dict(), "prefilled": self.prefilled,
                "prefilled_fuzzy": self.prefilled_fuzzy,
                "prefilled_ambiguous": self.prefilled_ambiguous, "written": self.written}


@dataclass
class UpdateReport:
    pages: list[PageReport] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def stopped(self) -> bool:
        """True when unreadable input stopped the run before anything was written."""
        return any(f.code.group == "po" and f.code is not Code.PO_CHANGED
                   for f in self.findings)

    def totals(self) -> dict[str, int]:
        return {
            "pages": len(self.pages),
            "written": sum(p.written for p in self.pages),
            "created": sum(p.changes.created for p in self.pages),
            "new": sum(p.changes.new for p in self.pages),
            "fuzzy": sum(p.changes.fuzzy for p in self.pages),
            "obsolete": sum(p.changes.obsolete for p in self.pages),
            "revived": sum(p.changes.revived for p in self.pages),
            "prefilled": sum(p.prefilled for p in self.pages),
            "prefilled_fuzzy": sum(p.prefilled_fuzzy for p in self.pages),
            "prefilled_ambiguous": sum(p.prefilled_ambiguous for p in self.pages),
        }

    def prefill_by_locale(self) -> dict[str, dict[str, int]]:
        """Per locale, the new entries the translation memory filled, as translated and
        as fuzzy (``ambiguous``: exact matches among the fuzzy ones)."""
        locales: dict[str, dict[str, int]] = {}
        for page in self.pages:
            counts = locales.setdefault(page.locale, {"translated": 0, "fuzzy": 0,
                                                      "ambiguous": 0})
            counts["translated"] += page.prefilled
            counts["fuzzy"] += page.prefilled_fuzzy
            counts["ambiguous"] += page.prefilled_ambiguous
        return locales


@dataclass
class _Existing:
    catalog: Catalog | None
    data: bytes | None


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def find_templates(pot_dir: Path) -> dict[str, Path]:
    """POT files by docname (``billing/change-payment-method``)."""
    return {p.relative_to(pot_dir).with_suffix("").as_posix(): p
            for p in sorted(pot_dir.rglob("*.pot"))}


def check_language(catalog: Catalog, tag: str, display: str) -> Finding | None:
    language = catalog.header_value("Language")
    line = catalog.header_line or 1
    if language is None or not language.strip():
        return Finding.of(Code.PO_LANGUAGE, display, line, 1,
                          f"the header has no 'Language' field; add 'Language: "
                          f"{tag.replace('-', '_')}'")
    if language_mismatch(language, tag) is not None:  # check-po's and the build's rule
        return Finding.of(Code.PO_LANGUAGE, display, line, 1,
                          f"'Language: {language}' does not match the folder locales/{tag}/; "
                          "move the file or fix the header")
    return None


def read_existing(path: Path, tag: str, display: str) -> tuple[_Existing, list[Finding]]:
    """One PO file read strictly (absent files are fine: they get created)."""
    if not path.exists():
        return _Existing(None, None), []
    try:
        data = path.read_bytes()
        catalog = parse_catalog_bytes(data, display)
    except POParseError as error:
        return _Existing(None, None), error.findings
    except OSError as error:
        return _Existing(None, None), [Finding.of(Code.PO_UNREADABLE, display, 1, 1,
                                                  f"cannot read the file: {error.strerror}")]
    problem = check_language(catalog, tag, display)
    return _Existing(catalog, data), [problem] if problem else []


def _record_source_hash(catalog: Catalog, source: Path | None) -> bool:
    """Write ``X-Source-Hash`` when the catalog is complete; True when it changed."""
    if source is None or not source.is_file() or not is_complete(catalog):
        return False
    digest = source_hash(source)
    if catalog.header_value(SOURCE_HASH_FIELD) == digest:
        return False
    catalog.set_header(SOURCE_HASH_FIELD, digest)
    return True


def _source_for(source_dir: Path | None, docname: str) -> Path | None:
    if source_dir is None:
        return None
    candidate = source_dir / f"{docname}.md"
    return candidate if candidate.is_file() else None


def _memories(existing: dict[tuple[str, str], tuple[Path, _Existing]],
              base: Path) -> dict[str, TranslationMemory]:
    """Each locale's translation memory from the catalogs as they were read (phase 1)."""
    memories: dict[str, TranslationMemory] = {}
    for (tag, _docname), (path, found) in existing.items():
        memory = memories.setdefault(tag, TranslationMemory(tag))
        if found.catalog is not None:
            add_catalog(memory, found.catalog, _display(path, base))
    return memories


def update_catalogs(pot_dir: Path, locales_dir: Path, locales: list[str] | None = None, *,
                    source_dir: Path | None = None,
                    settings: CatalogSettings | None = None,
                    base: Path | None = None, prefill: bool = True) -> UpdateReport:
    """Merge ``pot_dir/**/*.pot`` into ``locales_dir/<tag>/LC_MESSAGES/**/*.po``.

    With ``prefill`` new entries are filled from the locale's translation memory
    (:func:`helpsite.handoff.memory.prefill_catalog`: exact matches the memory is
    unambiguous for translated, the rest fuzzy)."""
    settings = settings or CatalogSettings()
    base = base or Path.cwd()
    templates = find_templates(pot_dir) if pot_dir.is_dir() else {}
    if not templates:
        raise UpdateUsageError(f"no POT files in {pot_dir}: run 'make gettext' first")
    tags = locale_folders(locales_dir, locales)
    if not tags:
        raise UpdateUsageError(f"no locale folders in {locales_dir}: create one "
                               "(locales/nl-NL/) or pass --locales")
    report = UpdateReport()
    with catalog_lock(locales_dir, timeout=settings.lock_timeout):
        remove_stale_temporaries(locales_dir)
        pots: dict[str, Catalog] = {}
        for docname, path in templates.items():
            try:
                pots[docname] = read_catalog(path, _display(path, base), template=True)
            except POParseError as error:
                report.findings.extend(error.findings)
        existing: dict[tuple[str, str], tuple[Path, _Existing]] = {}
        for tag in tags:
            folder = locales_dir / tag / "LC_MESSAGES"
            docnames = set(templates)
            if folder.is_dir():  # orphans too: a broken file anywhere stops the run
                docnames |= {p.relative_to(folder).with_suffix("").as_posix()
                             for p in folder.rglob("*.po")}
            for docname in sorted(docnames):
                path = folder / f"{docname}.po"
                found, problems = read_existing(path, tag, _display(path, base))
                report.findings.extend(problems)
                existing[(tag, docname)] = (path, found)
        if report.findings:
            return report
        memories = _memories(existing, base) if prefill else {}
        for (tag, docname), (path, found) in existing.items():
            if docname not in pots:
                continue  # a catalog without a template is left exactly as it is
            merged = merge_catalog(found.catalog, pots[docname], locale=tag,
                                   threshold=settings.fuzzy_threshold)
            filled = (prefill_catalog(merged.catalog, memories[tag],
                                      origin=_display(path, base))
                      if prefill else None)
            _record_source_hash(merged.catalog, _source_for(source_dir, docname))
            data = render_catalog(merged.catalog, width=settings.width).encode("utf-8")
            page = PageReport(tag, docname, _display(path, base), merged.changes)
            if filled is not None:
                page.prefilled, page.prefilled_fuzzy = filled.exact, filled.fuzzy
                page.prefilled_ambiguous = filled.ambiguous
            report.pages.append(page)
            if data == found.data:
                continue
            current = path.read_bytes() if path.exists() else None
            if current != found.data:
                report.findings.append(Finding.of(
                    Code.PO_CHANGED, page.path, 1, 1,
                    "the file changed on disk during the update and was not touched; "
                    "run the update again"))
                continue
            write_atomic(path, data)
            page.written = True
    return report
