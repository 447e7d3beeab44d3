"""Without network: fail fast, once per host, and once in all when DNS is unavailable."""

from __future__ import annotations

import time
from pathlib import Path
from xml.etree import ElementTree

from helpers.linkcheck import (
    LocalServer,
    closed_port,
    html_page,
    link,
    local_settings,
    recording_sockets,
    write_site,
)
from helpsite.findings import Code, Severity
from helpsite.linkcheck.model import Status
from helpsite.linkcheck.report import junit_xml
from helpsite.linkcheck.runner import check_site


def site_with(tmp_path: Path, urls: list[str], extra: tuple[str, ...] = ()) -> Path:
    return write_site(tmp_path / "html", {"en-us": {
        "index.html": html_page(*(link(u) for u in urls), *extra)}})


def test_refused_host_is_tried_once_and_reported_once(tmp_path: Path, server: LocalServer):
    dead = closed_port()
    dead_urls = [f"http://127.0.0.1:{dead}/page/{n}" for n in range(20)]
    server.page("/alive")
    site = site_with(tmp_path, [*dead_urls, server.url("/alive")])

    started = time.monotonic()
    with recording_sockets() as audit:
        report = check_site(site, local_settings(per_host_concurrency=4))
    elapsed = time.monotonic() - started

    attempts = [address for address in audit.connects if address[1] == dead]
    assert len(attempts) == 1  # the first URL probes the host; the other 19 are not tried
    assert elapsed < 2
    statuses = [r.status for r in report.results]
    assert statuses == [Status.UNREACHABLE] * 20 + [Status.OK]
    host_findings = [f for f in report.findings if f.code is Code.CHECK_HOST_UNREACHABLE]
    assert len(host_findings) == 1
    assert "20 link(s) to 20 URL(s)" in host_findings[0].message
    assert "connection refused" in host_findings[0].message
    assert host_findings[0].severity is Severity.WARNING
    assert sum(bool(r.detail.get("not_requested")) for r in report.results) == 19


def test_dns_unavailable_is_said_once_and_asked_twice(tmp_path: Path):
    urls = [f"https://host{h}.invalid/page/{n}" for h in range(10) for n in range(3)]
    site = site_with(tmp_path, urls, extra=(link("missing.html"),))

    started = time.monotonic()
    with recording_sockets() as audit:
        report = check_site(site, local_settings(dns_canary="canary.invalid"))
    elapsed = time.monotonic() - started

    assert elapsed < 5
    # One real look-up, then the canary that always resolves when DNS works: no more.
    assert len(audit.lookups) == 2 and audit.lookups[1] == "canary.invalid"
    assert audit.connects == []
    assert report.stats["dns_lookups"] == 2
    external = [r for r in report.results if r.occurrence.url.startswith("https://")]
    assert {r.status for r in external} == {Status.UNREACHABLE}
    dns = [f for f in report.findings if f.code is Code.CHECK_DNS_UNAVAILABLE]
    assert len(dns) == 1
    assert "30 external link(s) to 30 URL(s) on 10 host(s)" in dns[0].message
    # Internal links are still checked and reported.
    assert [f.code for f in report.findings if f.severity is Severity.ERROR] == [
        Code.CHECK_INTERNAL_MISSING]


def test_unknown_host_is_broken_when_dns_works(tmp_path: Path):
    urls = [f"http://no-such-host.invalid/{n}" for n in range(5)]
    site = site_with(tmp_path, urls)

    with recording_sockets() as audit:
        report = check_site(site, local_settings(dns_canary="localhost"))

    assert audit.lookups.count("no-such-host.invalid") == 1
    assert {r.status for r in report.results} == {Status.BROKEN}
    assert {r.code for r in report.results} == {Code.CHECK_BROKEN}
    assert "no-such-host.invalid not found" in report.results[0].message
    assert len([f for f in report.findings if f.code is Code.CHECK_BROKEN]) == 5


def test_junit_says_what_was_not_verified(tmp_path: Path):
    site = site_with(tmp_path, ["https://a.invalid/", "https://b.invalid/x"])
    report = check_site(site, local_settings(dns_canary="canary.invalid"))

    root = ElementTree.fromstring(junit_xml(report))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "0"
    assert suite.findtext("system-out") == "links not verified: 2 unreachable"


def test_checker_runs_inside_a_running_event_loop(tmp_path: Path) -> None:
    """Called from code that already runs an event loop in its thread (a notebook,
    Playwright's sync API), the checker still runs to the end."""
    import asyncio

    from helpsite.linkcheck.external import ExternalChecker
    from helpsite.linkcheck.settings import LinkcheckSettings

    async def inside_a_loop() -> dict:
        checker = ExternalChecker(LinkcheckSettings(), cache=None)
        return checker.run([])

    assert asyncio.run(inside_a_loop()) == {}
