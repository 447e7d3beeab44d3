"""The translation-status page of a built site: ``<locale>/translation-status.html``.

The same statistics as ``helpsite stats`` (per locale and page, priority pages first, a
coverage chart per locale). Every locale's site has the page: the Sphinx build renders it
like every page of the site (theme, navigation, language switcher, ``noindex``; see
:mod:`helpsite.sphinx.status`) with a placeholder between :data:`REPORT_START` and
:data:`REPORT_END`, and ``helpsite build`` fills in the statistics after the builds
(:mod:`.statusjob`), so the link checker finds the page in every locale. Written only
when its content changes, so a no-change build touches nothing.

:func:`write_status_page` writes the same statistics as a standalone page (no site around
it), for ``helpsite stats --html``-like uses and tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpsite.files import write_if_changed

if TYPE_CHECKING:
    from helpsite.catalogs.stats import StatsReport

STATUS_PAGE = "translation-status.html"
STATUS_PAGENAME = "translation-status"  # Sphinx's page name of STATUS_PAGE
# The statistics sit between these two comments of the rendered page.
REPORT_START = "<!-- helpsite:status-report -->"
REPORT_END = "<!-- /helpsite:status-report -->"


def _report(locales_dir: Path | None, source_dir: Path, locales: list[str],
            cache: dict[str, Any] | None) -> StatsReport | None:
    if locales_dir is None or not locales_dir.is_dir() or not locales:
        return None
    # Imported here: `helpsite build` needs this module (for STATUS_PAGE) before it starts
    # the locale builds, the statistics (article reader, YAML) only beside them.
    from helpsite.catalogs.stats import collect_stats

    report = collect_stats(locales_dir, locales, source_dir=source_dir, cache=cache)
    return report if report.locales else None


def status_report_html(locales_dir: Path | None, source_dir: Path, locales: list[str], *,
                       cache: dict[str, Any] | None = None) -> str | None:
    """The statistics of ``locales`` (target locales with a catalog folder) as a fragment
    for the site's status page; None when the site has no catalogs (a source tree built
    in its own language). ``cache``: see :func:`helpsite.catalogs.stats.collect_stats`."""
    report = _report(locales_dir, source_dir, locales, cache)
    if report is None:
        return None
    from helpsite.catalogs.stats_report import stats_body

    # Furo draws tables of class docutils (borders, padding) like the articles' tables.
    return stats_body(report).replace("<table>", '<table class="docutils">')


def fill_status_page(page: Path, report_html: str) -> bool:
    """Put ``report_html`` between the markers of a rendered status page (written only
    when that changes it); False when ``page`` is missing or has no markers."""
    try:
        text = page.read_text(encoding="utf-8")
    except OSError:
        return False
    start = text.find(REPORT_START)
    end = text.find(REPORT_END, start + len(REPORT_START))
    if start < 0 or end < 0:
        return False
    filled = f"{text[:start + len(REPORT_START)]}\n{report_html}\n{text[end:]}"
    write_if_changed(page, filled.encode("utf-8"))
    return True


def status_page(locales_dir: Path | None, source_dir: Path, locales: list[str], *,
                title: str, cache: dict[str, Any] | None = None) -> bytes | None:
    """A standalone page of the statistics; None when the site has no catalogs."""
    report = _report(locales_dir, source_dir, locales, cache)
    if report is None:
        return None
    from helpsite.catalogs.stats_report import stats_html

    return stats_html(report, title=f"{title}: translation status").encode()


def write_status_page(html_root: Path, locales_dir: Path | None, source_dir: Path,
                      locales: list[str], *, title: str) -> Path | None:
    """Write the standalone page for ``locales``; None when the site has no catalogs."""
    data = status_page(locales_dir, source_dir, locales, title=title)
    if data is None:
        return None
    path = html_root / STATUS_PAGE
    write_if_changed(path, data)
    return path
