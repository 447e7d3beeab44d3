"""What a translation batch costs: source words by match band, per locale and per article.

The batch is every message that needs a translator now:

* **new** - no translation (or a POT message the locale has no PO entry for);
* **fuzzy** - a translation that waits for confirmation;
* **stale** - a translated message of a page whose source changed since it was complete
  (``X-Source-Hash``), when there is no POT to tell which messages changed.

Each message is looked up in the locale's translation memory (:mod:`.memory`: the
confirmed translations) and lands in one band, as CAT tools (Trados, memoQ) report them:
``100%``, ``95-99%``, ``85-94%``, ``75-84%``, ``no match``, and ``repetitions`` for a text
already met earlier in the same batch (paid once: its first occurrence is in its band).
An exact match is ``100%`` whether ``update-po`` applies it as translated or, when the
memory is ambiguous for it (competing translations, or one met in too few catalogs:
:meth:`.memory.TranslationMemory.exact_fill`), offers it as fuzzy: Trados and memoQ count
both as 100 %, since a reviewer chooses among finished translations rather than
translating.
"""

from __future__ import annotations

import csv
import html
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from helpsite.catalogs.pofile import Catalog, Entry, POParseError, read_catalog
from helpsite.catalogs.staleness import SOURCE_HASH_FIELD, source_hash
from helpsite.files import files_by_suffix
from helpsite.findings import Finding
from helpsite.handoff.memory import (
    TranslationMemory,
    memory_from_catalogs,
    normalise,
    word_count,
)
from helpsite.locales import locale_folders

REPETITIONS = "repetitions"
NO_MATCH = "no match"
# (band, lowest score in it), best first; a score below the last is "no match".
FUZZY_BANDS = (("100%", 100.0), ("95-99%", 95.0), ("85-94%", 85.0), ("75-84%", 75.0))
BANDS = (REPETITIONS, *(name for name, _low in FUZZY_BANDS), NO_MATCH)
BAND_COLOURS = {REPETITIONS: "#6a51a3", "100%": "#1a7f37", "95-99%": "#4c9f38",
                "85-94%": "#b7b000", "75-84%": "#e08a00", NO_MATCH: "#c0392b"}


def band_of(score: float | None) -> str:
    if score is None:
        return NO_MATCH
    for name, low in FUZZY_BANDS:
        if score >= low:
            return name
    return NO_MATCH


@dataclass
class Counts:
    """Words and messages per band."""

    words: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BANDS, 0))
    messages: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BANDS, 0))

    def add(self, band: str, words: int) -> None:
        self.words[band] += words
        self.messages[band] += 1

    def merge(self, other: Counts) -> None:
        for band in BANDS:
            self.words[band] += other.words[band]
            self.messages[band] += other.messages[band]

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    def to_dict(self) -> dict[str, object]:
        return {"words": dict(self.words), "messages": dict(self.messages),
                "total_words": self.total_words}


@dataclass
class PageAnalysis:
    locale: str
    page: str
    counts: Counts = field(default_factory=Counts)
    status: dict[str, int] = field(default_factory=lambda: {"new": 0, "fuzzy": 0,
                                                            "stale": 0})

    def to_dict(self) -> dict[str, object]:
        return {"page": self.page, **self.counts.to_dict(), "status": dict(self.status)}


@dataclass
class LocaleAnalysis:
    locale: str
    memory_units: int = 0
    pages: list[PageAnalysis] = field(default_factory=list)

    @property
    def totals(self) -> Counts:
        total = Counts()
        for page in self.pages:
            total.merge(page.counts)
        return total

    def to_dict(self) -> dict[str, object]:
        return {"locale": self.locale, "memory_units": self.memory_units,
                "totals": self.totals.to_dict(),
                "pages": [p.to_dict() for p in self.pages if p.counts.total_words
                          or any(p.counts.messages.values())]}


@dataclass
class AnalysisReport:
    locales: list[LocaleAnalysis] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"bands": list(BANDS), "locales": [loc.to_dict() for loc in self.locales],
                "findings": [f.to_dict() for f in self.findings]}


# ----------------------------------------------------------------------------- counting


def _needs(entry: Entry, stale: bool) -> str | None:
    """Why a message is in the batch (new, fuzzy, stale), or None when it is not."""
    if not entry.translated:
        return "new"
    if entry.fuzzy:
        return "fuzzy"
    return "stale" if stale else None


def _batch(po: Catalog | None, pot: Catalog | None, stale: bool) -> list[tuple[Entry, str]]:
    """The messages of one page that need translation, in page order."""
    if po is None:
        return [(e, "new") for e in pot.active] if pot is not None else []
    by_key = {e.key: e for e in po.active}
    if pot is None:
        pairs = [(e, _needs(e, stale)) for e in po.active]
    else:  # the template decides which messages the page has; changed ones are new here
        pairs = [(by_key[e.key], _needs(by_key[e.key], False)) if e.key in by_key
                 else (e, "new") for e in pot.active]
    return [(entry, why) for entry, why in pairs if why is not None]


def _score(memory: TranslationMemory, entry: Entry, own: str) -> float | None:
    """The best TM score of a message, not counting its own (stale) translation."""
    for match in memory.matches(entry.msgid, limit=3, context=entry.msgctxt):
        if not (match.origin == own and match.source == entry.msgid):
            return match.score
    return None


class _Batch:
    """The locale's batch so far: what was met already counts as a repetition."""

    def __init__(self, memory: TranslationMemory) -> None:
        self.memory = memory
        self.seen: set[str] = set()

    def count(self, page: PageAnalysis, entries: list[tuple[Entry, str]], own: str) -> None:
        for entry, why in entries:
            page.status[why] += 1
            band = band_of(_score(self.memory, entry, own))
            key = normalise(entry.msgid)
            if band != "100%" and key in self.seen:
                band = REPETITIONS
            self.seen.add(key)
            page.counts.add(band, word_count(entry.msgid))


def _read(path: Path, shown: str, findings: list[Finding], *,
          template: bool = False) -> Catalog | None:
    if not path.is_file():
        return None
    try:
        return read_catalog(path, shown, template=template)
    except POParseError as error:
        findings.extend(error.findings)
        return None


def _shown(path: Path, base: Path | None) -> str:
    try:
        return path.relative_to(base).as_posix() if base else path.as_posix()
    except ValueError:
        return path.as_posix()


def _is_stale(po: Catalog | None, article: str | None) -> bool:
    recorded = po.header_value(SOURCE_HASH_FIELD) if po is not None else None
    if not recorded or article is None:
        return False
    return recorded.strip() != source_hash(Path(article))


def analyse_locale(locales_dir: Path, tag: str, *, pot_dir: Path | None = None,
                   source_dir: Path | None = None, base: Path | None = None,
                   findings: list[Finding]) -> LocaleAnalysis:
    memory = memory_from_catalogs(locales_dir, tag, base=base)
    result = LocaleAnalysis(tag, len(memory))
    folder = locales_dir / tag / "LC_MESSAGES"
    templates = files_by_suffix(pot_dir, ".pot")
    articles = files_by_suffix(source_dir, ".md")
    batch = _Batch(memory)
    for name in sorted(files_by_suffix(folder, ".po").keys() | templates.keys()):
        po_path = folder / f"{name}.po"
        po = _read(po_path, _shown(po_path, base), findings)
        pot = None
        if name in templates:
            pot_path = Path(templates[name])
            pot = _read(pot_path, _shown(pot_path, base), findings, template=True)
        page = PageAnalysis(tag, name)
        batch.count(page, _batch(po, pot, _is_stale(po, articles.get(name))),
                    _shown(po_path, base))
        result.pages.append(page)
    return result


def analyse(locales_dir: Path, locales: list[str] | None = None, *,
            pot_dir: Path | None = None, source_dir: Path | None = None,
            base: Path | None = None) -> AnalysisReport:
    """The analysis of every locale folder (or the ``locales`` subset)."""
    report = AnalysisReport()
    for tag in locale_folders(locales_dir, locales):
        report.locales.append(analyse_locale(locales_dir, tag, pot_dir=pot_dir,
                                             source_dir=source_dir, base=base,
                                             findings=report.findings))
    return report


# ----------------------------------------------------------------------------- output


def analysis_json(report: AnalysisReport) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def analysis_csv(report: AnalysisReport) -> str:
    """One row per locale total and per article: words per band, then the total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["locale", "page", *BANDS, "total"])
    for locale in report.locales:
        totals = locale.totals
        writer.writerow([locale.locale, "(all pages)", *(totals.words[b] for b in BANDS),
                         totals.total_words])
        for page in locale.pages:
            if any(page.counts.messages.values()):
                writer.writerow([locale.locale, page.page,
                                 *(page.counts.words[b] for b in BANDS),
                                 page.counts.total_words])
    return out.getvalue()


def _bar(label: str, counts: Counts, scale: int, y: int, width: int) -> str:
    """One stacked bar of the chart: a rect per band, its words in a tooltip."""
    parts = [f'<text x="0" y="{y + 15}" class="label">{html.escape(label)}</text>']
    x = 120.0
    for band in BANDS:
        words = counts.words[band]
        if not words:
            continue
        w = width * words / scale
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="20" '
                     f'fill="{BAND_COLOURS[band]}"><title>{html.escape(band)}: {words} '
                     'words</title></rect>')
        x += w
    parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}" class="total">'
                 f'{counts.total_words} words</text>')
    return "".join(parts)


def chart_svg(report: AnalysisReport, width: int = 560) -> str:
    """A stacked bar per locale (inline SVG: no script, readable without JavaScript)."""
    scale = max((loc.totals.total_words for loc in report.locales), default=0) or 1
    bars = [_bar(loc.locale, loc.totals, scale, 10 + 30 * i, width)
            for i, loc in enumerate(report.locales)]
    legend_y = 20 + 30 * len(report.locales)
    legend = "".join(
        f'<rect x="{120 + 110 * i}" y="{legend_y}" width="12" height="12" '
        f'fill="{BAND_COLOURS[band]}"/><text x="{136 + 110 * i}" y="{legend_y + 11}" '
        f'class="legend">{html.escape(band)}</text>' for i, band in enumerate(BANDS))
    height = legend_y + 24
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width + 220}" '
            f'height="{height}" viewBox="0 0 {width + 220} {height}" '
            'aria-label="Words to translate by match band, per locale">'
            + "".join(bars) + legend + "</svg>")


def _table(rows: list[tuple[str, Counts]], first: str) -> str:
    head = "".join(f"<th>{html.escape(b)}</th>" for b in BANDS)
    body = "".join(
        f"<tr><td>{html.escape(name)}</td>"
        + "".join(f"<td>{counts.words[b]}</td>" for b in BANDS)
        + f"<td><strong>{counts.total_words}</strong></td></tr>" for name, counts in rows)
    return (f"<table><thead><tr><th>{html.escape(first)}</th>{head}<th>total</th></tr>"
            f"</thead><tbody>{body}</tbody></table>")


_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f3f3f3; }
svg .label, svg .total, svg .legend { font: 13px system-ui, sans-serif; fill: #1b1b1b; }
"""


def analysis_html(report: AnalysisReport) -> str:
    """A standalone page: the chart, the table per locale, the table per article."""
    sections = [
        "<h1>Translation handoff: words by match band</h1>",
        "<p>The messages that need translation now (new, fuzzy, stale) against each "
        "locale's translation memory; a text met earlier in the batch counts once "
        "(repetitions).</p>",
        chart_svg(report),
        "<h2>Per locale</h2>",
        _table([(loc.locale, loc.totals) for loc in report.locales], "locale"),
    ]
    for loc in report.locales:
        rows = [(p.page, p.counts) for p in loc.pages if any(p.counts.messages.values())]
        sections += [f"<h2>{html.escape(loc.locale)}: per article</h2>",
                     _table(rows, "article") if rows else "<p>Nothing to translate.</p>"]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Handoff analysis</title>"
            f"<style>{_STYLE}</style></head><body>" + "".join(sections) + "</body></html>\n")


def print_analysis(report: AnalysisReport, console: Console, *, pages: bool = False) -> None:
    """A rich table of words per band: a row per locale (and per article with ``pages``)."""
    table = Table(title="handoff analysis: words to translate by match band",
                  title_justify="left")
    table.add_column("locale")
    table.add_column("article")
    for band in (*BANDS, "total"):
        table.add_column(band, justify="right")
    for locale in report.locales:
        totals = locale.totals
        table.add_row(locale.locale, "(all pages)", *(str(totals.words[b]) for b in BANDS),
                      str(totals.total_words), style="bold")
        for page in locale.pages if pages else []:
            if any(page.counts.messages.values()):
                table.add_row("", page.page, *(str(page.counts.words[b]) for b in BANDS),
                              str(page.counts.total_words))
    console.print(table)
