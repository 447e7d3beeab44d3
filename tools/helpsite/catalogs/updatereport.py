"""The per-page report of an update: terminal table (rich) or JSON."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from helpsite.catalogs.update import UpdateReport


def report_json(report: UpdateReport) -> str:
    return json.dumps({
        "pages": [p.to_dict() for p in report.pages],
        "totals": report.totals(),
        "prefill": report.prefill_by_locale(),
        "findings": [f.to_dict() for f in report.findings],
    }, ensure_ascii=False, indent=2)


def print_report(report: UpdateReport, console: Console, *, all_pages: bool = False) -> None:
    """A row per page that changed (every page with ``all_pages``), then the totals."""
    table = Table(title="update-po: what changed per page", title_justify="left")
    for column in ("locale", "page", "new", "fuzzy (changed)", "obsolete", "revived", "file"):
        table.add_column(column, justify="right" if column in
                         ("new", "fuzzy (changed)", "obsolete", "revived") else "left")
    shown = 0
    for page in report.pages:
        c = page.changes
        if not (all_pages or page.written or c.new or c.fuzzy or c.obsolete or c.revived):
            continue
        state = "created" if c.created else ("written" if page.written else "unchanged")
        table.add_row(page.locale, page.docname, str(c.new), str(c.fuzzy), str(c.obsolete),
                      str(c.revived), state)
        shown += 1
    totals = report.totals()
    if shown:
        table.add_section()
        table.add_row("total", f"{totals['pages']} pages", str(totals["new"]),
                      str(totals["fuzzy"]), str(totals["obsolete"]), str(totals["revived"]),
                      f"{totals['written']} written")
        console.print(table)
    if any(any(c.values()) for c in report.prefill_by_locale().values()):
        console.print(prefill_table(report))
    console.print(f"{totals['pages']} catalogs checked, {totals['written']} written "
                  f"({totals['created']} created): {totals['new']} new, {totals['fuzzy']} "
                  f"fuzzy, {totals['obsolete']} obsolete, {totals['revived']} revived")


def prefill_table(report: UpdateReport) -> Table:
    """A row per locale: new entries the translation memory filled as translated and as
    fuzzy (waiting for a person; the exact matches among them were ambiguous)."""
    table = Table(title="update-po: pre-filled from the translation memory",
                  title_justify="left")
    for column in ("locale", "translated", "fuzzy", "of them exact (ambiguous)"):
        table.add_column(column, justify="left" if column == "locale" else "right")
    for locale, counts in report.prefill_by_locale().items():
        table.add_row(locale, str(counts["translated"]), str(counts["fuzzy"]),
                      str(counts["ambiguous"]))
    return table
