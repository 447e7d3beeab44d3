"""The chrome around an article, as a reader meets it in Debian's chromium (Playwright).

One skip link (the first Tab stop, which moves the focus into the article), one visible
site title, one header bar on a phone, breadcrumbs (category › article, in the page's
language, schema.org BreadcrumbList), a "Read in English" link on every translated page,
untranslated titles marked with lang (and dir on a right-to-left page), the optional
"Was this page helpful?" form — on a desktop and a phone viewport, left to right and
right to left, and axe-core finds nothing serious.

One site is built for the module (the sample in en-US, nl-NL, ja-JP and ar-SA, and
``helpsite_feedback_url=/feedback``), served from a thread by the preview server's handler
plus a /feedback endpoint that records what the form sends; one chromium for the module and
one browser context per viewport. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import ClassVar
from urllib.parse import parse_qs

import pytest
from helpers.reader import QuietHandler, SampleSite, build_sample_site, reader_text, serving
from test_browser_reader import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    TIMEOUT_MS,
    png_size,
    require_chromium,
)

pytestmark = pytest.mark.browser

LOCALES = "en-US nl-NL ja-JP ar-SA"  # en-US: the pages "Read in English" opens
SITE_TITLE = "Contoso Cloud Help"
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
ARTICLE = "billing/read-your-invoice"
LANGUAGES = {"nl-NL": "nl", "ja-JP": "ja", "ar-SA": "ar"}


class FeedbackHandler(QuietHandler):
    """The preview server's handler, and POST /feedback: records the form's fields and
    answers 204 (the reader stays on the page)."""

    received: ClassVar[list[dict[str, list[str]]]] = []
    lock = threading.Lock()

    def do_POST(self) -> None:
        if self.path != "/feedback":
            self.send_error(404)
            return
        length = int(self.headers.get("Content-Length") or 0)
        fields = parse_qs(self.rfile.read(length).decode("utf-8"))
        with self.lock:
            FeedbackHandler.received.append(fields)
        self.send_response(204)
        self.end_headers()


@pytest.fixture(scope="module")
def chrome_site(tmp_path_factory: pytest.TempPathFactory) -> SampleSite:
    return build_sample_site(tmp_path_factory, locales=LOCALES,
                             defines=("helpsite_feedback_url=/feedback",))


@pytest.fixture(scope="module")
def site(chrome_site: SampleSite) -> Iterator[str]:
    with serving(chrome_site.html, FeedbackHandler) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def context(request: pytest.FixtureRequest, browser: object) -> Iterator[object]:
    """One browser context per viewport (module scope: the tests of one viewport share it)."""
    made = browser.new_context(viewport=VIEWPORTS[request.param])  # type: ignore[attr-defined]
    made.set_default_timeout(TIMEOUT_MS)
    made.viewport_name = request.param
    yield made
    made.close()


@pytest.fixture
def page(context: object) -> Iterator[object]:
    tab = context.new_page()  # type: ignore[attr-defined]
    yield tab
    tab.close()


def open_article(page: object, site: str, tag: str, docname: str = ARTICLE) -> None:
    page.goto(f"{site}/{tag.lower()}/{docname}.html")  # type: ignore[attr-defined]


VISIBLE_JS = """e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
        && !(s.clipPath && s.clipPath.startsWith('inset(50%')); }"""


def visible(page: object, selector: str) -> list[str]:
    """The text of every element matching ``selector`` that a reader can see."""
    return page.evaluate(  # type: ignore[attr-defined]
        f"""s => {{ const vis = {VISIBLE_JS};
        return [...document.querySelectorAll(s)].filter(vis).map(e => e.innerText.trim()); }}""",
        selector)


# -- one skip link, one site title, one header --------------------------------------------

@pytest.mark.parametrize("tag", ["nl-NL", "ar-SA"])
def test_one_skip_link_is_the_first_tab_stop_and_focuses_the_article(
        page: object, site: str, tag: str) -> None:
    open_article(page, site, tag)
    skip_links = page.eval_on_selector_all('a[href="#furo-main-content"]', "l => l.length")
    assert skip_links == 1
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, "
                            "document.activeElement.textContent.trim()]")
    assert focused == ["helpsite-skip-link", reader_text(LANGUAGES[tag], "Skip to content")]
    assert page.evaluate(f"({VISIBLE_JS})(document.activeElement)")  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "furo-main-content"
    # The next Tab continues inside the article, not at the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#furo-main-content')")


@pytest.mark.parametrize("tag", ["nl-NL", "ar-SA"])
def test_one_visible_site_title(page: object, site: str, tag: str) -> None:
    open_article(page, site, tag)
    # Every element whose own text is the site title, wherever the theme put it.
    titles = page.evaluate(f"""t => {{ const vis = {VISIBLE_JS};
        return [...document.querySelectorAll('body *')].filter(e =>
            e.children.length === 0 && e.textContent.trim() === t && vis(e)).length; }}""",
                           SITE_TITLE)
    assert titles == 1


@pytest.mark.parametrize("tag", ["nl-NL", "ar-SA"])
def test_one_header_bar_which_stays_on_top(page: object, site: str, tag: str) -> None:
    open_article(page, site, tag)
    assert len(visible(page, "header")) == 1
    page.evaluate("window.scrollTo({top: document.documentElement.scrollHeight, "
                  "behavior: 'instant'})")
    page.wait_for_function("window.scrollY > 300")
    top = page.evaluate("document.querySelector('header').getBoundingClientRect().top")
    if page.context.viewport_name == "phone":
        assert top == 0  # sticky: the navigation button stays in reach
        page.click("header label[for=__navigation]")
        # The drawer slides in (a 0.25 s transition) until it is wholly on the screen.
        page.wait_for_function("""w => { const r = document.querySelector('.sidebar-drawer')
            .getBoundingClientRect(); return r.left >= 0 && r.right <= w; }""", arg=PHONE["width"])
    else:
        assert page.locator("header label[for=__navigation]").is_hidden()


# -- breadcrumbs ------------------------------------------------------------------------------

def sidebar_category(chrome_site: SampleSite, tag: str, docname: str) -> tuple[str, str]:
    """(title, href) of the current category in the built page's sidebar."""
    soup = chrome_site.soup(tag, f"{docname}.html")
    link = soup.select_one(".sidebar-tree li.toctree-l1.current > a")
    return link.get_text(strip=True), link["href"]


@pytest.mark.parametrize("tag", ["nl-NL", "ja-JP", "ar-SA"])
def test_breadcrumbs_name_category_and_article_in_the_page_language(
        page: object, site: str, chrome_site: SampleSite, tag: str) -> None:
    open_article(page, site, tag)
    crumbs = page.locator("nav.helpsite-breadcrumbs li")
    assert page.locator("nav.helpsite-breadcrumbs").is_visible()
    category, href = sidebar_category(chrome_site, tag, ARTICLE)
    heading = page.locator("article h1").evaluate("h => h.firstChild.textContent.trim()")
    assert [text.strip() for text in crumbs.all_inner_texts()] == [category, heading]
    label = page.get_attribute("nav.helpsite-breadcrumbs", "aria-label")
    assert label == reader_text(LANGUAGES[tag], "Breadcrumbs")
    first, second = (crumbs.nth(i).bounding_box() for i in range(2))
    if tag == "ar-SA":
        assert second["x"] < first["x"]  # right to left
    else:
        assert second["x"] > first["x"]
    assert page.get_attribute("nav.helpsite-breadcrumbs li >> nth=1 >> [itemprop=name]",
                              "aria-current") == "page"
    assert href == "index.html"
    page.click("nav.helpsite-breadcrumbs a")
    assert page.url == f"{site}/{tag.lower()}/billing/index.html"
    assert page.locator("article h1").evaluate("h => h.firstChild.textContent.trim()") == \
        category


def test_breadcrumbs_are_a_schema_org_breadcrumb_list(chrome_site: SampleSite) -> None:
    soup = chrome_site.soup("nl-NL", f"{ARTICLE}.html")
    listing = soup.select_one("nav.helpsite-breadcrumbs ol")
    assert listing["itemtype"] == "https://schema.org/BreadcrumbList"
    items = listing.find_all("li", itemprop="itemListElement")
    assert [i["itemtype"] for i in items] == ["https://schema.org/ListItem"] * 2
    assert [i.find("meta", itemprop="position")["content"] for i in items] == ["1", "2"]
    assert items[0].find("a", itemprop="item")["href"] == "index.html"
    assert [i.find(itemprop="name").get_text() for i in items] == [
        "Facturering en abonnementen", "Uw factuur lezen"]
    assert soup.find("script", type="application/ld+json") is None  # microdata, no script


def test_no_breadcrumbs_on_the_home_and_category_pages(chrome_site: SampleSite) -> None:
    for page in ("index.html", "billing/index.html", "search.html"):
        assert chrome_site.soup("nl-NL", page).select("nav.helpsite-breadcrumbs") == [], page


# -- Read in English ------------------------------------------------------------------------

@pytest.mark.parametrize(("tag", "docname"), [
    ("nl-NL", "account/sign-in"),  # translated by a person
    ("ar-SA", ARTICLE),  # machine translation
    ("ja-JP", "data/export-data"),  # not translated at all
    ("nl-NL", "billing/index"),  # a category page
    ("ar-SA", "index"),
])
def test_read_in_english_goes_to_the_same_page_of_the_source_locale(
        page: object, site: str, tag: str, docname: str) -> None:
    open_article(page, site, tag, docname)
    link = page.locator(".helpsite-read-original a")
    assert link.is_visible()
    assert link.get_attribute("hreflang") == "en-US"
    with page.expect_navigation() as landing:
        link.click()
    assert landing.value.status == 200  # an existing page, not the 404 page
    assert page.url == f"{site}/en-us/{docname}.html"
    assert page.evaluate("document.documentElement.lang") == "en-US"
    assert page.locator(".helpsite-read-original").count() == 0  # the source page itself


def test_read_in_english_is_in_the_page_language(chrome_site: SampleSite) -> None:
    expected = {"nl-NL": "In het Engels lezen", "ja-JP": "英語で読む",
                "ar-SA": "اقرأ باللغة الإنجليزية"}
    for tag, label in expected.items():
        link = chrome_site.soup(tag, f"{ARTICLE}.html").select_one(".helpsite-read-original a")
        assert link.get_text() == label
        assert link["href"] == f"../../en-us/{ARTICLE}.html"


# -- untranslated titles ------------------------------------------------------------------

def english_titles(chrome_site: SampleSite, docname: str) -> dict[str, str]:
    soup = chrome_site.soup("en-US", f"{docname}.html")
    return {a["href"]: a.get_text(strip=True) for a in soup.select(".sidebar-tree a")}


@pytest.mark.parametrize("tag", ["ja-JP", "ar-SA"])
def test_untranslated_titles_in_sidebar_and_breadcrumbs_carry_their_language(
        chrome_site: SampleSite, tag: str) -> None:
    docname = "data/export-data"  # untranslated in ja-JP and ar-SA
    english = english_titles(chrome_site, docname)
    soup = chrome_site.soup(tag, f"{docname}.html")
    links = soup.select(".sidebar-tree a")
    marked = [a for a in links if a.get_text(strip=True) == english[a["href"]]]
    assert marked, "the sample has untranslated titles in this sidebar"
    for link in links:
        if link in marked:
            assert link.get("lang") == "en-US", link
            assert link.get("dir") == ("ltr" if tag == "ar-SA" else None), link
        else:
            assert link.get("lang") is None, link
    current = soup.select_one("nav.helpsite-breadcrumbs [aria-current=page]")
    assert current.get_text() == "Export your data"
    assert current.get("lang") == "en-US"
    assert current.get("dir") == ("ltr" if tag == "ar-SA" else None)


def test_translated_titles_carry_no_language_of_their_own(chrome_site: SampleSite) -> None:
    soup = chrome_site.soup("nl-NL", f"{ARTICLE}.html")
    assert soup.select(".sidebar-tree a[lang], nav.helpsite-breadcrumbs [lang]") == []


# -- "Was this page helpful?" ------------------------------------------------------------------

def test_feedback_form_sends_the_answer_page_and_locale(page: object, site: str) -> None:
    FeedbackHandler.received.clear()
    open_article(page, site, "nl-NL")
    form = page.locator("form.helpsite-feedback")
    assert form.locator("legend").inner_text() == reader_text("nl", "Was this page helpful?")
    with page.expect_response(f"{site}/feedback") as answer:
        form.get_by_role("button", name=reader_text("nl", "Yes")).click()
    assert answer.value.status == 204
    assert FeedbackHandler.received[-1] == {
        "helpful": ["yes"], "page": [ARTICLE], "locale": ["nl-NL"]}
    assert page.url == f"{site}/nl-nl/{ARTICLE}.html"  # the reader stays on the page


def test_feedback_form_is_plain_html_and_only_on_articles(chrome_site: SampleSite) -> None:
    soup = chrome_site.soup("ar-SA", f"{ARTICLE}.html")
    form = soup.select_one("form.helpsite-feedback")
    assert (form["action"], form["method"]) == ("/feedback", "post")
    assert [b["value"] for b in form.find_all("button")] == ["yes", "no"]
    assert [b.get_text() for b in form.find_all("button")] == [
        reader_text("ar", "Yes"), reader_text("ar", "No")]
    handlers = [a for e in form.find_all(True) for a in e.attrs if a.startswith("on")]
    assert handlers == [] and form.find("script") is None
    for page in ("index.html", "billing/index.html", "search.html", "404.html"):
        assert chrome_site.soup("ar-SA", page).select("form.helpsite-feedback") == [], page


def test_without_a_feedback_url_there_is_no_form() -> None:
    from helpsite.sphinx.confvalues import CONFIG_VALUES
    from helpsite.sphinx.readerui import feedback_form

    default = CONFIG_VALUES["helpsite_feedback_url"][0]
    app = SimpleNamespace(config=SimpleNamespace(helpsite_feedback_url=default))
    assert default == "" and feedback_form(app, ARTICLE) is None  # off by default


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "feedback",
                                 "//evil.example/f", "ftp://example.com/f", "https:///f"])
def test_a_feedback_url_that_is_no_web_address_stops_the_build(url: str) -> None:
    from helpsite.sphinx.confvalues import check_feedback
    from sphinx.errors import ConfigError

    config = SimpleNamespace(helpsite_feedback_url=url, helpsite_feedback_method="post")
    with pytest.raises(ConfigError, match="write an https://"):
        check_feedback(config)


def test_feedback_url_and_method_that_are_accepted() -> None:
    from helpsite.sphinx.confvalues import check_feedback
    from sphinx.errors import ConfigError

    for url in ("https://feedback.contoso.example/help", "http://127.0.0.1:8080/f", "/f"):
        config = SimpleNamespace(helpsite_feedback_url=f" {url} ", helpsite_feedback_method="GET")
        check_feedback(config)
        assert (config.helpsite_feedback_url, config.helpsite_feedback_method) == (url, "get")
    config = SimpleNamespace(helpsite_feedback_url="/f", helpsite_feedback_method="put")
    with pytest.raises(ConfigError, match="write 'post' or 'get'"):
        check_feedback(config)


# -- accessibility and screenshots -------------------------------------------------------------

@pytest.mark.parametrize("tag", ["nl-NL", "ja-JP", "ar-SA"])
def test_chrome_has_no_serious_accessibility_violations(page: object, site: str,
                                                         tag: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    for docname in (ARTICLE, "data/export-data", "billing/index", "index"):
        open_article(page, site, tag, docname)
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{docname}: {violation['id']} {targets}")
    assert problems == []


@pytest.mark.parametrize("tag", ["nl-NL", "ja-JP", "ar-SA"])
def test_screenshots(page: object, site: str, tag: str) -> None:
    """test-artifacts/screenshots/chrome-<locale>-<viewport>.png; docs/images/ holds them."""
    open_article(page, site, tag)
    page.evaluate("document.fonts.ready")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"chrome-{tag.lower()}-{page.context.viewport_name}.png"
    page.screenshot(path=str(target))
    viewport = VIEWPORTS[page.context.viewport_name]
    assert png_size(target) == (viewport["width"], viewport["height"])
