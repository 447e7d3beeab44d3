"""Handoff packages: what a locale needs translated, out to a vendor and back, nothing lost.

**Export** (:func:`export_packages`) collects, per locale, the entries that need
translation now (:func:`collect_locale`):

- *new*: no translation yet;
- *fuzzy*: a translation that a person must confirm (the source changed a little, or a
  translation-memory suggestion);
- *stale*: the translated entries of an article whose source changed since its
  translation was complete (``X-Source-Hash``, :mod:`helpsite.catalogs.staleness`), sent
  for review with their translation.

``merged=True`` takes every active entry instead: one catalog per language for platforms
that want one file (Weblate, Crowdin), split back by the same import. Plural entries are
left out (Sphinx's message catalogs have none). Each unit carries its context (article,
heading, the neighbouring source sentences, the extracted comments, the previous source
of a fuzzy entry), up to three translation-memory matches, and helpsite's record: the
``msgctxt`` and the digest of the translation at export (``base``).

**Import** (:func:`import_package`) merges a returned package into the per-article
catalogs, under the catalogs lock, in three phases like ``update-po``: read everything
(a package or a catalog that does not parse stops the run: nothing is written); merge in
memory and run ``check-po``'s QA on every translation that would be published (an error
stops the run); write the catalogs that changed, atomically. Per unit:

- the catalog entry still has the translation it had at export (its digest equals
  ``base``): the vendor's translation goes in, fuzzy when the vendor did not confirm it;
- it was edited meanwhile (conflict, ``handoff.conflict``): both are kept. A confirmed
  translation in the PO stays and the vendor's goes into a translator comment
  ``# handoff conflict DATE: vendor "..."``; otherwise the vendor's goes in and the
  PO's former text into the comment ``# handoff conflict DATE: before import "..."``;
- the source text is gone from the article (changed or removed since the export,
  ``handoff.source-changed``): the vendor's translation is kept as an obsolete (``#~``)
  entry, which ``update-po`` brings back when the text returns.

Every catalog the package touched records the handoff date (the day the package was
exported, which is when the batch went to the translators) as
``X-Meta-ms.lasthandoff: MM/DD/YYYY``, the project's header field for article metadata,
and ``X-Source-Hash`` when the import made it complete (as ``update-po`` does).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from helpsite.catalogs.locking import catalog_lock
from helpsite.catalogs.pofile import (
    Catalog,
    Entry,
    POParseError,
    escape,
    is_blank,
    parse_catalog_bytes,
    unescape,
)
from helpsite.catalogs.pomerge import is_complete
from helpsite.catalogs.qa import check_pair
from helpsite.catalogs.settings import CatalogSettings
from helpsite.catalogs.staleness import SOURCE_HASH_FIELD, is_stale, source_hash
from helpsite.catalogs.writer import render_catalog
from helpsite.files import write_atomic
from helpsite.findings import Code, Finding, apply_policy, has_errors
from helpsite.handoff.xliff import (
    Alternative,
    Package,
    PackageFile,
    Unit,
    XliffError,
    read_xliff,
    write_xliff,
)
from helpsite.locales import locale_folders, locale_key, sphinx_language

LASTHANDOFF_FIELD = "X-Meta-ms.lasthandoff"
HANDOFF_DATE_FIELD = "X-Handoff-Date"
FORMATS = ("xliff2", "xliff12", "po")
SUFFIXES = {"xliff2": ".xlf", "xliff12": ".xliff", "po": ".po"}
RECORD_PREFIX = "helpsite-"  # extracted comments of a PO package that hold the record
CONTEXT_SEPARATOR = "|"  # msgctxt of a PO package: docname, or docname|msgctxt
TM_MATCHES = 3
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


class MatchLike(Protocol):
    score: float
    source: str
    target: str
    origin: str


class MemoryLike(Protocol):
    """What a package needs of :class:`helpsite.handoff.memory.TranslationMemory`."""

    def matches(self, text: str, limit: int = 3, **options: object) -> list[MatchLike]: ...


class PackageError(ValueError):
    """A package that cannot be read or does not fit the project; ``finding`` says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.format())
        self.finding = finding


# --------------------------------------------------------------------- identities


def unit_id(msgctxt: str | None, msgid: str) -> str:
    """A stable id of a message within its article (an XML NMTOKEN, as XLIFF 2 wants)."""
    key = f"{msgctxt if msgctxt is not None else ''}\x04{msgid}".encode()
    return "u" + hashlib.sha1(key).hexdigest()[:16]


def translation_digest(entry: Entry) -> str:
    """What the entry's translation is at a moment: its text and whether it is fuzzy."""
    state = f"{'fuzzy' if entry.fuzzy else 'final'}\x04{entry.msgstr}"
    return hashlib.sha1(state.encode()).hexdigest()[:16]


def handoff_date_mdy(iso_date: str) -> str:
    """``2026-05-04`` as ``05/04/2026``, the form ``ms.lasthandoff`` is written in."""
    return dt.date.fromisoformat(iso_date[:10]).strftime("%m/%d/%Y")


# ----------------------------------------------------------------------- collecting


@dataclass
class Candidate:
    """An entry of one article put into a batch, with its context."""

    entry: Entry
    kind: str  # new | fuzzy | stale | translated (merged catalogs only)
    heading: str = ""
    previous: str = ""
    next: str = ""


@dataclass
class ArticleBatch:
    docname: str
    path: Path
    candidates: list[Candidate] = field(default_factory=list)


def _source_lines(entry: Entry) -> list[int]:
    """The source lines an entry is from (a title is in the front matter and the H1)."""
    numbers = (reference.rpartition(":")[2] for reference in entry.references)
    return [int(number) for number in numbers if number.isdigit()]


def _headings(source: Path | None) -> dict[int, str]:
    """The Markdown headings of the source article, by line."""
    if source is None or not source.is_file():
        return {}
    lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    return {number: match.group(2) for number, line in enumerate(lines, 1)
            if (match := _HEADING.match(line))}


def _kind(entry: Entry, stale: bool, merged: bool) -> str | None:
    if not entry.translated:
        return "new"
    if entry.fuzzy:
        return "fuzzy"
    if stale:
        return "stale"
    return "translated" if merged else None


def collect_article(docname: str, catalog: Catalog, path: Path, source: Path | None, *,
                    merged: bool = False) -> ArticleBatch:
    """The entries of one catalog that go into a batch, with heading and neighbours."""
    stale = source is not None and is_stale(path, source)
    headings = _headings(source)
    active = [e for e in catalog.active if e.msgid_plural is None]
    batch = ArticleBatch(docname, path)
    heading = ""
    for index, entry in enumerate(active):
        heading = next((headings[n] for n in _source_lines(entry) if n in headings), heading)
        kind = _kind(entry, stale, merged)
        if kind is None:
            continue
        batch.candidates.append(Candidate(
            entry, kind, heading=heading,
            previous=active[index - 1].msgid if index else "",
            next=active[index + 1].msgid if index + 1 < len(active) else ""))
    return batch


def collect_locale(locales_dir: Path, tag: str, source_dir: Path | None, *,
                   merged: bool = False) -> tuple[list[ArticleBatch], list[Finding]]:
    """Every article batch of a locale (non-empty ones), and the catalogs that did not
    parse (a package is advice: those are reported and left out, check-po fixes them)."""
    folder = locales_dir / tag / "LC_MESSAGES"
    batches, findings = [], []
    for path in sorted(folder.rglob("*.po")) if folder.is_dir() else []:
        docname = path.relative_to(folder).with_suffix("").as_posix()
        try:
            catalog = parse_catalog_bytes(path.read_bytes(), str(path))
        except POParseError as error:
            findings.extend(error.findings)
            continue
        source = source_dir / f"{docname}.md" if source_dir is not None else None
        batch = collect_article(docname, catalog, path, source, merged=merged)
        if batch.candidates:
            batches.append(batch)
    return batches, findings


# ------------------------------------------------------------------- building units


_KIND_NOTES = {
    "new": "new: not translated yet",
    "fuzzy": "fuzzy: check the translation (the source changed, or it is a suggestion)",
    "stale": "stale: the article changed since this translation was complete; review it",
}


def _notes(docname: str, candidate: Candidate) -> list[tuple[str, str]]:
    entry = candidate.entry
    notes = [("article", docname)]
    if candidate.kind in _KIND_NOTES:
        notes.append(("status", _KIND_NOTES[candidate.kind]))
    if candidate.heading:
        notes.append(("heading", candidate.heading))
    if candidate.previous:
        notes.append(("previous-sentence", candidate.previous))
    if candidate.next:
        notes.append(("next-sentence", candidate.next))
    notes += [("developer", text) for text in entry.extracted_comments]
    notes += [("translator", text) for text in entry.translator_comments]
    if entry.previous_msgid is not None:
        notes.append(("previous-source", entry.previous_msgid))
    if entry.references:
        notes.append(("location", " ".join(entry.references)))
    return notes


def _alternatives(memory: MemoryLike | None, entry: Entry, origin: str) -> list[Alternative]:
    if memory is None:
        return []
    found = []
    for match in memory.matches(entry.msgid, TM_MATCHES + 1):
        if match.origin == origin and match.source == entry.msgid:
            continue  # the entry's own translation is no suggestion for itself
        found.append(Alternative(match.source, match.target, float(match.score), match.origin))
    return found[:TM_MATCHES]


def make_unit(docname: str, candidate: Candidate, memory: MemoryLike | None = None,
              origin: str = "") -> Unit:
    entry = candidate.entry
    record = {"kind": candidate.kind, "base": translation_digest(entry)}
    if entry.msgctxt is not None:
        record["msgctxt"] = entry.msgctxt
    return Unit(unit_id(entry.msgctxt, entry.msgid), entry.msgid, entry.msgstr,
                confirmed=entry.translated and not entry.fuzzy,
                notes=_notes(docname, candidate),
                alternatives=_alternatives(memory, entry, origin), record=record)


def build_package(tag: str, batches: Iterable[ArticleBatch], *, source_language: str,
                  date: str, memory: MemoryLike | None = None,
                  shown: Callable[[Path], str] = str) -> Package:
    package = Package(source_language, tag, date)
    for batch in batches:
        origin = shown(batch.path)
        package.files.append(PackageFile(batch.docname, [
            make_unit(batch.docname, c, memory, origin) for c in batch.candidates]))
    return package


# ------------------------------------------------------------------ the PO package


def write_po_package(package: Package, *, width: int | None = 79) -> bytes:
    """One PO of the whole package: msgctxt ``docname`` (or ``docname|msgctxt``), the
    article in ``#:`` references, the context and helpsite's record as ``#.`` comments."""
    catalog = Catalog(header=[
        ("Project-Id-Version", "helpsite handoff"),
        ("Language", sphinx_language(package.target_language)),
        ("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Source-Language", package.source_language),
        (HANDOFF_DATE_FIELD, package.date)])
    for docname, unit in package.units:
        context = unit.record.get("msgctxt")
        comments = [f"{category}: {text}" for category, text in unit.notes
                    if category not in ("article", "location", "translator")]
        comments += [f"TM {a.similarity:.0f}% ({a.origin}): {a.target}" for a in unit.alternatives]
        comments += [f"{RECORD_PREFIX}{key}: {escape(value)}"
                     for key, value in unit.record.items()]
        references = next((t.split() for c, t in unit.notes if c == "location"), [])
        entry = Entry(msgid=unit.source, msgstr=unit.target,
                      msgctxt=docname if context is None
                      else f"{docname}{CONTEXT_SEPARATOR}{context}",
                      extracted_comments=comments, references=references or [f"{docname}.md"],
                      translator_comments=[t for c, t in unit.notes if c == "translator"])
        entry.set_fuzzy(bool(unit.target) and not unit.confirmed)
        catalog.entries.append(entry)
    return render_catalog(catalog, width=width).encode("utf-8")


def _po_record(entry: Entry) -> dict[str, str]:
    record = {}
    for comment in entry.extracted_comments:
        if comment.startswith(RECORD_PREFIX):
            key, _colon, value = comment[len(RECORD_PREFIX):].partition(": ")
            record[key] = unescape(value)  # written PO-escaped, so it stays on one line
    return record


def read_po_package(data: bytes, display: str) -> Package:
    """A PO package back as a :class:`Package` (a PO error raises :class:`POParseError`)."""
    catalog = parse_catalog_bytes(data, display)
    language = (catalog.header_value("Language") or "").strip()
    package = Package(catalog.header_value("X-Source-Language") or "en",
                      language.replace("_", "-"), catalog.header_value(HANDOFF_DATE_FIELD) or "")
    files: dict[str, PackageFile] = {}
    for entry in catalog.active:
        if entry.msgctxt is None or entry.msgid_plural is not None:
            raise PackageError(Finding.of(
                Code.HANDOFF_INVALID, display, entry.line, 1,
                "an entry without msgctxt (or with a plural): a helpsite PO package names "
                "each entry's article in its msgctxt; return the file as exported"))
        docname, _bar, context = entry.msgctxt.partition(CONTEXT_SEPARATOR)
        record = _po_record(entry)
        if context:
            record["msgctxt"] = context
        unit = Unit(unit_id(context or None, entry.msgid), entry.msgid, entry.msgstr,
                    confirmed=entry.translated and not entry.fuzzy, record=record,
                    line=entry.line)
        files.setdefault(docname, PackageFile(docname)).units.append(unit)
    package.files = list(files.values())
    return package


def read_package(path: Path, display: str) -> Package:
    """A returned package (XLIFF 2.0, 1.2 or PO, by its content); :class:`PackageError`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PackageError(Finding.of(Code.HANDOFF_INVALID, display, 1, 1,
                                      f"cannot read the package: {error.strerror}")) from error
    if data.lstrip().startswith(b"<"):
        try:
            return read_xliff(data)[0]
        except XliffError as error:
            raise PackageError(Finding.of(Code.HANDOFF_INVALID, display, error.line, 1,
                                          f"{error}; nothing was imported")) from error
    try:
        return read_po_package(data, display)
    except POParseError as error:
        first = error.findings[0]
        raise PackageError(Finding.of(Code.HANDOFF_INVALID, display, first.line, first.column,
                                      f"not a readable XLIFF or PO package: {first.message}; "
                                      "nothing was imported")) from error


# ------------------------------------------------------------------------- export


@dataclass
class ExportResult:
    locale: str
    path: Path
    articles: int
    units: int


def package_bytes(package: Package, fmt: str, width: int | None = 79) -> bytes:
    if fmt == "po":
        return write_po_package(package, width=width)
    return write_xliff(package, "2.0" if fmt == "xliff2" else "1.2")


def export_packages(locales_dir: Path, out_dir: Path, *, locales: list[str] | None = None,
                    source_dir: Path | None = None, fmt: str = "xliff2", merged: bool = False,
                    source_language: str = "en", date: str | None = None,
                    memory_for: Callable[[str], MemoryLike | None] | None = None,
                    ) -> tuple[list[ExportResult], list[Finding]]:
    """Write one package per locale into ``out_dir`` (``<locale>.xlf``, ``.xliff`` for
    1.2, ``.po``; ``-merged`` before the suffix for merged catalogs); a locale with
    nothing to translate gets none. The catalogs are only read."""
    date = date or dt.date.today().isoformat()
    results, findings = [], []
    for tag in locale_folders(locales_dir, locales):
        batches, problems = collect_locale(locales_dir, tag, source_dir, merged=merged)
        findings.extend(problems)
        memory = memory_for(tag) if memory_for is not None and not merged else None
        package = build_package(tag, batches, source_language=source_language, date=date,
                                memory=memory)
        path = out_dir / f"{tag}{'-merged' if merged else ''}{SUFFIXES[fmt]}"
        if package.files:  # nothing to translate: no package (XLIFF needs a <file>)
            write_atomic(path, package_bytes(package, fmt))
        results.append(ExportResult(tag, path, len(package.files), len(package.units)))
    return results, findings


# ------------------------------------------------------------------------- import


@dataclass
class ImportReport:
    locale: str = ""
    findings: list[Finding] = field(default_factory=list)
    applied: int = 0
    unchanged: int = 0
    conflicts: int = 0
    kept_obsolete: int = 0
    written: list[Path] = field(default_factory=list)
    stopped: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"locale": self.locale, "applied": self.applied, "unchanged": self.unchanged,
                "conflicts": self.conflicts, "kept_obsolete": self.kept_obsolete,
                "written": [str(p) for p in self.written], "stopped": self.stopped,
                "findings": [f.to_dict() for f in self.findings]}


@dataclass
class _Article:
    path: Path
    data: bytes
    catalog: Catalog
    touched: bool = False


def _locale_of(package: Package, locales_dir: Path, display: str) -> str:
    wanted = locale_key(package.target_language)
    for tag in locale_folders(locales_dir):
        if locale_key(tag) == wanted:
            return tag
    raise PackageError(Finding.of(
        Code.HANDOFF_INVALID, display, 1, 1,
        f"the package is for '{package.target_language}', which has no folder in "
        f"{locales_dir}; import it where that locale is (or create {locales_dir}/TAG/)"))


def _read_articles(package: Package, folder: Path, display: str
                   ) -> tuple[dict[str, _Article], list[Finding]]:
    articles, findings = {}, []
    for package_file in package.files:
        docname = package_file.original
        path = (folder / f"{docname}.po")
        if ".." in Path(docname).parts or Path(docname).is_absolute():
            findings.append(Finding.of(Code.HANDOFF_INVALID, display, 1, 1,
                                       f"article '{docname}' is outside the catalogs folder"))
            continue
        if not path.is_file():
            findings.append(Finding.of(
                Code.HANDOFF_SOURCE_CHANGED, display, 1, 1,
                f"article '{docname}' has no catalog any more ({path}); its "
                f"{len(package_file.units)} unit(s) stay in the package only"))
            continue
        try:
            data = path.read_bytes()
            articles[docname] = _Article(path, data, parse_catalog_bytes(data, str(path)))
        except POParseError as error:
            findings.extend(error.findings)
    return articles, findings


def _conflict_comment(date: str, who: str, text: str) -> str:
    return f'handoff conflict {date}: {who} "{escape(text)}"'


def _add_comment(entry: Entry, comment: str) -> None:
    if comment not in entry.translator_comments:
        entry.translator_comments.append(comment)


def _apply(entry: Entry, unit: Unit) -> None:
    entry.msgstr = unit.target
    entry.set_fuzzy(not unit.confirmed)
    if unit.confirmed:
        entry.previous_msgid = entry.previous_msgctxt = None


class _Merger:
    """Merges the units of one package into the catalogs read for it (in memory)."""

    def __init__(self, report: ImportReport, display: str, date: str,
                 settings: CatalogSettings) -> None:
        self.report, self.display, self.date, self.settings = report, display, date, settings
        self.published: list[tuple[Unit, str]] = []  # (unit, msgid) to check with QA

    def finding(self, code: Code, unit: Unit, docname: str, message: str) -> None:
        self.report.findings.append(Finding.of(
            code, self.display, unit.line, 1, f"{docname}: unit {unit.id}: {message}"))

    def merge_article(self, docname: str, article: _Article, units: list[Unit]) -> None:
        catalog = article.catalog
        by_id = {unit_id(e.msgctxt, e.msgid): e for e in catalog.active
                 if e.msgid_plural is None}
        report = self.report
        changes_before = report.applied + report.conflicts + report.kept_obsolete
        for unit in units:
            if is_blank(unit.target):
                continue  # not translated by the vendor: nothing to merge
            entry = by_id.get(unit.id)
            if entry is None:
                self.keep_obsolete(docname, catalog, unit)
            elif entry.msgid != unit.source:
                self.finding(Code.HANDOFF_INVALID, unit, docname,
                             "the source text was changed in the package; return the "
                             "package with the source text as exported")
            else:
                self.merge_unit(docname, entry, unit)
        # only a catalog the package changed records the handoff (a merged catalog
        # returned as it was splits back to the same bytes)
        article.touched = report.applied + report.conflicts + report.kept_obsolete > \
            changes_before

    def merge_unit(self, docname: str, entry: Entry, unit: Unit) -> None:
        base = unit.record.get("base")
        edited = translation_digest(entry) != base if base else (
            entry.translated and not entry.fuzzy)
        if entry.msgstr == unit.target:
            if unit.confirmed and entry.fuzzy and not edited:
                _apply(entry, unit)
                self.publish(unit, entry.msgid)
                self.report.applied += 1
            else:
                self.report.unchanged += 1
            return
        if not edited:
            _apply(entry, unit)
            self.publish(unit, entry.msgid)
            self.report.applied += 1
            return
        self.report.conflicts += 1
        if entry.translated and not entry.fuzzy:
            _add_comment(entry, _conflict_comment(self.date, "vendor", unit.target))
            where = "the catalog keeps its translation, the vendor's is in a comment"
        else:
            if entry.translated:
                _add_comment(entry, _conflict_comment(self.date, "before import",
                                                      entry.msgstr))
            _apply(entry, unit)
            self.publish(unit, entry.msgid)
            where = "the vendor's translation went in, the former one is in a comment"
        self.finding(Code.HANDOFF_CONFLICT, unit, docname,
                     f"the translation was edited in the catalog since the export; {where} "
                     "(# handoff conflict): choose one and delete the comment")

    def keep_obsolete(self, docname: str, catalog: Catalog, unit: Unit) -> None:
        context = unit.record.get("msgctxt")
        existing = next((e for e in catalog.obsolete
                         if e.msgid == unit.source and e.msgctxt == context), None)
        if existing is None:
            entry = Entry(msgid=unit.source, msgstr=unit.target, msgctxt=context,
                          obsolete=True, translator_comments=[f"handoff {self.date}: the "
                                                              "source text was gone"])
            entry.set_fuzzy(not unit.confirmed)
            catalog.entries.append(entry)
        elif existing.msgstr != unit.target:
            _add_comment(existing, _conflict_comment(self.date, "vendor", unit.target))
        self.report.kept_obsolete += 1
        self.finding(Code.HANDOFF_SOURCE_CHANGED, unit, docname,
                     "the source text is no longer in the article; the translation is kept "
                     "as an obsolete (#~) entry that update-po revives if the text returns")

    def publish(self, unit: Unit, msgid: str) -> None:
        if unit.confirmed or self.settings.compile_fuzzy:
            self.published.append((unit, msgid))

    def qa_findings(self, docnames: dict[str, str]) -> list[Finding]:
        """check-po's checks on every translation that the import would publish."""
        findings = []
        for unit, msgid in self.published:
            for problem in check_pair(msgid, unit.target,
                                      unchanged_min_length=self.settings.unchanged_min_length):
                findings.append(Finding.of(problem.code, self.display, unit.line, 1,
                                           f"{docnames[unit.id]}: unit {unit.id}: "
                                           f"{problem.message}"))
        return findings


def _record_handoff(article: _Article, date: str, source_dir: Path | None,
                    docname: str) -> None:
    catalog = article.catalog
    catalog.set_header(LASTHANDOFF_FIELD, handoff_date_mdy(date))
    source = source_dir / f"{docname}.md" if source_dir is not None else None
    if source is not None and source.is_file() and is_complete(catalog):
        catalog.set_header(SOURCE_HASH_FIELD, source_hash(source))


def import_package(package_path: Path, locales_dir: Path, *, source_dir: Path | None = None,
                   settings: CatalogSettings | None = None, suppress: Iterable[str] = (),
                   display: str | None = None) -> ImportReport:
    """Merge a returned package into ``locales_dir``; see the module docstring."""
    settings = settings or CatalogSettings()
    shown = display or str(package_path)
    report = ImportReport()
    try:
        package = read_package(package_path, shown)
        report.locale = _locale_of(package, locales_dir, shown)
    except PackageError as error:
        report.findings, report.stopped = [error.finding], True
        return report
    date = (package.date or dt.date.today().isoformat())[:10]
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        report.findings, report.stopped = [Finding.of(
            Code.HANDOFF_INVALID, shown, 1, 1, f"the handoff date {date!r} is not a date "
            "(YYYY-MM-DD); return the package with the date it was exported with")], True
        return report
    with catalog_lock(locales_dir, timeout=settings.lock_timeout):
        folder = locales_dir / report.locale / "LC_MESSAGES"
        articles, report.findings = _read_articles(package, folder, shown)
        if has_errors(apply_policy(report.findings, suppress=list(suppress))):
            report.stopped = True
            return report
        merger = _Merger(report, shown, date, settings)
        docnames = {}
        for package_file in package.files:
            docnames.update({u.id: package_file.original for u in package_file.units})
            if package_file.original in articles:
                merger.merge_article(package_file.original, articles[package_file.original],
                                     package_file.units)
        report.findings = apply_policy([*report.findings, *merger.qa_findings(docnames)],
                                       suppress=list(suppress))
        if has_errors(report.findings):
            report.stopped = True
            return report
        _write_articles(articles, report, date, source_dir, settings)
    return report


def _write_articles(articles: dict[str, _Article], report: ImportReport, date: str,
                    source_dir: Path | None, settings: CatalogSettings) -> None:
    for docname, article in articles.items():
        if not article.touched:
            continue
        _record_handoff(article, date, source_dir, docname)
        data = render_catalog(article.catalog, width=settings.width).encode("utf-8")
        if data == article.data:
            continue
        if article.path.read_bytes() != article.data:
            report.findings.append(Finding.of(
                Code.PO_CHANGED, str(article.path), 1, 1, "the file changed on disk during "
                "the import and was not touched; import the package again"))
            continue
        write_atomic(article.path, data)
        report.written.append(article.path)
