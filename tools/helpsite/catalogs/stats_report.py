"""Show translation statistics: a terminal table (rich), JSON, or a standalone HTML page.

The HTML page has no external assets (inline CSS, an inline SVG bar chart of coverage per
locale), so it can be dropped into the built site as it is. Every text is escaped.
"""

from __future__ import annotations

import json
from html import escape

from rich.console import Console
from rich.table import Table

from helpsite.catalogs.stats import PageStats, StatsReport

COLORS = {"translated": "#2e7d32", "fuzzy": "#f9a825", "untranslated": "#b0bec5"}


def stats_json(report: StatsReport) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def _row(page: PageStats, label: str) -> list[str]:
    return [label, f"{page.percent:5.1f}%", str(page.translated), str(page.fuzzy),
            str(page.untranslated), str(page.translated_words), str(page.fuzzy_words),
            str(page.untranslated_words)]


def print_stats(report: StatsReport, console: Console, *, pages: bool = True) -> None:
    summary = Table(title="Translation coverage per locale (words)", title_justify="left")
    for column in ("locale", "done", "translated", "fuzzy", "untranslated", "words done",
                   "words fuzzy", "words to do", "stale pages"):
        summary.add_column(column, justify="left" if column == "locale" else "right")
    for locale in report.locales:
        summary.add_row(*_row(locale.totals(), locale.locale), str(len(locale.stale_pages)))
    console.print(summary)
    if not pages:
        return
    for locale in report.locales:
        table = Table(title=f"{locale.locale}: pages (priority first)", title_justify="left")
        for column in ("page", "done", "translated", "fuzzy", "untranslated", "words done",
                       "words fuzzy", "words to do", "note"):
            table.add_column(column, justify="left" if column in ("page", "note") else "right")
        for page in locale.pages:
            note = ", ".join(n for n, on in (("priority", page.priority),
                                             ("source changed since complete", page.stale))
                             if on)
            table.add_row(*_row(page, page.page), note)
        console.print(table)


def _bar_chart(report: StatsReport) -> str:
    """One horizontal stacked bar per locale: translated / fuzzy / untranslated words."""
    row_height, label_width, bar_width = 28, 70, 420
    height = row_height * len(report.locales) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + bar_width + 70}" '
             f'height="{height}" role="img" aria-labelledby="chart-title">',
             '<title id="chart-title">Share of source words translated, fuzzy and untranslated '
             'per locale</title>']
    for index, locale in enumerate(report.locales):
        totals = locale.totals()
        y = 10 + index * row_height
        parts.append(f'<text x="0" y="{y + 15}" font-size="13">{escape(locale.locale)}</text>')
        x = float(label_width)
        whole = totals.total_words or 1
        for kind in ("translated", "fuzzy", "untranslated"):
            words = getattr(totals, f"{kind}_words")
            width = bar_width * words / whole
            if width > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="20" '
                             f'fill="{COLORS[kind]}"><title>{escape(locale.locale)}: {words} '
                             f'words {kind}</title></rect>')
            x += width
        parts.append(f'<text x="{label_width + bar_width + 6}" y="{y + 15}" font-size="13">'
                     f'{totals.percent:.0f}%</text>')
    legend_y = 10 + len(report.locales) * row_height + 12
    x = label_width
    for kind, color in COLORS.items():
        parts.append(f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" '
                     f'fill="{color}"/><text x="{x + 16}" y="{legend_y}" font-size="12">'
                     f'{kind}</text>')
        x += 120
    parts.append("</svg>")
    return "".join(parts)


def _page_table(report: StatsReport) -> str:
    rows = []
    for locale in report.locales:
        rows.append(f'<h2 id="{escape(locale.locale.lower())}">{escape(locale.locale)}</h2>')
        rows.append("<table><thead><tr><th scope=\"col\">Page</th><th scope=\"col\">Done</th>"
                    "<th scope=\"col\">Translated</th><th scope=\"col\">Fuzzy</th>"
                    "<th scope=\"col\">Untranslated</th><th scope=\"col\">Words to do</th>"
                    "<th scope=\"col\">Note</th></tr></thead><tbody>")
        for page in locale.pages:
            notes = []
            if page.priority:
                notes.append("priority")
            if page.stale:
                notes.append("source changed since the translation was complete")
            rows.append(
                f"<tr><th scope=\"row\">{escape(page.page)}</th><td>{page.percent:.0f}%</td>"
                f"<td>{page.translated}</td><td>{page.fuzzy}</td><td>{page.untranslated}</td>"
                f"<td>{page.fuzzy_words + page.untranslated_words}</td>"
                f"<td>{escape('; '.join(notes))}</td></tr>")
        rows.append("</tbody></table>")
    return "\n".join(rows)


def stats_body(report: StatsReport) -> str:
    """The statistics without page or title: the built site's status page shows them."""
    stale = sum(len(loc.stale_pages) for loc in report.locales)
    return f"""<p>Coverage of source words per locale. {stale} page(s) changed since their \
translation was last complete.</p>
<figure>
{_bar_chart(report)}
<figcaption>Translated, fuzzy (needs review) and untranslated source words.</figcaption>
</figure>
{_page_table(report)}"""


def stats_html(report: StatsReport, *, title: str = "Translation status") -> str:
    """A standalone, dependency-free HTML page of the statistics."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }}
table {{ border-collapse: collapse; margin-bottom: 2rem; }}
th, td {{ border: 1px solid #ccc; padding: .25rem .6rem; text-align: right; }}
th[scope=row], thead th {{ text-align: left; }}
</style>
</head>
<body>
<main>
<h1>{escape(title)}</h1>
{stats_body(report)}
</main>
</body>
</html>
"""
