"""External links against local HTTP servers on 127.0.0.1: each URL once, politely."""

from __future__ import annotations

import email.utils
import itertools
import threading
import time
from pathlib import Path

from helpers.linkcheck import (
    LocalServer,
    RequestHandler,
    html_page,
    link,
    local_settings,
    running_server,
    write_site,
)
from helpsite.findings import Code
from helpsite.linkcheck.model import Status
from helpsite.linkcheck.runner import LinkcheckReport, check_site

LOCALES = ["en-us", "nl-nl", "de-de", "ja-jp", "ar-sa"]


def results_for(report: LinkcheckReport, url: str) -> list:
    return [r for r in report.results if r.occurrence.url == url]


def single_page_site(tmp_path: Path, *urls: str) -> Path:
    return write_site(tmp_path / "html", {"en-us": {"index.html": html_page(
        *(link(u) for u in urls))}})


def test_five_locales_request_each_distinct_url_once(tmp_path: Path, server: LocalServer):
    server.page("/a", '<h2 id="intro">Intro</h2><a name="legacy"></a>')
    server.page("/b")
    spelled_differently = f"HTTP://127.0.0.1:{server.port}/a#legacy"  # same URL, other case
    pages = {
        locale: {"index.html": html_page(
            link(server.url("/a#intro")), link(server.url("/b")), link(spelled_differently),
            link(server.url("/a#missing") if locale == "nl-nl" else server.url("/a")),
        )}
        for locale in LOCALES
    }
    site = write_site(tmp_path / "html", pages)

    report = check_site(site, local_settings())

    assert [h.path for h in server.hits].count("/a") == 1
    assert [h.path for h in server.hits].count("/b") == 1
    assert len(server.hits) == 2
    summary = report.summary()
    assert set(summary) == set(LOCALES)
    for locale in LOCALES:
        expected_broken = 1 if locale == "nl-nl" else 0
        assert summary[locale][Status.BROKEN] == expected_broken
        assert summary[locale][Status.OK] == 4 - expected_broken
    broken = [r for r in report.results if r.status is Status.BROKEN]
    assert len(broken) == 1
    assert broken[0].occurrence.locale == "nl-nl"
    assert broken[0].code is Code.CHECK_ANCHOR_MISSING
    assert broken[0].occurrence.line == 8  # the fourth link line of the page
    finding = next(f for f in report.findings if f.code is Code.CHECK_ANCHOR_MISSING)
    assert finding.path.endswith("nl-nl/index.html") and finding.line == 8


def test_per_host_concurrency_never_exceeded(tmp_path: Path, server: LocalServer):
    def slow(handler: RequestHandler) -> None:
        time.sleep(0.2)
        handler.respond(200, b"ok")

    urls = []
    for number in range(12):
        server.route(f"/slow/{number}", slow)
        urls.append(server.url(f"/slow/{number}"))
    site = single_page_site(tmp_path, *urls)

    report = check_site(site, local_settings(concurrency=10, per_host_concurrency=2))

    assert all(r.status is Status.OK for r in report.results)
    assert len(server.hits) == 12
    assert server.max_active == 2, server.max_active  # in parallel, never above the limit


def test_overall_concurrency_never_exceeded(tmp_path: Path, server: LocalServer):
    def slow(handler: RequestHandler) -> None:
        time.sleep(0.15)
        handler.respond(200, b"ok")

    for number in range(9):
        server.route(f"/p{number}", slow)
    site = single_page_site(tmp_path, *(server.url(f"/p{n}") for n in range(9)))

    check_site(site, local_settings(concurrency=3, per_host_concurrency=8))

    assert server.max_active == 3


def test_head_then_get_when_head_fails(tmp_path: Path, server: LocalServer):
    def no_head(handler: RequestHandler) -> None:
        handler.respond(405 if handler.command == "HEAD" else 200, b"ok")

    def drop_head(handler: RequestHandler) -> None:
        if handler.command == "HEAD":
            handler.close_connection = True  # hang up without an answer
            return
        handler.respond(200, b"ok")

    server.route("/no-head", no_head)
    server.route("/drop-head", drop_head)
    server.page("/plain")
    site = single_page_site(tmp_path, server.url("/no-head"), server.url("/drop-head"),
                            server.url("/plain"))

    report = check_site(site, local_settings())

    assert [r.status for r in report.results] == [Status.OK] * 3
    assert [h.method for h in server.requests_for("/no-head")] == ["HEAD", "GET"]
    assert [h.method for h in server.requests_for("/drop-head")] == ["HEAD", "GET"]
    assert [h.method for h in server.requests_for("/plain")] == ["HEAD"]


def test_redirects_permanent_temporary_loop_and_limit(tmp_path: Path, server: LocalServer):
    def redirect(status: int, target: str):
        return lambda handler: handler.respond(status, b"", {"Location": target})

    server.page("/new")
    server.route("/moved", redirect(301, "/new"))
    server.route("/moved-308", redirect(308, server.url("/new")))
    server.route("/elsewhere", redirect(302, "/new"))
    server.route("/loop-a", redirect(302, "/loop-b"))
    server.route("/loop-b", redirect(301, "/loop-a"))
    for step in range(5):
        server.route(f"/chain{step}", redirect(302, f"/chain{step + 1}"))
    server.page("/chain5")
    urls = {name: server.url(f"/{name}") for name in
            ["moved", "moved-308", "elsewhere", "loop-a", "chain0"]}
    site = single_page_site(tmp_path, *urls.values())

    report = check_site(site, local_settings(max_redirects=3))

    by_name = {name: results_for(report, url)[0] for name, url in urls.items()}
    assert by_name["moved"].status is Status.REDIRECTED
    assert by_name["moved"].code is Code.CHECK_REDIRECT_PERMANENT
    assert by_name["moved"].final_url == server.url("/new")
    assert server.url("/new") in by_name["moved"].message
    assert by_name["moved-308"].status is Status.REDIRECTED
    assert by_name["elsewhere"].status is Status.OK
    assert by_name["elsewhere"].final_url == server.url("/new")
    assert by_name["loop-a"].status is Status.BROKEN
    assert by_name["loop-a"].code is Code.CHECK_REDIRECT_LOOP
    assert by_name["chain0"].code is Code.CHECK_TOO_MANY_REDIRECTS
    assert len(server.requests_for("/chain4")) == 0  # stopped after 3 redirects
    codes = {f.code for f in report.findings}
    assert {Code.CHECK_REDIRECT_PERMANENT, Code.CHECK_REDIRECT_LOOP,
            Code.CHECK_TOO_MANY_REDIRECTS} <= codes


def _rate_limited_once(header_value):
    state = {"calls": 0}
    lock = threading.Lock()

    def handler(request: RequestHandler) -> None:
        with lock:
            state["calls"] += 1
            first = state["calls"] == 1
        if first:
            request.respond(429, b"slow down", {"Retry-After": header_value()})
        else:
            request.respond(200, b"ok")

    return handler


def test_retry_after_seconds_is_obeyed(tmp_path: Path, server: LocalServer):
    server.route("/limited", _rate_limited_once(lambda: "1"))
    site = single_page_site(tmp_path, server.url("/limited"))

    report = check_site(site, local_settings(retries=2, retry_after_cap=5.0))

    assert report.results[0].status is Status.OK
    first, second = server.requests_for("/limited")
    assert second.at - first.at >= 0.95


def test_retry_after_http_date_is_obeyed(tmp_path: Path, server: LocalServer):
    server.route("/limited", _rate_limited_once(
        lambda: email.utils.formatdate(time.time() + 2, usegmt=True)))
    site = single_page_site(tmp_path, server.url("/limited"))

    report = check_site(site, local_settings(retries=1, retry_after_cap=5.0))

    assert report.results[0].status is Status.OK
    first, second = server.requests_for("/limited")
    assert second.at - first.at >= 0.9  # the date has whole seconds: at least ~1 s


def test_retry_after_is_capped_and_reported(tmp_path: Path, server: LocalServer):
    server.route("/always-limited",
                 lambda r: r.respond(429, b"", {"Retry-After": "3600"}))
    site = single_page_site(tmp_path, server.url("/always-limited"))

    started = time.monotonic()
    report = check_site(site, local_settings(retries=2, retry_after_cap=0.3))
    elapsed = time.monotonic() - started

    hits = server.requests_for("/always-limited")
    assert len(hits) == 3
    assert all(0.25 <= b.at - a.at < 1.5 for a, b in itertools.pairwise(hits))
    assert elapsed < 3
    result = report.results[0]
    assert result.status is Status.TIMEOUT and result.code is Code.CHECK_RATE_LIMITED
    assert "3600" in result.message


def test_timeout_and_retries_are_configurable(tmp_path: Path, server: LocalServer):
    def stuck(handler: RequestHandler) -> None:
        time.sleep(1.5)
        handler.respond(200, b"late")

    server.route("/stuck", stuck)
    site = single_page_site(tmp_path, server.url("/stuck"))

    started = time.monotonic()
    report = check_site(site, local_settings(timeout=0.4, retries=1))
    elapsed = time.monotonic() - started

    assert report.results[0].status is Status.TIMEOUT
    assert report.results[0].code is Code.CHECK_TIMEOUT
    assert len(server.requests_for("/stuck")) == 2  # one try, one retry
    assert elapsed < 2.5


def test_broken_status_is_reported_per_locale_file_and_line(tmp_path: Path,
                                                           server: LocalServer):
    server.page("/gone", "gone", status=404)
    server.page("/fine")
    site = write_site(tmp_path / "html", {
        "en-us": {"a.html": html_page(link(server.url("/fine")))},
        "nl-nl": {"a.html": html_page(link(server.url("/fine")), link(server.url("/gone")))},
    })

    report = check_site(site, local_settings())

    broken = [f for f in report.findings if f.code is Code.CHECK_BROKEN]
    assert len(broken) == 1
    assert broken[0].path.endswith("nl-nl/a.html") and broken[0].line == 6
    assert "[nl-nl]" in broken[0].message and "404" in broken[0].message
    line_text = (site / "nl-nl" / "a.html").read_text().splitlines()[broken[0].line - 1]
    assert server.url("/gone") in line_text
    assert line_text.index(server.url("/gone")) + 1 == broken[0].column


def test_other_schemes_skipped_and_counted_ignores_and_anchor_opt_out(
        tmp_path: Path, server: LocalServer):
    server.page("/app", "<p>no ids: anchors are made by script</p>")
    site = single_page_site(
        tmp_path, "mailto:help@contoso.com", "ms-settings:windowsupdate", "tel:+310000",
        server.url("/ignored/page"), server.url("/app#/settings/route"),
        server.url("/app#section-made-by-script"),
    )
    settings = local_settings(ignore=[rf"^http://127\.0\.0\.1:{server.port}/ignored/"],
                              anchors_ignore_for_url=[r".*/app$"])

    report = check_site(site, settings)

    statuses = [r.status for r in report.results]
    assert statuses == [Status.SKIPPED] * 3 + [Status.IGNORED, Status.OK, Status.OK]
    assert report.skipped_schemes() == {"mailto": 1, "ms-settings": 1, "tel": 1}
    assert server.requests_for("/ignored/page") == []
    assert [h.method for h in server.requests_for("/app")] == ["HEAD"]  # no body needed


def test_waiting_for_a_busy_host_neither_times_out_nor_blocks_others(
        tmp_path: Path, server: LocalServer):
    def slow(handler: RequestHandler) -> None:
        time.sleep(0.25)
        handler.respond(200, b"ok")

    with running_server() as other:
        for number in range(6):
            server.route(f"/slow/{number}", slow)
        for number in range(3):
            other.page(f"/fast/{number}")
        urls = [server.url(f"/slow/{n}") for n in range(6)]
        urls += [other.url(f"/fast/{n}") for n in range(3)]
        site = single_page_site(tmp_path, *urls)

        # 6 x 0.25 s one at a time is far longer than the 0.6 s limit of one request.
        report = check_site(site, local_settings(timeout=0.6, concurrency=2,
                                                 per_host_concurrency=1))

        assert [r.status for r in report.results] == [Status.OK] * 9
        last_slow = max(hit.at for hit in server.hits)
        assert all(hit.at < last_slow for hit in other.hits)  # not starved by the busy host
