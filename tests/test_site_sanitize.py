"""The raw HTML policy: the sanitizer itself, and built pages from unsafe sources and
unsafe translations."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from helpers.site import BuiltSite, build_fixture_site
from helpsite.sphinx.sanitize import DROPPED, UNSAFE, sanitize_html, url_kind


@pytest.mark.parametrize(("fragment", "html", "kinds"), [
    ('<a name="pay-now">', '<a id="pay-now">', []),
    ("</a>", "</a>", []),
    ("<BR/>", "<br>", []),
    ('<img src="media/x.png" alt="A card" width="40">',
     '<img src="media/x.png" alt="A card" width="40">', []),
    ('<img src="x.png" onerror="alert(1)">', '<img src="x.png">', [UNSAFE]),
    ("<script>alert(1)</script>", "", [UNSAFE]),
    ("<style>body{}</style>ok", "ok", [UNSAFE]),
    ('<img src="javascript:alert(1)">', "", [UNSAFE]),
    ('<img src="JaVa&#x09;Script:alert(1)">', "", [UNSAFE]),
    ('<img src="data:text/html;base64,PHNjcmlwdD4=">', "", [UNSAFE]),
    ('<img src="data:image/png;base64,iVBORw0KGgo=">',
     '<img src="data:image/png;base64,iVBORw0KGgo=">', []),
    ('<a href="javascript:alert(1)">x</a>', "x</a>", [UNSAFE, DROPPED]),
    ('<div onclick="x()">text</div>', "text", [UNSAFE, DROPPED]),
    ("<user name>", "&lt;user name&gt;", [DROPPED]),
    ("<!-- a writer's comment -->", "", []),
    ("1 < 2", "1 &lt; 2", []),
])
def test_sanitize_html(fragment: str, html: str, kinds: list[str]) -> None:
    result = sanitize_html(fragment)
    assert result.html == html
    assert [d.kind for d in result.drops] == kinds


def test_script_split_over_fragments_stays_open() -> None:
    opened = sanitize_html("<script>")
    assert opened.open_element == "script"
    closing = sanitize_html("x()</script> after", inside=opened.open_element)
    assert closing.html == " after" and closing.open_element is None


@pytest.mark.parametrize(("url", "kind"), [
    ("https://example.test/", None), ("../billing/pay.md", None), ("mailto:a@b.test", None),
    ("ms-settings:display", None), ("javascript:alert(1)", UNSAFE),
    (" JAVASCRIPT:alert(1)", UNSAFE), ("java\nscript:x", UNSAFE), ("vbscript:x", UNSAFE),
    ("data:text/html,x", UNSAFE),
])
def test_url_kind(url: str, kind: str | None) -> None:
    assert url_kind(url) == kind


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_fixture_site(tmp_path_factory)


def assert_nothing_unsafe(page: BeautifulSoup) -> None:
    article = page.find("article")
    assert article.find("script") is None
    for element in article.find_all(True):
        assert not [a for a in element.attrs if a.lower().startswith("on")], element
        for attribute in ("href", "src"):
            value = element.get(attribute, "")
            assert not re.match(r"\s*(javascript|vbscript|data:text)", value, re.I), element
    assert "alert(" not in article.get_text() and "steal(" not in article.get_text()


def test_unsafe_source_article(site: BuiltSite) -> None:
    for tag in ("en-US", "nl-NL", "ar-SA"):
        page = site.page(tag, "billing/unsafe")
        assert_nothing_unsafe(page)
        text = " ".join(page.find("article").get_text(" ").split())
        assert "Before after." in text
        assert "A bad link here." in text  # the link text stays, the target goes
        img = page.find("article").find("img")
        assert img["src"].endswith("pic.png") and set(img.attrs) == {"src"}
        problems = site.problems(tag)
        assert any(re.search(r"billing/unsafe\.md:8: WARNING: build\.html-unsafe: <script>", p)
                   for p in problems)
        assert any(re.search(r"unsafe\.md:10: .*build\.html-unsafe: event handler onerror", p)
                   for p in problems)
        assert any(re.search(r"unsafe\.md:12: .*build\.url-unsafe: .*javascript:", p)
                   for p in problems)


def test_unsafe_translation_is_never_published(site: BuiltSite) -> None:
    page = site.page("nl-NL", "billing/pay")
    assert_nothing_unsafe(page)
    # the catalog reader leaves the unsafe translation out: the reader gets the source text
    paragraph = next(p for p in page.find("article").find_all("p")
                     if "unsafe things" in p.get_text())
    assert paragraph["lang"] == "en-US"
    assert "Hier" not in page.find("article").get_text()
    refused = [p for p in site.problems("nl-NL") if "pay.po:" in p]
    assert refused, site.problems("nl-NL")
    assert all(re.search(r"billing/pay\.po:\d+: WARNING: qa\.unsafe-html: ", p) for p in refused)
    assert not [p for p in site.problems("en-US") if "pay.po" in p or "pay.md" in p]


def test_disallowed_html_in_a_translation_is_dropped_and_reported(site: BuiltSite) -> None:
    page = site.page("nl-NL", "billing/pay")
    paragraph = next(p for p in page.find("article").find_all("p")
                     if "Selecteer" in p.get_text())
    assert paragraph.find("u") is None
    assert " ".join(paragraph.get_text(" ").split()) == "Selecteer de knop."
    reported = [p for p in site.problems("nl-NL") if "(in the nl-NL translation)" in p]
    assert len(reported) == 1
    # reported at the line of the source text the translation belongs to
    assert re.search(r"billing/pay\.md:26: WARNING: build\.html-dropped: <u> tag", reported[0])


def test_javascript_links_never_reach_a_page_even_when_myst_accepts_them(tmp_path) -> None:
    from helpsite.sitebuild.localeprocess import run_locale
    from helpsite.sitebuild.plan import make_plan

    (tmp_path / "conf.py").write_text(
        'extensions = ["helpsite.sphinx"]\n'
        'myst_url_schemes = ["http", "https", "javascript", "data"]\n')
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "index.md").write_text(
        "---\ntitle: Links\n---\n# Links\n\n[ok](https://example.test/) and "
        "[bad](javascript:alert(1)) and [worse](data:text/html,x).\n")
    plan = make_plan(tmp_path, tmp_path / "source", tmp_path / "out")
    result = run_locale(plan, plan.builds[0])
    assert result.ok, result.output
    page = BeautifulSoup((plan.builds[0].html_dir / "index.html").read_text(), "lxml")
    assert_nothing_unsafe(page)
    hrefs = [a["href"] for a in page.find("article").find_all("a", href=True)
             if not a["href"].startswith("#")]
    assert hrefs == ["https://example.test/"]
    assert "bad" in page.find("article").get_text()
    unsafe = [p for p in result.problems if "build.url-unsafe" in p]
    assert len(unsafe) == 2 and all("index.md:6:" in p for p in unsafe)
