"""Link-check defects found by trying `helpsite linkcheck` as an attacker and a careful user
would (issue 15, part 6): HEAD-only redirect loops, how 401/403/503 count (status_policy),
fragments made by a page's script, redirect chains in findings, and the `#/path` links MyST
writes for targets it could not resolve. Every server is a local one on 127.0.0.1."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers.linkcheck import (
    LocalServer,
    RequestHandler,
    html_page,
    link,
    local_settings,
    write_site,
)
from helpsite.config import ConfigError
from helpsite.findings import Code, Severity, apply_policy, has_errors
from helpsite.linkcheck.model import LinkResult, Status
from helpsite.linkcheck.report import to_json_document
from helpsite.linkcheck.runner import LinkcheckReport, check_site
from helpsite.linkcheck.settings import LinkcheckSettings
from sphinx.cmd.build import build_main


def site_linking(tmp_path: Path, *urls: str) -> Path:
    return write_site(tmp_path / "html", {"en-us": {"index.html": html_page(
        *(link(url) for url in urls))}})


def result_for(report: LinkcheckReport, url: str) -> LinkResult:
    (result,) = [r for r in report.results if r.occurrence.url == url]
    return result


def json_result(report: LinkcheckReport, url: str) -> dict:
    document = json.loads(json.dumps(to_json_document(report, report.findings)))
    (entry,) = [e for e in document["results"] if e["url"] == url]
    return entry


def redirect(status: int, target: str):
    return lambda handler: handler.respond(status, b"", {"Location": target})


# -- HEAD answered differently from GET -------------------------------------------------------


def test_a_redirect_loop_on_head_only_is_asked_again_with_get(tmp_path: Path,
                                                              server: LocalServer):
    def loops_on_head(handler: RequestHandler) -> None:
        if handler.command == "HEAD":
            handler.respond(302, b"", {"Location": "/app"})  # to itself, for HEAD only
        else:
            handler.respond(200, b"<p>the app</p>")

    server.route("/app", loops_on_head)
    site = site_linking(tmp_path, server.url("/app"))

    report = check_site(site, local_settings())

    result = result_for(report, server.url("/app"))
    assert result.status is Status.OK, result.message
    assert result.code is None
    assert [hit.method for hit in server.requests_for("/app")] == ["HEAD", "GET"]
    assert report.findings == []


def test_endless_redirects_on_head_only_are_asked_again_with_get(tmp_path: Path,
                                                                 server: LocalServer):
    def endless_on_head(handler: RequestHandler) -> None:
        step = int(parse_qs(urlsplit(handler.path).query).get("n", ["0"])[0])
        if handler.command == "HEAD":
            handler.respond(302, b"", {"Location": f"/login?n={step + 1}"})
        else:
            handler.respond(200, b"<p>signed out view</p>")

    server.route("/login", endless_on_head)
    site = site_linking(tmp_path, server.url("/login"))

    report = check_site(site, local_settings(max_redirects=3))

    assert result_for(report, server.url("/login")).status is Status.OK
    methods = [hit.method for hit in server.requests_for("/login")]
    assert methods == ["HEAD", "GET"]  # the first hop; the rest had queries
    assert [h.method for h in server.hits].count("HEAD") == 4  # 1 + max_redirects


def test_a_real_loop_is_still_an_error_and_lists_every_hop(tmp_path: Path,
                                                           server: LocalServer):
    server.route("/loop-a", redirect(302, "/loop-b"))
    server.route("/loop-b", redirect(301, "/loop-a"))
    site = site_linking(tmp_path, server.url("/loop-a"))

    report = check_site(site, local_settings())

    result = result_for(report, server.url("/loop-a"))
    assert result.code is Code.CHECK_REDIRECT_LOOP and result.status is Status.BROKEN
    a, b = server.url("/loop-a"), server.url("/loop-b")
    assert f"{a} (302) -> {b} (301) -> {a}" in result.message
    assert [h.method for h in server.hits] == ["HEAD", "HEAD", "GET", "GET"]
    (finding,) = report.findings
    assert finding.code is Code.CHECK_REDIRECT_LOOP
    assert f"{a} (302) -> {b} (301) -> {a}" in finding.message
    assert json_result(report, a)["redirects"] == [{"url": a, "status": 302},
                                                   {"url": b, "status": 301}]


# -- 401, 403, 503: status_policy -------------------------------------------------------------


def _statuses(server: LocalServer) -> dict[int, str]:
    urls = {}
    for status in (401, 403, 503, 404):
        server.page(f"/s{status}", f"status {status}", status=status)
        urls[status] = server.url(f"/s{status}")
    return urls


def test_401_403_503_are_warnings_by_default_and_404_stays_an_error(tmp_path: Path,
                                                                    server: LocalServer):
    urls = _statuses(server)
    site = site_linking(tmp_path, *urls.values())

    report = check_site(site, local_settings())

    for status in (401, 403, 503):
        result = result_for(report, urls[status])
        assert result.status is Status.UNVERIFIED, (status, result.message)
        assert result.code is Code.CHECK_STATUS_UNVERIFIED
        assert str(status) in result.message and "status_policy" in result.message
    broken = result_for(report, urls[404])
    assert broken.status is Status.BROKEN and broken.code is Code.CHECK_BROKEN
    findings = apply_policy(report.findings)
    unverified = [f for f in findings if f.code is Code.CHECK_STATUS_UNVERIFIED]
    assert len(unverified) == 3
    assert {f.severity for f in unverified} == {Severity.WARNING}
    assert [f.code for f in findings if f.severity is Severity.ERROR] == [Code.CHECK_BROKEN]
    assert report.summary()["en-us"][Status.UNVERIFIED] == 3
    row = to_json_document(report, findings)["summary"][0]
    assert row["unverified"] == 3 and row["broken"] == 1
    strict = apply_policy(report.findings, strict=True)
    assert sum(f.severity is Severity.ERROR for f in strict) == 4


def test_status_policy_makes_403_an_error_and_401_ok(tmp_path: Path, server: LocalServer):
    urls = _statuses(server)
    site = site_linking(tmp_path, urls[401], urls[403], urls[503])
    settings = LinkcheckSettings.from_table({
        **{k: getattr(local_settings(), k) for k in
           ("allow_private_addresses", "timeout", "connect_timeout", "retries", "dns_canary")},
        "status_policy": {"403": "error", "401": "ok"},
    })

    report = check_site(site, settings)

    assert result_for(report, urls[403]).code is Code.CHECK_BROKEN
    assert result_for(report, urls[403]).status is Status.BROKEN
    ok = result_for(report, urls[401])
    assert ok.status is Status.OK and ok.code is None and "status_policy" in ok.message
    assert result_for(report, urls[503]).code is Code.CHECK_STATUS_UNVERIFIED  # merged default
    assert has_errors(apply_policy(report.findings))


def test_503_is_retried_before_it_counts(tmp_path: Path, server: LocalServer):
    server.page("/down", "maintenance", status=503)
    site = site_linking(tmp_path, server.url("/down"))

    report = check_site(site, local_settings(retries=1))

    result = result_for(report, server.url("/down"))
    assert result.code is Code.CHECK_STATUS_UNVERIFIED
    assert "after 2 attempts" in result.message
    assert [h.method for h in server.requests_for("/down")] == ["HEAD", "GET"] * 2


def test_a_503_counted_as_ok_is_not_asked_again(tmp_path: Path, server: LocalServer):
    server.route("/down", lambda r: r.respond(503, b"", {"Retry-After": "0"}))
    site = site_linking(tmp_path, server.url("/down"))

    report = check_site(site, local_settings(retries=2, status_policy={"503": "ok"}))

    result = result_for(report, server.url("/down"))
    assert result.status is Status.OK and "attempts" not in result.message
    assert [h.method for h in server.requests_for("/down")] == ["HEAD", "GET"]


def test_503_with_retry_after_is_rate_limiting_by_default_and_policy_can_make_it_an_error(
        tmp_path: Path, server: LocalServer):
    server.route("/busy", lambda r: r.respond(503, b"", {"Retry-After": "0"}))
    site = site_linking(tmp_path, server.url("/busy"))

    default = check_site(site, local_settings(retries=1))
    strict = check_site(site, local_settings(retries=1, status_policy={"503": "error"}))

    assert result_for(default, server.url("/busy")).code is Code.CHECK_RATE_LIMITED
    result = result_for(strict, server.url("/busy"))
    assert result.status is Status.BROKEN and result.code is Code.CHECK_BROKEN
    assert "after 2 attempts" in result.message  # Retry-After is still waited for


def test_an_answer_ok_only_by_policy_is_not_cached(tmp_path: Path, server: LocalServer):
    server.page("/members", "log in", status=401)
    site = site_linking(tmp_path, server.url("/members"))
    settings = local_settings(status_policy={"401": "ok"})
    cache = tmp_path / "cache.sqlite"

    first = check_site(site, settings, cache_path=cache)
    second = check_site(site, local_settings(), cache_path=cache)

    assert result_for(first, server.url("/members")).status is Status.OK
    assert result_for(second, server.url("/members")).status is Status.UNVERIFIED
    assert len(server.requests_for("/members")) == 4  # HEAD and GET, in both runs


def test_status_policy_from_pyproject_and_bad_values(tmp_path: Path):
    table = tomllib.loads('[linkcheck]\nstatus_policy = { 403 = "error", 410 = "ok" }\n')
    settings = LinkcheckSettings.from_table(table["linkcheck"])
    assert settings.policy_for(403) == "error"
    assert settings.policy_for(410) == "ok"
    assert settings.policy_for(401) == "warning"  # the defaults stay
    assert settings.policy_for(404) == "error"
    assert settings.replace(retries=1).status_policy == settings.status_policy
    for bad, words in [({"429": "ok"}, "429 is rate limiting"),
                       ({"200": "ok"}, "not an HTTP error status"),
                       ({"forbidden": "ok"}, "not an HTTP error status"),
                       ({"403": "maybe"}, "must be one of 'error', 'warning', 'ok'"),
                       ("warning", "must be a table")]:
        with pytest.raises(ConfigError, match=words) as caught:
            LinkcheckSettings.from_table({"status_policy": bad})
        assert "[tool.helpsite.linkcheck] status_policy" in str(caught.value)


# -- fragments made by the page's script ------------------------------------------------------

_SHELL = ('<div id="root"></div><noscript>You need to enable JavaScript to run this app.'
          '</noscript><script src="/app.js"></script>')
_ARTICLE = "<h2 id='intro'>Intro</h2>" + "<p>Plenty of readable text in this article.</p>" * 10


def test_a_fragment_of_a_script_shell_page_is_unchecked_not_missing(tmp_path: Path,
                                                                    server: LocalServer):
    server.page("/spa", _SHELL)
    server.page("/article", _ARTICLE + "<script>console.log(1)</script>")
    urls = [server.url("/spa#settings"), server.url("/article#missing"),
            server.url("/article#intro")]
    site = site_linking(tmp_path, *urls)

    report = check_site(site, local_settings())

    shell = result_for(report, urls[0])
    assert shell.code is Code.CHECK_ANCHOR_UNCHECKED and shell.status is Status.OK
    assert "builds its content by script" in shell.message
    assert "anchors_ignore_for_url" in shell.message
    # A page with its text in the HTML is judged by its HTML, script or not.
    assert result_for(report, urls[1]).code is Code.CHECK_ANCHOR_MISSING
    assert result_for(report, urls[2]).code is None
    findings = apply_policy(report.findings)
    unchecked = [f for f in findings if f.code is Code.CHECK_ANCHOR_UNCHECKED]
    assert len(unchecked) == 1 and unchecked[0].severity is Severity.WARNING


def test_route_and_state_shaped_fragments_are_unchecked(tmp_path: Path, server: LocalServer):
    server.page("/portal", _ARTICLE)
    urls = [server.url("/portal#blade/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/Overview"),
            server.url("/portal#ID0EAABAAA=Desktop"), server.url("/portal#no-such-heading")]
    site = site_linking(tmp_path, *urls)

    report = check_site(site, local_settings())

    for url in urls[:2]:
        result = result_for(report, url)
        assert result.code is Code.CHECK_ANCHOR_UNCHECKED, result.message
        assert "'/' or '='" in result.message
    assert result_for(report, urls[2]).code is Code.CHECK_ANCHOR_MISSING
    assert len(server.requests_for("/portal")) == 1  # one GET for the three fragments


def test_anchors_ignore_for_url_still_silences_script_pages(tmp_path: Path,
                                                            server: LocalServer):
    server.page("/spa", _SHELL)
    site = site_linking(tmp_path, server.url("/spa#settings"))

    report = check_site(site, local_settings(anchors_ignore_for_url=[r".*/spa$"]))

    result = result_for(report, server.url("/spa#settings"))
    assert result.status is Status.OK and result.code is None
    assert report.findings == []
    assert [h.method for h in server.requests_for("/spa")] == ["HEAD"]


def test_a_cached_script_page_stays_unchecked(tmp_path: Path, server: LocalServer):
    server.page("/spa", _SHELL)
    site = site_linking(tmp_path, server.url("/spa#settings"))
    cache = tmp_path / "cache.sqlite"

    check_site(site, local_settings(), cache_path=cache)
    again = check_site(site, local_settings(), cache_path=cache)

    result = result_for(again, server.url("/spa#settings"))
    assert result.detail.get("cached") is True
    assert result.code is Code.CHECK_ANCHOR_UNCHECKED
    assert len(server.requests_for("/spa")) == 1


# -- redirect chains ----------------------------------------------------------------------------


def test_a_redirect_chain_lists_every_hop_with_its_status(tmp_path: Path, server: LocalServer):
    server.route("/r1", redirect(301, "/r2"))
    server.route("/r2", redirect(302, "/r3"))
    server.route("/r3", redirect(307, "/final"))
    server.page("/final")
    server.route("/s1", redirect(302, "/gone"))
    server.page("/gone", "gone", status=404)
    site = site_linking(tmp_path, server.url("/r1"), server.url("/s1"))
    cache = tmp_path / "cache.sqlite"

    report = check_site(site, local_settings(), cache_path=cache)
    cached = check_site(site, local_settings(), cache_path=cache)

    r1, r2, r3, final = (server.url(p) for p in ("/r1", "/r2", "/r3", "/final"))
    expected = f"{r1} (301) -> {r2} (302) -> {r3} (307) -> {final} (200)"
    hops = [{"url": r1, "status": 301}, {"url": r2, "status": 302},
            {"url": r3, "status": 307}, {"url": final, "status": 200}]
    moved = next(f for f in report.findings if f.code is Code.CHECK_REDIRECT_PERMANENT)
    assert expected in moved.message
    assert json_result(report, r1)["redirects"] == hops
    assert json_result(report, r1)["final_url"] == final
    broken = next(f for f in report.findings if f.code is Code.CHECK_BROKEN)
    assert f"{server.url('/s1')} (302) -> {server.url('/gone')} (404)" in broken.message
    assert json_result(report, server.url("/s1"))["redirects"] == [
        {"url": server.url("/s1"), "status": 302}, {"url": server.url("/gone"), "status": 404}]
    # From the cache, the chain is the same (text and JSON), without a request.
    assert json_result(cached, r1)["redirects"] == hops
    assert json_result(cached, r1)["cached"] is True
    assert expected in next(f for f in cached.findings
                            if f.code is Code.CHECK_REDIRECT_PERMANENT).message
    assert len(server.requests_for("/r1")) == 1


# -- '#/path': links MyST could not resolve, on the site's own pages ----------------------------


@pytest.fixture(scope="module")
def myst_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A real MyST build (with the collector) of pages whose links MyST cannot resolve."""
    root = tmp_path_factory.mktemp("myst")
    source = root / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        'extensions = ["myst_parser", "helpsite.linkcheck.collector"]\n'
        'source_suffix = {".md": "markdown"}\nhtml_theme = "basic"\n', encoding="utf-8")
    (source / "index.md").write_text(
        "# Home\n\n```{toctree}\nother\n```\n\nSee [the guide](/guides/setup) first.\n\n"
        "Then [other](other.md), [a route](other.md#/route) and [plain](#/x).\n",
        encoding="utf-8")
    (source / "other.md").write_text("# Other\n\nText.\n", encoding="utf-8")
    out = root / "site" / "en-us"
    assert build_main(["-q", "-b", "html", str(source), str(out)]) == 0
    return source, out.parent


def test_unresolved_myst_links_are_errors_at_their_source_lines(myst_site: tuple[Path, Path]):
    source, site = myst_site
    html = (site / "en-us" / "index.html").read_text(encoding="utf-8")
    assert 'href="#/guides/setup"' in html and 'href="other.html#/route"' in html

    report = check_site(site, local_settings(), external=False)

    unresolved = [f for f in apply_policy(report.findings)
                  if f.code is Code.CHECK_UNRESOLVED_LINK]
    places = sorted((Path(f.path).resolve(), f.line) for f in unresolved)
    index = (source / "index.md").resolve()
    assert places == [(index, 7), (index, 9), (index, 9)]
    assert {f.severity for f in unresolved} == {Severity.ERROR}
    guide = next(f for f in unresolved if "#/guides/setup" in f.message)
    assert "MyST could not resolve the link target '/guides/setup'" in guide.message
    assert "relative path" in guide.message and "https://" in guide.message
    route = next(f for f in unresolved if "other.html#/route" in f.message)
    assert "to a heading of en-us/other.html" in route.message
    plain = [r for r in report.results if r.occurrence.url == "other.html"]
    assert plain and {r.status for r in plain} == {Status.OK}


def test_a_hash_slash_fragment_of_an_own_page_is_not_skipped(tmp_path: Path):
    site = write_site(tmp_path / "html", {"en-us": {
        "index.html": html_page(link("#/billing/setup"), link("#!/legacy"), link("#top")),
    }})

    report = check_site(site, local_settings(), external=False)

    result = result_for(report, "#/billing/setup")
    assert result.status is Status.BROKEN and result.code is Code.CHECK_UNRESOLVED_LINK
    (finding,) = [f for f in report.findings if f.code is Code.CHECK_UNRESOLVED_LINK]
    assert finding.path.endswith("en-us/index.html") and finding.line == 5  # first link
    assert result_for(report, "#!/legacy").status is Status.OK  # not what MyST writes
    assert result_for(report, "#top").code is Code.CHECK_ANCHOR_MISSING
