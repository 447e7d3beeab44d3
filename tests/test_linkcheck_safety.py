"""Safety: no request to private addresses unless allowed, bounded bodies, bounded time."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
from helpers.linkcheck import (
    LocalServer,
    RequestHandler,
    html_page,
    link,
    local_settings,
    recording_sockets,
    running_server,
    write_site,
)
from helpsite.findings import Code
from helpsite.linkcheck.model import Status
from helpsite.linkcheck.resolver import refusal_reason
from helpsite.linkcheck.runner import check_site


def site_with(tmp_path: Path, *urls: str) -> Path:
    return write_site(tmp_path / "html", {"en-us": {"index.html": html_page(
        *(link(u) for u in urls))}})


@pytest.mark.parametrize("address, reason", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.20.30.40", "private"),
    ("192.168.1.1", "private"), ("172.16.0.1", "private"), ("169.254.169.254", "link-local"),
    ("fe80::1", "link-local"), ("fc00::1", "private"), ("::ffff:10.0.0.1", "private"),
    ("0.0.0.0", "unspecified"), ("100.64.0.1", "non-public"),
])
def test_refusal_reasons(address: str, reason: str):
    import ipaddress

    assert reason in (refusal_reason(ipaddress.ip_address(address)) or "")


def test_public_addresses_are_allowed():
    import ipaddress

    assert refusal_reason(ipaddress.ip_address("93.184.216.34")) is None
    assert refusal_reason(ipaddress.ip_address("2606:2800:220:1::1")) is None


def test_private_addresses_refused_without_any_connection(tmp_path: Path, server: LocalServer):
    server.page("/secret")
    urls = [server.url("/secret"), "http://10.0.0.5/admin", "http://169.254.169.254/latest/",
            f"http://[::1]:{server.port}/secret", f"http://localhost:{server.port}/secret"]
    site = site_with(tmp_path, *urls)

    with recording_sockets() as audit:
        report = check_site(site, local_settings(allow_private_addresses=False,
                                                 dns_canary=""))

    assert audit.connects == []  # not one socket was connected anywhere
    assert server.connections == 0 and server.hits == []
    assert [r.status for r in report.results] == [Status.BROKEN] * len(urls)
    assert {r.code for r in report.results} == {Code.CHECK_PRIVATE_ADDRESS}
    localhost = report.results[-1]
    assert "localhost (127.0.0.1)" in localhost.message  # resolved, then refused
    assert "allow_private_addresses" in localhost.message


def test_redirect_to_private_address_is_refused(tmp_path: Path, server: LocalServer):
    with running_server() as internal:
        internal.page("/inside")
        server.route("/to-internal",
                     lambda r: r.respond(302, b"", {"Location": internal.url("/inside")}))
        server.route("/to-ten", lambda r: r.respond(301, b"", {"Location": "http://10.1.1.1/"}))
        site = site_with(tmp_path, server.url("/to-internal"), server.url("/to-ten"))
        # Only the first server is allowed (as an intranet host would be); what it
        # redirects to is checked again.
        settings = local_settings(allow_private_addresses=False,
                                  allow_private_hosts=[f"127.0.0.1:{server.port}"])

        with recording_sockets() as audit:
            report = check_site(site, settings)

        assert internal.connections == 0
        assert all(address[1] == server.port for address in audit.connects)
    assert len(server.hits) == 2
    assert [r.code for r in report.results] == [Code.CHECK_PRIVATE_ADDRESS] * 2


def test_endless_body_is_read_only_up_to_the_bound(tmp_path: Path, server: LocalServer):
    sent = {"bytes": 0}

    def endless(handler: RequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        handler.wfile.write(b"<html><body>")
        chunk = b"<p>" + b"x" * 16_000 + b"</p>"
        try:
            for _ in range(20_000):  # 320 MB if nobody stops reading
                handler.wfile.write(chunk)
                sent["bytes"] += len(chunk)
        except OSError:
            pass
        handler.close_connection = True

    server.route("/endless", endless)
    site = site_with(tmp_path, server.url("/endless#somewhere"))

    started = time.monotonic()
    report = check_site(site, local_settings(max_body_bytes=100_000, timeout=10))

    assert time.monotonic() - started < 5
    result = report.results[0]
    assert result.status is Status.OK
    assert result.code is Code.CHECK_ANCHOR_UNCHECKED
    assert "100000 bytes" in result.message
    assert sent["bytes"] < 50_000_000  # the client hung up long before the end


def test_compressed_body_is_bounded_after_decompression(tmp_path: Path, server: LocalServer):
    # 60 MB of markup compress to ~60 KB: the bound applies to what it expands to.
    body = gzip.compress(b"<html><body>" + b"<p>a</p>" * 7_500_000 + b'<p id="end"></p>')
    server.route("/bomb", lambda r: r.respond(200, body, {"Content-Encoding": "gzip"}))
    server.route("/small", lambda r: r.respond(
        200, gzip.compress(b'<html><body><h2 id="here">x</h2></body></html>'),
        {"Content-Encoding": "gzip"}))
    site = site_with(tmp_path, server.url("/bomb#end"), server.url("/small#here"),
                     server.url("/small#not-here"))

    report = check_site(site, local_settings(max_body_bytes=200_000))

    bomb, small_ok, small_missing = report.results
    assert bomb.code is Code.CHECK_ANCHOR_UNCHECKED
    assert small_ok.status is Status.OK and small_ok.code is None
    assert small_missing.code is Code.CHECK_ANCHOR_MISSING


def test_slow_drip_cannot_hold_the_run(tmp_path: Path, server: LocalServer):
    def drip(handler: RequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        try:
            for _ in range(1000):  # one byte every 50 ms: 50 s in all
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass

    server.route("/drip", drip)
    server.page("/fast")
    site = site_with(tmp_path, server.url("/drip#anchor"), server.url("/fast"))

    started = time.monotonic()
    report = check_site(site, local_settings(timeout=1.0, retries=0))
    elapsed = time.monotonic() - started

    assert elapsed < 3
    drip_result, fast_result = report.results
    assert drip_result.status is Status.TIMEOUT and drip_result.code is Code.CHECK_TIMEOUT
    assert fast_result.status is Status.OK
