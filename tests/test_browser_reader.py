"""The reader's help site in a real browser: Debian's chromium driven by Playwright.

The sample site (every locale of conf.py) is built once per session and served from a
thread on 127.0.0.1 by the preview server's handler (missing pages under /<locale>/ get
that locale's 404 page). The browser is /usr/bin/chromium — never a downloaded one —
started headless once per session (conftest.py), with a fresh context for each test.
Without chromium the tests skip, except in CI (CI=true), where they fail: `make test`
installs chromium when it is missing.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.reader import (
    REPO,
    SampleSite,
    SharedChromium,
    reader_text,
    serving,
)

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 15_000
ARTICLES = ["account/add-users", "account/reset-password", "account/sign-in",
            "billing/cancel-subscription", "billing/change-payment-method",
            "billing/read-your-invoice", "data/export-data", "data/restore-deleted-files",
            "security/troubleshoot-sign-in-errors", "security/two-step-verification"]


def require_chromium() -> None:
    if CHROMIUM.is_file():
        return
    message = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def site(sample: SampleSite) -> Iterator[str]:
    with serving(sample.html) as url:
        yield url


@pytest.fixture
def browser_context(shared_chromium: SharedChromium) -> Iterator[object]:
    """A fresh context of the session's chromium for each test (nothing a test leaves in
    storage reaches the next); the browser language is Dutch (context locale, so
    navigator.languages and Accept-Language say nl-NL)."""
    require_chromium()
    browser = shared_chromium.browser(CHROMIUM, CHROMIUM_ARGS)
    context = browser.new_context(  # type: ignore[attr-defined]
        locale="nl-NL", viewport=DESKTOP,
        extra_http_headers={"Accept-Language": "nl-NL,nl;q=0.9"})
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: object) -> Iterator[object]:
    tab = browser_context.new_page()  # type: ignore[attr-defined]
    yield tab
    tab.close()


def html_lang(page: object) -> str:
    return page.evaluate("document.documentElement.lang")  # type: ignore[attr-defined]


def search_result_links(page: object) -> list[str]:
    """The result links of the search page (Pagefind's results in Sphinx's layout), once
    the search has finished."""
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.querySelector('#search-results .search-summary')?.innerText.trim()")
    return page.eval_on_selector_all(  # type: ignore[attr-defined]
        "#search-results ul.search li a", "links => links.map(a => a.pathname)")


# -- language of the reader ---------------------------------------------------------------

def test_root_page_sends_a_dutch_browser_to_nl_nl(page: object, site: str) -> None:
    assert page.evaluate("navigator.languages[0]") == "nl-NL"
    page.goto(f"{site}/")
    page.wait_for_url(f"{site}/nl-nl/index.html")
    assert html_lang(page) == "nl-NL"


def test_switcher_moves_the_same_page_to_german_by_keyboard(page: object, site: str) -> None:
    page.goto(f"{site}/nl-nl/billing/read-your-invoice.html")
    focus_by_tab(page, "nav.helpsite-languages summary")
    page.keyboard.press("Enter")
    focus_by_tab(page, 'nav.helpsite-languages a[hreflang="de-DE"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/de-de/billing/read-your-invoice.html")
    assert html_lang(page) == "de-DE"
    assert page.title() == "Ihre Rechnung lesen"


def focus_by_tab(page: object, selector: str, limit: int = 15) -> None:
    """Press Tab until ``selector`` has the focus (a keyboard user's path to it)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} not reached with {limit} presses of Tab")


def test_skip_link_is_the_first_tab_stop_and_jumps_to_the_article(
        page: object, site: str) -> None:
    page.goto(f"{site}/nl-nl/billing/read-your-invoice.html")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const a = document.activeElement;
        const box = a.getBoundingClientRect();
        return {cls: a.className, text: a.textContent, top: box.top, height: box.height}; }""")
    assert focused["cls"] == "helpsite-skip-link"
    assert focused["text"] == reader_text("nl", "Skip to content")
    assert focused["top"] >= 0 and focused["height"] > 0  # visible once focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#furo-main-content"


# -- search ---------------------------------------------------------------------------------

def test_dutch_search_with_an_inflected_form_finds_the_article(page: object, site: str) -> None:
    # "abonnementen" (plural) is nowhere in the index; the Dutch stemmer makes it
    # "abonnement", which the cancellation article uses.
    page.goto(f"{site}/nl-nl/search.html?q=abonnementen")
    assert "/nl-nl/billing/cancel-subscription.html" in search_result_links(page)


def test_japanese_search_splits_the_query_into_words(page: object, site: str) -> None:
    query = "パスワードをリセット"
    page.goto(f"{site}/ja-jp/search.html?q={query}")
    links = search_result_links(page)
    assert "/ja-jp/account/reset-password.html" in links
    assert all(link.startswith("/ja-jp/") for link in links)  # only the reader's locale
    assert page.evaluate("q => helpsitePrepareQuery(q)", query) == "パスワード を リセット"


def test_arabic_search_ignores_diacritics_and_the_article(page: object, site: str) -> None:
    page.goto(f"{site}/ar-sa/search.html?q=والفَاتُورَة")
    assert "/ar-sa/billing/read-your-invoice.html" in search_result_links(page)


def test_arabic_query_in_the_browser_is_normalized_as_the_indexer(
        page: object, site: str) -> None:
    from helpsite.search.pagefind import query_text

    words = ["الفاتورة", "والفَاتُورَة", "فالحساب", "بالبطاقة", "أحمد", "إدارة", "ـمرحبـا", "ولد"]
    page.goto(f"{site}/ar-sa/search.html")
    in_browser = page.evaluate("ws => ws.map(w => helpsitePrepareQuery(w))", words)
    assert in_browser == [query_text(w, "ar") for w in words]
    assert in_browser[1] == "الفاتورة"  # vowel marks and the conjunction gone


def test_japanese_segmenter_in_the_browser_matches_the_indexer(page: object, site: str) -> None:
    from helpsite.search.pagefind import SEPARATOR, segment, segmenter

    texts = ["パスワードをリセットする", "サインインできない場合は管理者に連絡してください",
             "二段階認証を設定します", "データをエクスポート"]
    page.goto(f"{site}/ja-jp/search.html")
    in_browser = page.evaluate("ts => ts.map(t => helpsitePrepareQuery(t).split(' '))", texts)
    breaker = segmenter("ja")
    assert in_browser == [segment(t, breaker).split(SEPARATOR) for t in texts]


# -- right to left ------------------------------------------------------------------------

def test_arabic_site_renders_right_to_left(page: object, site: str) -> None:
    page.goto(f"{site}/ar-sa/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    sidebar = page.locator(".sidebar-drawer").bounding_box()
    content = page.locator("article").bounding_box()
    assert sidebar["x"] > content["x"]  # navigation on the right-hand side


# -- help IDs and the 404 page ----------------------------------------------------------

def test_help_id_lands_on_the_article_keeping_the_fragment(page: object, site: str) -> None:
    page.goto(f"{site}/nl-nl/help/7003002/#payment-details")
    page.wait_for_url(f"{site}/nl-nl/billing/read-your-invoice.html#payment-details")
    assert page.title() == "Uw factuur lezen"


def test_help_id_of_two_articles_offers_both(page: object, site: str) -> None:
    page.goto(f"{site}/nl-nl/help/7001001/")
    links = page.eval_on_selector_all("ul.helpsite-help-choices a",
                                      "links => links.map(a => a.pathname)")
    assert links == ["/nl-nl/account/sign-in.html",
                     "/nl-nl/security/troubleshoot-sign-in-errors.html"]


def test_unknown_help_id_lands_on_the_localized_404_with_working_search(
        page: object, site: str) -> None:
    response = page.goto(f"{site}/nl-nl/help/7999999/")
    assert response.status == 404
    assert html_lang(page) == "nl-NL"
    assert page.inner_text("h1") == reader_text("nl", "Page not found")
    # The page's stylesheets load although it is shown two folders deep.
    assert page.evaluate("getComputedStyle(document.querySelector('.helpsite-topbar'))"
                         ".display") == "flex"
    page.fill("#helpsite-404-query", "abonnementen")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/nl-nl/search.html?q=abonnementen")
    assert "/nl-nl/billing/cancel-subscription.html" in search_result_links(page)


def test_missing_page_in_arabic_gets_the_arabic_404(page: object, site: str) -> None:
    response = page.goto(f"{site}/ar-sa/no/such/page.html")
    assert response.status == 404
    assert page.inner_text("h1") == reader_text("ar", "Page not found")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"


# -- translation status ---------------------------------------------------------------------

def test_machine_translation_banner_links_to_the_english_page(page: object, site: str) -> None:
    page.goto(f"{site}/ar-sa/billing/read-your-invoice.html")
    banner = page.locator(".helpsite-note-mt")
    assert banner.is_visible()
    banner.locator("a.helpsite-original-link").click()
    page.wait_for_url(f"{site}/en-us/billing/read-your-invoice.html")
    page.goto(f"{site}/nl-nl/billing/read-your-invoice.html")  # human translation
    assert page.locator(".helpsite-note-mt").count() == 0


def test_untranslated_paragraphs_are_visibly_marked(page: object, site: str) -> None:
    page.goto(f"{site}/ja-jp/security/troubleshoot-sign-in-errors.html")
    assert page.locator(".helpsite-note-partial").is_visible()
    marked = page.locator("p.helpsite-untranslated").first
    assert marked.get_attribute("lang") == "en-US"
    assert marked.evaluate("p => getComputedStyle(p).borderInlineStartStyle") == "dotted"


# -- print ------------------------------------------------------------------------------------

def test_print_shows_only_the_article_with_link_addresses(page: object, site: str) -> None:
    page.goto(f"{site}/nl-nl/billing/read-your-invoice.html")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.helpsite-topbar', '.sidebar-drawer', '.toc-drawer',
        '.mobile-header', '.related-pages'].map(s => document.querySelector(s))
        .filter(e => e).map(e => getComputedStyle(e).display)""")
    assert hidden and set(hidden) == {"none"}
    after = page.evaluate("""() => getComputedStyle(
        document.querySelector('article a.reference.external'), '::after').content""")
    assert "https://www.contoso.example/legal/billing-terms" in after
    assert page.locator("article h1").is_visible()


# -- accessibility ------------------------------------------------------------------------

def axe_pages(tag: str) -> list[str]:
    folder = tag.lower()
    pages = ["index.html", "billing/index.html", *[f"{a}.html" for a in ARTICLES],
             "404.html", "help/7001001/", "search.html?q=contoso"]
    return [f"/{folder}/{p}" for p in pages]


@pytest.mark.parametrize("tag", ["en-US", "nl-NL", "de-DE", "ja-JP", "ar-SA"])
def test_no_serious_accessibility_violations(page: object, site: str, tag: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()  # axe-core bundled with the package: nothing is downloaded
    problems = []
    for path in axe_pages(tag):
        page.goto(site + path)
        result = axe.run(page)
        for violation in result.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    assert problems == []


# -- screenshots ----------------------------------------------------------------------------

def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("tag", ["nl-NL", "ar-SA"])
@pytest.mark.parametrize(("kind", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots(page: object, site: str, tag: str, kind: str,
                     viewport: dict[str, int]) -> None:
    """Test artifacts in test-artifacts/screenshots/ (docs/images/ holds two of them)."""
    page.set_viewport_size(viewport)
    url = f"{site}/{tag.lower()}/billing/read-your-invoice.html"
    page.goto(url)
    # Earlier searches left highlight terms behind (Sphinx keeps them in localStorage).
    page.evaluate("localStorage.removeItem('sphinx_highlight_terms')")
    page.goto(url)
    page.evaluate("document.fonts.ready")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{tag.lower()}-{kind}.png"
    page.screenshot(path=str(target))
    assert png_size(target) == (viewport["width"], viewport["height"])
