"""The import itself: read, extract, align, merge, and only then write.

Every file that will be written is computed first. Unreadable input (an article whose
front matter does not parse, a PO file that cannot be read, a broken import record)
stops the run before anything is written, unless ``skip_invalid`` leaves such articles
out and says so. Files are written atomically and only when their bytes change, so a
second import of the same input changes nothing.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from helpsite.article import parse_article
from helpsite.catalogs.pofile import POParseError
from helpsite.findings import Code, Finding, Severity, has_errors
from helpsite.importers.align import Alignment, Mismatch, align
from helpsite.importers.articlecatalogs import (
    Carried,
    carry_changed,
    merge_catalog,
    read_existing,
    write_if_changed,
)
from helpsite.importers.extract import (
    FIELD_KIND,
    DocMessages,
    Message,
    extract_messages_from,
)
from helpsite.importers.inputs import ArticleInput, ImportInput
from helpsite.importers.meta import (
    PER_TRANSLATION_KEYS,
    TRANSLATABLE_KEYS,
    header_value,
    strip_anchor,
)
from helpsite.importers.state import ImportState, StateError

SOURCE_DIR = "source"
LOCALES_DIR = "locales"
_STAGE_SOURCE, _STAGE_OTHER, _STAGE_TRANSLATED = "s", "e", "t"


class ProgressSink(Protocol):
    def phase(self, name: str, total: int) -> None: ...
    def advance(self, count: int = 1) -> None: ...


class _NoProgress:
    def phase(self, name: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


@dataclass
class ArticleResult:
    docname: str
    messages: int = 0
    translated: int = 0
    mismatches: int = 0
    conflicts: int = 0
    source_differs: bool = False
    source_added: bool = False  # OUT had no source of this article: this import's is kept
    # Messages of this locale whose English is not the kept source's (source_differs):
    fuzzy: list[str] = field(default_factory=list)  # kept msgids given a fuzzy suggestion
    obsolete: list[str] = field(default_factory=list)  # this locale's English, kept as #~

    @property
    def affected(self) -> int:
        """Translations this locale made for an English text the kept source lacks."""
        return len(self.fuzzy) + len(self.obsolete)


@dataclass
class ImportReport:
    locale: str
    out: Path
    articles: dict[str, ArticleResult] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    stopped: bool = False  # True when errors stopped the run before writing

    @property
    def totals(self) -> dict[str, int]:
        results = self.articles.values()
        return {
            "articles": len(self.articles),
            "messages": sum(r.messages for r in results),
            "translated": sum(r.translated for r in results),
            "mismatches": sum(r.mismatches for r in results),
            "conflicts": sum(r.conflicts for r in results),
            "sources_differ": sum(r.source_differs for r in results),
            "sources_added": sum(r.source_added for r in results),
            "messages_fuzzy": sum(len(r.fuzzy) for r in results),
            "messages_obsolete": sum(len(r.obsolete) for r in results),
            "skipped": len(self.skipped),
            "files_written": len(self.written),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "locale": self.locale,
            "out": str(self.out),
            "stopped": self.stopped,
            **self.totals,
            "skipped_articles": self.skipped,
            "sources_differ_articles": {
                r.docname: {"fuzzy": r.fuzzy, "obsolete": r.obsolete}
                for r in self.articles.values() if r.source_differs},
            "written": self.written,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class _Planned:
    """Everything one article will write, computed before any write."""

    source_text: str
    source_new: bool
    po_path: Path
    po_text: str
    imported: dict[str, str]
    origin: str


def _front_matter(text: str | None) -> dict[str, Any]:
    if text is None:
        return {}
    return dict(parse_article(text, Path("-"), "-").metadata)


def _stage(inputs: list[ArticleInput], kept: dict[str, str], stage: Path) -> None:
    for item in inputs:
        files = {_STAGE_SOURCE: kept[item.docname]}
        if kept[item.docname] != item.source_text:
            files[_STAGE_OTHER] = item.source_text
        if item.translated_text is not None:
            files[_STAGE_TRANSLATED] = item.translated_text
        for prefix, text in files.items():
            path = stage / prefix / f"{item.docname}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


def _body(messages: list[Message]) -> list[Message]:
    return [m for m in messages if m.kind != FIELD_KIND]


def _h1(messages: list[Message]) -> Message | None:
    return next((m for m in messages if m.kind == "title" and m.path == ("section",)), None)


def _translation_map(
    alignment: Alignment, item: ArticleInput, findings: list[Finding]
) -> dict[str, str]:
    translations: dict[str, str] = {}
    for pair in alignment.pairs:
        known = translations.setdefault(pair.source.msgid, pair.translated.text)
        if known != pair.translated.text:
            findings.append(Finding.of(
                Code.IMPORT_AMBIGUOUS, item.translated_path, pair.translated.line, 1,
                f"'{_short(pair.source.msgid)}' is translated differently at "
                f"{item.source_path}:{pair.source.line}; the first translation is kept",
            ))
    return translations


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _mismatch_finding(mismatch: Mismatch, item: ArticleInput, source_file: str) -> Finding:
    s1, s2 = mismatch.source_lines
    t1, t2 = mismatch.translated_lines
    near_s = " (near)" if not mismatch.source else ""
    near_t = " (near)" if not mismatch.translated else ""
    outcome = ("not imported" if mismatch.code is Code.IMPORT_BLOCK_ADDED
               else "left untranslated")
    return Finding.of(
        mismatch.code, item.translated_path, t1, 1,
        f"{mismatch.describe()} (source {source_file}:{_span(s1, s2)}{near_s}, translation "
        f"line {_span(t1, t2)}{near_t}); {outcome}",
    )


def _front_matter_translations(
    entries: list[Any], source_fm: dict[str, Any], translated_fm: dict[str, Any],
    source_seq: list[Message], translated_seq: list[Message], translations: dict[str, str],
) -> dict[str, str]:
    """Translations of the title and description messages (helpsite.sphinx adds them)."""
    added: dict[str, str] = {}
    source_h1, translated_h1 = _h1(source_seq), _h1(translated_seq)
    for entry in entries:
        if entry.msgid in translations:
            continue
        notes = " ".join(entry.comments)
        title = source_fm.get("title")
        if "front matter: title" in notes and entry.msgid == title:
            if source_h1 and translated_h1 and strip_anchor(source_h1.msgid) == title:
                added[entry.msgid] = strip_anchor(translated_h1.text)
            elif isinstance(translated_fm.get("title"), str):
                added[entry.msgid] = translated_fm["title"]
        elif ("front matter: description" in notes
              and entry.msgid == source_fm.get("description")
              and isinstance(translated_fm.get("description"), str)):
            added[entry.msgid] = translated_fm["description"]
    return added


def _header_meta(
    source_fm: dict[str, Any], translated_fm: dict[str, Any], translations: dict[str, str],
    item: ArticleInput, findings: list[Finding],
) -> dict[str, str]:
    """Front-matter fields of the translation that the source does not carry."""
    meta: dict[str, str] = {}
    for key, value in translated_fm.items():
        if key in PER_TRANSLATION_KEYS:
            meta[key] = header_value(value)
        elif key in TRANSLATABLE_KEYS:
            # Kept unless it is exactly what the field's own message now translates to.
            used = translations.get(source_fm[key]) if isinstance(source_fm.get(key), str) \
                else None
            if isinstance(value, str) and value != used and value != source_fm.get(key):
                meta[key] = header_value(value)
                if key not in source_fm:
                    findings.append(Finding.of(
                        Code.IMPORT_TRANSLATION_ONLY, item.translated_path, 1, 1,
                        f"'{key}' exists only in the translation; kept as X-Meta-{key} in "
                        "the PO header",
                    ))
        elif source_fm.get(key) != value:
            meta[key] = header_value(value)
    return meta


def _plan_article(
    item: ArticleInput, kept_source: str, docs: dict[str, DocMessages], locale: str,
    out: Path, state: ImportState, result: ArticleResult, findings: list[Finding],
) -> _Planned:
    source_doc = docs[f"{_STAGE_SOURCE}/{item.docname}"]
    own_doc = docs.get(f"{_STAGE_OTHER}/{item.docname}", source_doc)
    translated_doc = docs.get(f"{_STAGE_TRANSLATED}/{item.docname}")
    translated_seq = translated_doc.sequence if translated_doc else []
    translations: dict[str, str] = {}
    if translated_doc is not None:
        # Front-matter fields are paired by name below, not by their place.
        alignment = align(_body(own_doc.sequence), _body(translated_seq))
        # Line numbers are those of the text aligned: the source file written to OUT,
        # or this input's own source when it differs from the one kept there.
        shown = (item.source_path if result.source_differs
                 else str(out / SOURCE_DIR / f"{item.docname}.md"))
        for mismatch in alignment.mismatches:
            findings.append(_mismatch_finding(mismatch, item, shown))
        result.mismatches = len(alignment.mismatches)
        translations = _translation_map(alignment, item, findings)
    source_fm, translated_fm = _front_matter(item.source_text), _front_matter(item.translated_text)
    translations.update(_front_matter_translations(
        source_doc.entries, source_fm, translated_fm, own_doc.sequence, translated_seq,
        translations))
    carried = Carried()
    if result.source_differs:
        carried = carry_changed([e.msgid for e in source_doc.entries], translations)
    meta = _header_meta(source_fm, translated_fm, translations, item, findings)
    po_path = out / LOCALES_DIR / locale / "LC_MESSAGES" / f"{item.docname}.po"
    existing = read_existing(po_path)
    record = state.articles.get(item.docname)
    merged = merge_catalog(
        entries=source_doc.entries, translations=translations, existing=existing,
        record=record, locale=locale, meta=meta,
        source_file=f"{SOURCE_DIR}/{item.docname}.md",
        source_hash=hashlib.sha1(kept_source.encode("utf-8")).hexdigest(), carried=carried,
    )
    if result.source_differs:
        result.fuzzy, result.obsolete = merged.fuzzy, merged.obsolete
        findings.append(_differs_finding(item, source_doc, translations, result))
    for conflict in merged.conflicts:
        findings.append(Finding.of(
            Code.IMPORT_EDIT_CONFLICT, str(po_path), conflict.line, 1,
            f"'{_short(conflict.msgid)}' was edited since the last import; the edit is kept "
            f"(import has '{_short(conflict.imported)}')",
        ))
    result.messages, result.translated = merged.total, merged.translated
    result.conflicts = len(merged.conflicts)
    return _Planned(kept_source, kept_source == item.source_text, po_path, merged.text,
                    merged.imported, item.translated_path or item.source_path)


def _differs_finding(item: ArticleInput, source_doc: DocMessages, translations: dict[str, str],
                     result: ArticleResult) -> Finding:
    """What became of this locale's translations of an article whose English side is
    another version: nothing is attached to a sentence it was not made for."""
    wanted = {e.msgid for e in source_doc.entries}
    matching = sum(msgid in wanted and bool(text) for msgid, text in translations.items())
    return Finding.of(
        Code.IMPORT_SOURCE_DIFFERS, item.source_path, 1, 1,
        f"{SOURCE_DIR}/{item.docname}.md is not this locale's source article; the one "
        f"already imported is kept ({matching} message(s) of this locale have the same "
        f"source text and are imported; {len(result.fuzzy)} made for a changed sentence "
        "are kept as fuzzy suggestions with this locale's English as the previous msgid, "
        f"{len(result.obsolete)} with no counterpart as obsolete entries)",
    )


def _localized_image(path: Path, locale: str) -> Path:
    """``media/x.png`` -> ``media/x.nl-NL.png``: where the build looks for the locale's
    version of an image (helpsite.sphinx sets figure_language_filename to this form)."""
    return path.with_name(f"{path.stem}.{locale}{path.suffix}")


def _plan_media(
    data: ImportInput, out: Path, locale: str, findings: list[Finding]
) -> dict[Path, bytes]:
    planned: dict[Path, bytes] = {}

    def current(path: Path) -> bytes | None:
        if path in planned:
            return planned[path]
        return path.read_bytes() if path.is_file() else None

    for image in data.media:
        target = out / SOURCE_DIR / "media" / image.relpath
        if current(target) is None:
            planned[target] = image.data
    for image in data.locale_media:
        target = out / SOURCE_DIR / "media" / image.relpath
        have = current(target)
        if have == image.data:
            continue
        if have is None and data.locale_media_is_source:
            planned[target] = image.data
            continue
        own = _localized_image(out / SOURCE_DIR / "media" / image.relpath, locale)
        planned[own] = image.data
        if have is not None:
            findings.append(Finding.of(
                Code.IMPORT_MEDIA_LOCALIZED, str(own), 1, 1,
                f"media/{image.relpath} differs from {SOURCE_DIR}/media/{image.relpath}; "
                f"this locale's version is kept as {own.relative_to(out)}",
            ))
    return planned


def _read_existing_sources(
    inputs: list[ArticleInput], out: Path, result: ImportReport
) -> dict[str, str]:
    kept = {}
    for item in inputs:
        path = out / SOURCE_DIR / f"{item.docname}.md"
        existing = path.read_text(encoding="utf-8") if path.is_file() else None
        kept[item.docname] = existing if existing is not None else item.source_text
        result.articles[item.docname] = ArticleResult(
            item.docname, source_differs=existing is not None and existing != item.source_text,
            source_added=existing is None)
    return kept


def run_import(
    data: ImportInput,
    *,
    locale: str,
    out: Path,
    skip_invalid: bool = False,
    conf_dir: Path | None = None,
    progress: ProgressSink | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import ``data`` into ``out`` for ``locale``; see the module docstring."""
    progress = progress or _NoProgress()
    report = ImportReport(locale, out, ignored=list(data.ignored))
    report.findings.extend(data.findings)
    if data.invalid and not skip_invalid:
        report.stopped = True
        return report
    for docname in sorted(data.invalid):
        report.skipped.append(docname)
        report.findings.append(Finding.of(
            Code.IMPORT_SKIPPED, docname, 1, 1,
            f"{docname} was left out because of the errors reported for it",
        ))
    # --skip-invalid turns the errors of skipped articles into the warning above.
    report.findings = [f if f.severity is not Severity.ERROR
                       else Finding(f.path, f.line, f.column, f.code, f.message,
                                    Severity.WARNING)
                       for f in report.findings]
    try:
        state = ImportState.load(out, locale)
    except StateError as error:
        report.findings.append(Finding.of(Code.IMPORT_STATE, str(error).split(":")[0], 1, 1,
                                          str(error)))
        report.stopped = True
        return report
    inputs = data.articles
    kept = _read_existing_sources(inputs, out, report)
    with tempfile.TemporaryDirectory(prefix="helpsite-import-") as scratch:
        stage = Path(scratch)
        _stage(inputs, kept, stage)
        wanted = [str(p.relative_to(stage).with_suffix("").as_posix())
                  for p in stage.rglob("*.md")]
        progress.phase("extracting messages (Sphinx gettext)", 2 * len(wanted) + 2)
        docs = extract_messages_from(stage, wanted, conf_dir=conf_dir,
                                     progress=lambda _phase, _doc: progress.advance())
    progress.phase("aligning and merging catalogs", len(inputs))
    plans: dict[str, _Planned] = {}
    for item in inputs:
        try:
            plans[item.docname] = _plan_article(
                item, kept[item.docname], docs, locale, out, state,
                report.articles[item.docname], report.findings)
        except POParseError as error:
            report.findings.extend(error.findings)  # a damaged catalog: nothing is written
        progress.advance()
    media = _plan_media(data, out, locale, report.findings)
    if has_errors(report.findings):
        report.stopped = True
        return report
    if not dry_run:
        _write(plans, media, state, out, locale, report, progress)
    return report


def _write(
    plans: dict[str, _Planned], media: dict[Path, bytes], state: ImportState, out: Path,
    locale: str, report: ImportReport, progress: ProgressSink,
) -> None:
    progress.phase("writing", len(plans) + len(media))

    def record(path: Path, data: bytes) -> None:
        if write_if_changed(path, data):
            report.written.append(str(path.relative_to(out)))

    for docname, plan in sorted(plans.items()):
        record(out / SOURCE_DIR / f"{docname}.md", plan.source_text.encode("utf-8"))
        record(plan.po_path, plan.po_text.encode("utf-8"))
        state.record(docname, plan.origin, plan.imported)
        progress.advance()
    for path, data in sorted(media.items()):
        record(path, data)
        progress.advance()
    record(ImportState.path_for(out, locale), state.to_text().encode("utf-8"))
