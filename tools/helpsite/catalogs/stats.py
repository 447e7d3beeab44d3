"""Translation statistics per locale and page: messages and source words.

A page counts its active messages as translated, fuzzy or untranslated, and the source
words of each (what translators are paid by). Pages whose article says
``localization_priority: Priority`` come first. A page is *stale* when its source changed
since its translation was last complete (:mod:`helpsite.catalogs.staleness`). A locale
that has no PO file yet for an article (but the POT exists) counts it as untranslated.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from helpsite.article import read_article
from helpsite.catalogs.pofile import Catalog, POParseError, read_catalog
from helpsite.catalogs.staleness import SOURCE_HASH_FIELD, source_hash
from helpsite.catalogs.words import count_text_words
from helpsite.files import files_by_suffix
from helpsite.findings import Finding
from helpsite.locales import locale_folders

PRIORITY = "Priority"
# Part of each cached page's key: bump when the counting changes, so no cached figure
# outlives it (2: a msgstr of only spaces counts as untranslated; 3: Han, kana and Thai
# counted by catalogs.words, not as one word per run without spaces).
COUNTING_VERSION = 3
_MARKUP = re.compile(r"\]\([^)]*\)|<[^>]+>|[*_`#>\[\]]")


def count_words(text: str) -> int:
    """Source words as translators count them: link targets, tags and markers left out;
    Chinese, Japanese and Thai by the rule of catalogs.words."""
    return count_text_words(_MARKUP.sub(" ", text))


@dataclass
class PageStats:
    locale: str
    page: str
    path: str
    priority: bool = False
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0
    stale: bool = False

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def total_words(self) -> int:
        return self.translated_words + self.fuzzy_words + self.untranslated_words

    @property
    def percent(self) -> float:
        """Translated share of the source words (messages when there are no words)."""
        if self.total_words:
            return 100.0 * self.translated_words / self.total_words
        return 100.0 * self.translated / self.total if self.total else 100.0

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "total": self.total, "total_words": self.total_words,
                "percent": round(self.percent, 1)}


@dataclass
class LocaleStats:
    locale: str
    pages: list[PageStats] = field(default_factory=list)

    def totals(self) -> PageStats:
        total = PageStats(self.locale, "(all pages)", "")
        for page in self.pages:
            for name in ("translated", "fuzzy", "untranslated", "translated_words",
                         "fuzzy_words", "untranslated_words"):
                setattr(total, name, getattr(total, name) + getattr(page, name))
        return total

    @property
    def stale_pages(self) -> list[PageStats]:
        return [p for p in self.pages if p.stale]


@dataclass
class StatsReport:
    locales: list[LocaleStats] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "locales": [{"locale": loc.locale, "totals": loc.totals().to_dict(),
                         "stale": [p.page for p in loc.stale_pages],
                         "pages": [p.to_dict() for p in loc.pages]} for loc in self.locales],
            "findings": [f.to_dict() for f in self.findings],
        }


def count_catalog(catalog: Catalog, stats: PageStats) -> None:
    for entry in catalog.active:
        words = count_words(entry.msgid)
        if entry.translated and not entry.fuzzy:
            stats.translated += 1
            stats.translated_words += words
        elif entry.translated:
            stats.fuzzy += 1
            stats.fuzzy_words += words
        else:
            stats.untranslated += 1
            stats.untranslated_words += words


def _is_priority(source: Path | None) -> bool:
    if source is None:
        return False
    value = read_article(source).metadata.get("localization_priority")
    return isinstance(value, str) and value.strip() == PRIORITY


def _display(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.relative_to(base))
        except ValueError:
            pass
    return str(path)


def _page_names(folder: Path, pot_dir: Path | None) -> list[str]:
    return sorted(files_by_suffix(folder, ".po").keys() | files_by_suffix(pot_dir, ".pot").keys())


def _file_key(*paths: str | None) -> list[object]:
    """Name, size and modification time of each file (None when missing)."""
    key: list[object] = []
    for path in paths:
        try:
            info = os.stat(path) if path is not None else None
        except OSError:
            info = None
        key.append([path, info.st_size, info.st_mtime_ns] if info else None)
    return key


def collect_stats(locales_dir: Path, locales: list[str] | None = None, *,
                  source_dir: Path | None = None, pot_dir: Path | None = None,
                  base: Path | None = None,
                  cache: dict[str, Any] | None = None) -> StatsReport:
    """Statistics of every locale folder (or the subset), priority pages first.

    ``cache`` (a dict the caller keeps between runs, JSON-serializable) remembers each
    page's statistics with the size and date of its catalog and article: a page whose
    files did not change is not read again."""
    report = StatsReport()
    priorities: dict[str, bool] = {}
    hashes: dict[str, str | None] = {}
    seen: set[str] = set()
    articles = files_by_suffix(source_dir, ".md")
    for tag in locale_folders(locales_dir, locales):
        folder = locales_dir / tag / "LC_MESSAGES"
        locale = LocaleStats(tag)
        for name in _page_names(folder, pot_dir):
            article = articles.get(name)
            if cache is not None:
                pot = f"{pot_dir}/{name}.pot" if pot_dir is not None else None
                key = [str(base), COUNTING_VERSION,
                       *_file_key(f"{folder}/{name}.po", article, pot)]
                seen.add(f"{tag}/{name}")
                hit = cache.get(f"{tag}/{name}")
                if hit is not None and hit.get("key") == key:
                    locale.pages.append(PageStats(**hit["stats"]))
                    continue
            source = Path(article) if article is not None else None
            if name not in priorities:
                priorities[name] = _is_priority(source)
                hashes[name] = source_hash(source) if source else None
            po_path = folder / f"{name}.po"
            stats = PageStats(tag, name, _display(po_path, base), priorities[name])
            try:
                if po_path.is_file():
                    catalog = read_catalog(po_path, stats.path)
                    recorded = catalog.header_value(SOURCE_HASH_FIELD)
                    stats.stale = bool(recorded and hashes[name]
                                       and recorded.strip() != hashes[name])
                else:
                    assert pot_dir is not None
                    pot_path = pot_dir / f"{name}.pot"
                    stats.path = "(no PO file yet)"
                    catalog = read_catalog(pot_path, _display(pot_path, base), template=True)
            except POParseError as error:
                report.findings.extend(error.findings)
                continue
            count_catalog(catalog, stats)
            locale.pages.append(stats)
            if cache is not None:
                cache[f"{tag}/{name}"] = {"key": key, "stats": asdict(stats)}
        locale.pages.sort(key=lambda p: (not p.priority, p.page))
        report.locales.append(locale)
    if cache is not None:
        for gone in set(cache) - seen:
            del cache[gone]
    return report
