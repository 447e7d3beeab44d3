"""The translation-status page of a built site: ``<html root>/translation-status.html``.

The same statistics as ``helpsite stats`` (per locale and page, priority pages first, a
coverage chart per locale), published beside the locale sites so that writers and
translation managers see coverage without running a command. Written only when its
content changes, so a no-change build touches nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpsite.files import write_if_changed

STATUS_PAGE = "translation-status.html"


def status_page(locales_dir: Path | None, source_dir: Path, locales: list[str], *,
                title: str, cache: dict[str, Any] | None = None) -> bytes | None:
    """The page for ``locales`` (target locales with a catalog folder); None when the
    site has no catalogs (a source tree built in its own language). ``cache``: see
    :func:`helpsite.catalogs.stats.collect_stats`."""
    if locales_dir is None or not locales_dir.is_dir() or not locales:
        return None
    # Imported here: `helpsite build` needs this module (for STATUS_PAGE) before it starts
    # the locale builds, the statistics (article reader, YAML) only beside them.
    from helpsite.catalogs.stats import collect_stats
    from helpsite.catalogs.stats_report import stats_html

    report = collect_stats(locales_dir, locales, source_dir=source_dir, cache=cache)
    if not report.locales:
        return None
    return stats_html(report, title=f"{title}: translation status").encode()


def write_status_page(html_root: Path, locales_dir: Path | None, source_dir: Path,
                      locales: list[str], *, title: str) -> Path | None:
    """Write the page for ``locales``; None when the site has no catalogs."""
    data = status_page(locales_dir, source_dir, locales, title=title)
    if data is None:
        return None
    path = html_root / STATUS_PAGE
    write_if_changed(path, data)
    return path
