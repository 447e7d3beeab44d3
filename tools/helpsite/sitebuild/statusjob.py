"""The translation-status page without slowing builds down.

Its statistics read every catalog and article (seconds for a 3,000-article site), but
they depend only on those inputs, not on what Sphinx builds. So :class:`StatusJob`
computes them in a thread while the locale processes run, and not at all when the
catalogs, the articles, the locales and the title are as they were when the page was
last written (a fingerprint of names, sizes and modification times, like
:mod:`helpsite.sitebuild.stamp`); otherwise only the pages whose catalog or article
changed are counted again (a cache in the doctree folder). The statistics are kept in the
doctree folder too (:data:`REPORT`), and after the builds they are filled into the status
page of every locale this run built or found up to date (each locale's Sphinx build
renders that page with a placeholder: :mod:`helpsite.sitebuild.statuspage`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

import helpsite
from helpsite.files import write_if_changed
from helpsite.sitebuild.plan import BuildPlan
from helpsite.sitebuild.stamp import Listings
from helpsite.sitebuild.statuspage import STATUS_PAGE, fill_status_page, status_report_html

MARKER = "helpsite-status-stamp.json"
YIELDING_NICENESS = 10  # the status thread's (0 is normal, 19 the lowest priority)
CACHE = "helpsite-status-cache.json"  # each page's statistics, reused while unchanged
REPORT = "helpsite-status-report.html"  # the statistics the status pages show


def _yield_to_builds() -> None:
    """Lower the calling thread's scheduling priority (Linux: threads have their own):
    the page can wait, the locale builds running beside it are what the writer waits
    for. Where that is not possible the thread simply runs as it is."""
    with contextlib.suppress(AttributeError, OSError):  # not on this platform/allowed
        thread = threading.get_native_id()
        niceness = max(os.getpriority(os.PRIO_PROCESS, thread), YIELDING_NICENESS)
        os.setpriority(os.PRIO_PROCESS, thread, niceness)  # never raised


class StatusJob:
    def __init__(self, plan: BuildPlan, listings: Listings | None = None) -> None:
        self.plan = plan
        self.listings = listings or Listings()
        self.targets = [t for t in plan.configured if t != plan.source_locale]
        self.pages = [build.html_dir / STATUS_PAGE for build in plan.builds]
        self.marker = plan.out_dir / "doctrees" / MARKER
        self.cache_path = plan.out_dir / "doctrees" / CACHE
        self.report_path = plan.out_dir / "doctrees" / REPORT
        self.data: str | None = None
        self.thread: threading.Thread | None = None
        self.fingerprint = self._fingerprint()

    def _fingerprint(self) -> str:
        digest = hashlib.sha256(json.dumps(
            [helpsite.__version__, self.targets, self.plan.project]).encode())
        if self.plan.catalog_root is not None:
            digest.update(self.listings.digest(self.plan.catalog_root).encode())
        digest.update(self.listings.digest(self.plan.source_dir).encode())
        return digest.hexdigest()

    def current(self) -> bool:
        try:
            recorded = json.loads(self.marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return recorded.get("inputs") == self.fingerprint and self.report_path.is_file()

    def start(self) -> StatusJob:
        if not self.current():
            self.thread = threading.Thread(target=self._compute, name="status", daemon=True)
            self.thread.start()
        return self

    def _compute(self) -> None:
        _yield_to_builds()
        cache = self._load_cache()
        self.data = status_report_html(self.plan.catalog_root, self.plan.source_dir,
                                       self.targets, cache=cache)
        # Each page's statistics are right whatever the builds do: saved from here.
        data = {"version": helpsite.__version__, "pages": cache}
        write_if_changed(self.cache_path, (json.dumps(data, sort_keys=True) + "\n").encode())

    def _load_cache(self) -> dict[str, Any]:
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != helpsite.__version__:
            return {}
        pages = data.get("pages")
        return pages if isinstance(pages, dict) else {}

    def finish(self) -> list[Path]:
        """Fill the statistics into the status page of every locale of the plan that has
        one (each written only when changed); the pages filled."""
        if self.thread is not None:
            self.thread.join()
            if self.data is None:  # no catalogs (any more): no statistics to show
                self.report_path.unlink(missing_ok=True)
                return []
            write_if_changed(self.report_path, self.data.encode("utf-8"))
            write_if_changed(self.marker, (json.dumps({"inputs": self.fingerprint}) + "\n")
                             .encode())
        try:
            report = self.report_path.read_text(encoding="utf-8")
        except OSError:
            return []
        return [page for page in self.pages if fill_status_page(page, report)]
