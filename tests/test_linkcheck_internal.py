"""Internal links of the built sites: pages, anchors, images, downloads, locales, help IDs."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.linkcheck import html_page, link, local_settings, write_site
from helpsite.findings import Code
from helpsite.linkcheck.htmlscan import scan_page
from helpsite.linkcheck.model import LinkResult, Status
from helpsite.linkcheck.runner import LinkcheckReport, check_site

GUIDE = html_page('<h2 id="setup">Setup</h2>', '<a name="legacy"></a>', title="Guide")


def refresh_page(target: str) -> str:
    return (f'<!DOCTYPE html>\n<html><head>\n<meta http-equiv="refresh" '
            f'content="0; url={target}">\n</head><body>{link(target)}</body></html>\n')


@pytest.fixture
def site(tmp_path: Path) -> Path:
    index = html_page(
        link("guide.html"),                       # 5
        link("guide.html#setup"),                 # 6
        link("guide.html#legacy"),                # 7
        link("guide.html#nope"),                  # 8
        '<p><img src="_images/pic.png" alt="" srcset="_images/pic.png 1x, _images/big.png 2x"></p>',
        link("_downloads/abc/file.zip"),          # 10
        link("sub/"),                             # 11
        link("missing.html"),                     # 12
        link("Guide.html"),                       # 13
        link("../../outside.html"),               # 14
        link("/en-us/guide.html"),                # 15
        link("/azure/billing/overview"),          # 16
        '<h2 id="here">Here</h2>',                # 17
        link("#here"),                            # 18
        link("#absent"),                          # 19
        '<link rel="alternate" hreflang="nl-NL" href="../nl-nl/index.html">',  # 20
        '<link rel="alternate" hreflang="de-DE" href="../nl-nl/index.html">',  # 21
        '<a hreflang="nl-NL" href="../nl-nl/guide.html">Nederlands</a>',       # 22
        '<a href="javascript:alert(1)">x</a>',    # 23
        link("help/7001001/"),                    # 24
        link("guide.html?view=print#setup"),      # 25
    )
    return write_site(tmp_path / "html", {
        "en-us": {
            "index.html": index, "guide.html": GUIDE,
            "_images/pic.png": "png", "_downloads/abc/file.zip": "zip",
            "sub/index.html": html_page(link("../index.html")),
            "help/7001001/index.html": refresh_page("../../guide.html"),
        },
        "nl-nl": {
            "index.html": html_page(link("guide.html"), link("../en-us/guide.html#setup")),
            "sub/index.html": html_page(link("../index.html")),
            "help/7001001/index.html": refresh_page("../../guide.html"),
            "_images/pic.png": "png", "_downloads/abc/file.zip": "zip",
        },
    })


def at(report: LinkcheckReport, locale: str, page: str, line: int) -> list[LinkResult]:
    return [r for r in report.results if r.occurrence.locale == locale
            and r.occurrence.page == page and r.occurrence.line == line]


def one(report: LinkcheckReport, locale: str, page: str, line: int) -> LinkResult:
    found = at(report, locale, page, line)
    assert len(found) == 1, found
    return found[0]


def test_internal_links_resolve_per_locale(site: Path):
    report = check_site(site, local_settings(), external=False)

    def status(line: int) -> tuple[Status, Code | None]:
        result = one(report, "en-us", "index.html", line)
        return result.status, result.code

    ok = (Status.OK, None)
    missing = (Status.BROKEN, Code.CHECK_INTERNAL_MISSING)
    anchor = (Status.BROKEN, Code.CHECK_ANCHOR_MISSING)
    assert [status(n) for n in (5, 6, 7)] == [ok, ok, ok]
    assert status(8) == anchor
    images = at(report, "en-us", "index.html", 9)
    assert [(r.occurrence.url, r.status) for r in images] == [
        ("_images/pic.png", Status.OK), ("_images/pic.png", Status.OK),
        ("_images/big.png", Status.BROKEN)]
    assert [status(n) for n in (10, 11)] == [ok, ok]
    assert [status(n) for n in (12, 13, 14)] == [missing] * 3
    assert "case differs" in one(report, "en-us", "index.html", 13).message
    assert "outside the built site" in one(report, "en-us", "index.html", 14).message
    assert status(15) == ok
    assert status(16) == missing
    assert "root-relative" in one(report, "en-us", "index.html", 16).message
    assert [status(n) for n in (18, 19)] == [ok, anchor]
    assert status(20) == ok
    assert status(21) == (Status.BROKEN, Code.CHECK_HREFLANG_MISMATCH)
    assert status(22) == missing  # the language switcher leads to a page nl-nl lacks
    assert status(23) == (Status.BROKEN, Code.CHECK_UNSAFE_URL)
    assert [status(n) for n in (24, 25)] == [ok, ok]


def test_translation_missing_pages_and_help_id_targets(site: Path):
    report = check_site(site, local_settings(), external=False)

    assert report.missing_pages == {"nl-nl": ["guide.html"]}
    page_missing = [f for f in report.findings if f.code is Code.CHECK_PAGE_MISSING]
    assert len(page_missing) == 1 and page_missing[0].path.endswith("nl-nl/guide.html")
    # The help-ID page redirects (meta refresh) to a page that exists only in en-us.
    help_nl = [r for r in report.results if r.occurrence.locale == "nl-nl"
               and r.occurrence.page == "help/7001001/index.html"]
    assert {(r.occurrence.tag, r.status) for r in help_nl} == {
        ("meta", Status.BROKEN), ("a", Status.BROKEN)}
    help_en = [r for r in report.results if r.occurrence.locale == "en-us"
               and r.occurrence.page == "help/7001001/index.html"]
    assert {r.status for r in help_en} == {Status.OK}
    nl_index = [r for r in report.results if r.occurrence.locale == "nl-nl"
                and r.occurrence.page == "index.html"]
    assert [r.status for r in nl_index] == [Status.BROKEN, Status.OK]


def test_findings_point_at_the_html_line_and_column(site: Path):
    report = check_site(site, local_settings(), external=False)

    finding = next(f for f in report.findings if f.code is Code.CHECK_ANCHOR_MISSING
                   and "#nope" in f.message)
    assert finding.path.endswith("en-us/index.html")
    assert finding.line == 8
    text = (site / "en-us" / "index.html").read_text().splitlines()[7]
    assert text[finding.column - 1:].startswith("guide.html#nope")
    assert finding.format().startswith(f"{finding.path}:8:{finding.column}: error "
                                       "check.anchor-missing: [en-us] guide.html#nope")


def test_only_some_locales_still_compared_with_the_source(site: Path):
    report = check_site(site, local_settings(), external=False, locales=["nl-NL"])

    assert [loc.name for loc in report.site.locales] == ["nl-nl"]
    assert {r.occurrence.locale for r in report.results} == {"nl-nl"}
    assert report.missing_pages == {"nl-nl": ["guide.html"]}


def test_site_url_links_are_internal_and_canonical_is_skipped(tmp_path: Path):
    site = write_site(tmp_path / "html", {"en-us": {
        "index.html": html_page(
            link("https://help.contoso.com/en-us/index.html"),
            link("https://help.contoso.com/en-us/gone.html"),
            '<link rel="canonical" href="https://help.contoso.com/en-us/index.html">'),
    }})

    with_url = check_site(site, local_settings(), site_url="https://help.contoso.com/",
                          external=False)
    without = check_site(site, local_settings(), external=False)

    assert [r.status for r in with_url.results] == [Status.OK, Status.BROKEN, Status.OK]
    assert [r.status for r in without.results] == [Status.SKIPPED] * 3


def test_single_locale_folder_is_a_site(tmp_path: Path):
    folder = tmp_path / "corpus-nl"
    folder.mkdir()
    (folder / "index.html").write_text(html_page(link("a.html"), link("b.html")))
    (folder / "a.html").write_text(html_page(link("index.html")))

    report = check_site(folder, local_settings(), external=False)

    assert [loc.name for loc in report.site.locales] == ["corpus-nl"]
    assert {(r.occurrence.page, r.occurrence.url): r.status for r in report.results} == {
        ("index.html", "a.html"): Status.OK, ("index.html", "b.html"): Status.BROKEN,
        ("a.html", "index.html"): Status.OK}
    assert report.missing_pages == {}


def test_scanner_ignores_comments_scripts_and_reads_escaped_urls():
    page = scan_page(html_page(
        "<!-- <a href='commented.html'>x</a> -->",
        "<script>var a = '<a href=\"script.html\">';</script>",
        '<a href="page.html?a=1&amp;b=2">x</a>',
        '<link rel="preconnect" href="https://fonts.example">',
        '<div id="target"></div><a name="old"></a><input name="not-an-anchor">',
    ).encode())

    assert [link.url for link in page.links] == ["page.html?a=1&b=2"]
    assert page.anchors == {"target", "old"}


def test_empty_or_broken_pages_do_not_crash():
    assert scan_page(b"").links == []
    assert scan_page(b"\x00\xff<<<>>>").anchors == frozenset()
