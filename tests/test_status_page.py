"""The translation-status page published with the built site."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpsite.sitebuild import statusjob
from helpsite.sitebuild.statuspage import STATUS_PAGE, write_status_page

REPO = Path(__file__).resolve().parents[1]


def test_status_page_charts_every_locale_and_is_written_only_when_changed(
        tmp_path: Path) -> None:
    locales = ["nl-NL", "de-DE", "ja-JP", "ar-SA"]
    path = write_status_page(tmp_path, REPO / "locales", REPO / "source", locales,
                             title="Contoso Cloud Help")
    assert path == tmp_path / STATUS_PAGE
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    assert [h.get_text() for h in page.find_all("h2")] == locales
    chart = [t.get_text() for t in page.find("svg").find_all("text")]
    for tag in locales:
        assert tag in chart
    # complete locales are 100 %, the partial ones are not
    shares = dict(zip(chart[0:8:2], chart[1:8:2], strict=True))
    assert shares["nl-NL"] == shares["de-DE"] == "100%"
    assert shares["ja-JP"] != "100%" and shares["ar-SA"] != "100%"
    first_write = path.stat().st_mtime_ns
    write_status_page(tmp_path, REPO / "locales", REPO / "source", locales,
                      title="Contoso Cloud Help")
    assert path.stat().st_mtime_ns == first_write  # unchanged: not rewritten


def test_no_status_page_without_catalogs(tmp_path: Path) -> None:
    assert write_status_page(tmp_path, None, REPO / "source", ["nl-NL"], title="x") is None
    assert not (tmp_path / STATUS_PAGE).exists()


@pytest.mark.slow
def test_build_publishes_the_page_with_the_source_locale(tmp_path: Path) -> None:
    """`helpsite build` puts the page in the source locale's site, so a shard that builds
    the source locale carries it and a merge of shards keeps it."""
    from helpsite.commands import main

    out = tmp_path / "build"
    assert main(["build", "--conf-dir", str(REPO), "--source", str(REPO / "source"),
                 "--out", str(out), "--locales", "en-US"]) == 0
    page = out / "html" / "en-us" / STATUS_PAGE
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    # every configured target locale, not only the ones this run built
    assert [h.get_text() for h in soup.find_all("h2")] == ["nl-NL", "de-DE", "ja-JP", "ar-SA"]
    assert not (out / "html" / STATUS_PAGE).exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priority: Linux")
def test_status_thread_yields_to_the_builds_and_only_it() -> None:
    seen: list[int] = []

    def work() -> None:
        statusjob._yield_to_builds()
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    before = os.getpriority(os.PRIO_PROCESS, 0)
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [max(before, statusjob.YIELDING_NICENESS)]
    assert os.getpriority(os.PRIO_PROCESS, 0) == before
