"""The SQLite cache: a second run within the maximum age makes no request."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers.linkcheck import (
    LocalServer,
    html_page,
    link,
    local_settings,
    write_site,
)
from helpsite.linkcheck.cache import CachedResult, LinkCache
from helpsite.linkcheck.model import Status
from helpsite.linkcheck.runner import check_site


@pytest.fixture
def site(tmp_path: Path, server: LocalServer) -> Path:
    server.page("/ok", '<h2 id="part">Part</h2>')
    server.page("/plain")
    server.page("/gone", status=404)
    server.route("/moved", lambda r: r.respond(301, b"", {"Location": "/plain"}))
    return write_site(tmp_path / "html", {
        "en-us": {"index.html": html_page(
            link(server.url("/ok#part")), link(server.url("/plain")),
            link(server.url("/gone")), link(server.url("/moved")))},
        "nl-nl": {"index.html": html_page(link(server.url("/ok#part")))},
    })


def test_second_run_within_max_age_makes_no_request(tmp_path: Path, site: Path,
                                                    server: LocalServer):
    cache = tmp_path / "build" / "linkcheck" / "cache.sqlite"
    first = check_site(site, local_settings(), cache_path=cache)
    requested = {h.path for h in server.hits}
    assert requested == {"/ok", "/plain", "/gone", "/moved"}
    server.hits.clear()

    second = check_site(site, local_settings(), cache_path=cache)

    # Only the failure is asked again (HEAD, then GET): failures are never cached.
    assert [(h.method, h.path) for h in server.hits] == [("HEAD", "/gone"), ("GET", "/gone")]
    assert second.stats["cache_hits"] == 3
    assert [r.status for r in second.results] == [r.status for r in first.results]
    assert second.results[3].status is Status.REDIRECTED
    assert second.results[3].final_url == server.url("/plain")


def test_new_fragment_is_checked_from_the_cached_anchors(tmp_path: Path, site: Path,
                                                         server: LocalServer):
    cache = tmp_path / "cache.sqlite"
    check_site(site, local_settings(), cache_path=cache)
    server.hits.clear()
    (site / "de-de").mkdir()
    (site / "de-de" / "index.html").write_text(html_page(link(server.url("/ok#typo"))))

    report = check_site(site, local_settings(), cache_path=cache)

    assert "/ok" not in {h.path for h in server.hits}
    typo = next(r for r in report.results if r.occurrence.locale == "de-de")
    assert typo.status is Status.BROKEN and "typo" in typo.message


def test_expired_entries_are_requested_again(tmp_path: Path, site: Path, server: LocalServer):
    cache = tmp_path / "cache.sqlite"
    check_site(site, local_settings(), cache_path=cache)
    server.hits.clear()

    check_site(site, local_settings(cache_max_age=0), cache_path=cache)

    assert {h.path for h in server.hits} == {"/ok", "/plain", "/gone", "/moved"}


def test_cache_stores_only_successes(tmp_path: Path, site: Path, server: LocalServer):
    cache = tmp_path / "cache.sqlite"
    check_site(site, local_settings(), cache_path=cache)

    with sqlite3.connect(cache) as db:
        rows = dict(db.execute("SELECT url, status FROM results").fetchall())
    assert rows == {server.url("/ok"): "ok", server.url("/plain"): "ok",
                    server.url("/moved"): "redirected"}


def test_cache_age_uses_the_clock(tmp_path: Path):
    now = [1000.0]
    cache = LinkCache(tmp_path / "c.sqlite", max_age=60, clock=lambda: now[0])
    cache.put("https://example.org/", CachedResult("ok", 200, None, "200 OK", None, False))
    now[0] += 59
    assert cache.get("https://example.org/") is not None
    now[0] += 2
    assert cache.get("https://example.org/") is None
    cache.close()


def test_damaged_cache_file_is_replaced(tmp_path: Path):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    cache = LinkCache(path, max_age=60)
    cache.put("https://example.org/", CachedResult("ok", 200, None, "200 OK", None, False))
    assert cache.get("https://example.org/") is not None
    cache.close()


def test_unusable_cache_location_is_a_note_not_a_crash(tmp_path: Path, site: Path,
                                                       server: LocalServer):
    blocker = tmp_path / "build"
    blocker.write_text("a file where the cache folder should be")

    report = check_site(site, local_settings(), cache_path=blocker / "linkcheck" / "c.sqlite")

    assert len(report.notes) == 1 and "cannot be used" in report.notes[0]
    assert report.results[0].status is Status.OK
