"""Between pages and locales: language switcher, hreflang, sitemap.xml, the root chooser,
and the category navigation that stays small."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from helpers.site import BASE_URL, BuiltSite, build_fixture_site

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_fixture_site(tmp_path_factory)


def switcher_links(page: BeautifulSoup) -> dict[str, str]:
    nav = page.find("header", class_="helpsite-topbar").find("nav", class_="helpsite-languages")
    # the language links; the menu also links the translation-status page
    return {a["hreflang"]: a["href"] for a in nav.find_all("a", hreflang=True)}


@pytest.mark.parametrize("tag", ["en-US", "nl-NL", "ar-SA"])
def test_switcher_links_to_the_same_page_in_each_other_locale(site: BuiltSite,
                                                               tag: str) -> None:
    for pagename in ("billing/pay", "account/sign-in", "index", "account/index"):
        page = site.page(tag, pagename)
        links = switcher_links(page)
        others = {"en-US", "nl-NL", "ar-SA"} - {tag}
        assert set(links) == others, pagename
        here = site.html / tag.lower() / f"{pagename}.html"
        for other, href in links.items():
            target = (here.parent / href).resolve()
            assert target == (site.html / other.lower() / f"{pagename}.html").resolve()
            assert target.is_file()
        current = page.find("nav", class_="helpsite-languages").find(attrs={"aria-current":
                                                                              "page"})
        assert current["lang"] == tag


def test_switcher_names_each_language_in_that_language(site: BuiltSite) -> None:
    nav = site.page("en-US", "billing/pay").find("nav", class_="helpsite-languages")
    names = {a["lang"]: a.get_text() for a in nav.find_all("a", hreflang=True)}
    assert names == {"nl-NL": "Nederlands", "ar-SA": "العربية"}
    assert nav.find("a", lang="ar-SA")["dir"] == "rtl"


def hreflang(page: BeautifulSoup) -> dict[str, str]:
    return {link["hreflang"]: link["href"]
            for link in page.find_all("link", rel="alternate", hreflang=True)}


def test_hreflang_lists_translated_locales_and_x_default(site: BuiltSite) -> None:
    expected = {
        "en-US": f"{BASE_URL}en-us/billing/pay.html",
        "nl-NL": f"{BASE_URL}nl-nl/billing/pay.html",
        "ar-SA": f"{BASE_URL}ar-sa/billing/pay.html",
        "x-default": f"{BASE_URL}en-us/billing/pay.html",
    }
    for tag in ("en-US", "nl-NL", "ar-SA"):
        assert hreflang(site.page(tag, "billing/pay")) == expected
    # sign-in has no catalog in any locale: only the source and x-default are alternates
    assert set(hreflang(site.page("nl-NL", "account/sign-in"))) == {"en-US", "x-default"}
    canonical = site.page("nl-NL", "billing/pay").find("link", rel="canonical")
    assert canonical["href"] == f"{BASE_URL}nl-nl/billing/pay.html"


def parse_sitemap(path: Path) -> dict[str, dict[str, str]]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SITEMAP}urlset"
    urls = {}
    for url in root.findall(f"{SITEMAP}url"):
        loc = url.find(f"{SITEMAP}loc").text
        urls[loc] = {link.get("hreflang"): link.get("href")
                     for link in url.findall(f"{XHTML}link")}
    return urls


def test_sitemap_per_locale_with_alternates(site: BuiltSite) -> None:
    for tag in ("en-US", "nl-NL"):
        urls = parse_sitemap(site.html / tag.lower() / "sitemap.xml")
        folder = tag.lower()
        unsafe = f"{BASE_URL}{folder}/billing/unsafe.html"
        assert unsafe in urls
        assert urls[unsafe] == {
            "en-US": f"{BASE_URL}en-us/billing/unsafe.html",
            "nl-NL": f"{BASE_URL}nl-nl/billing/unsafe.html",
            "x-default": f"{BASE_URL}en-us/billing/unsafe.html",
        }
        assert f"{BASE_URL}{folder}/account/index.html" in urls  # generated category page
        # ROBOTS: NOINDEX pages are not offered for indexing
        assert f"{BASE_URL}{folder}/billing/pay.html" not in urls


def test_root_chooser_lists_locales_and_redirects_by_browser_language(site: BuiltSite) -> None:
    page = BeautifulSoup((site.html / "index.html").read_text(encoding="utf-8"), "lxml")
    links = {a["hreflang"]: a["href"] for a in page.find("main").find_all("a")}
    assert links == {"en-US": "en-us/index.html", "nl-NL": "nl-nl/index.html",
                     "ar-SA": "ar-sa/index.html"}
    for href in links.values():
        assert (site.html / href).is_file()
    script = page.find("script").string
    assert "navigator.languages" in script and "location.replace" in script
    assert page.find("a", hreflang="ar-SA")["dir"] == "rtl"


def sidebar(page: BeautifulSoup) -> BeautifulSoup:
    return page.find("div", class_="sidebar-tree")


def test_sidebar_lists_categories_and_only_the_current_category(site: BuiltSite) -> None:
    tree = sidebar(site.page("en-US", "billing/pay"))
    top = [li.find("a").get_text() for li in tree.find("ul").find_all("li", recursive=False)]
    assert top == ["Account", "Articles", "Billing"]
    current = tree.find("li", class_="current")
    assert current.find("a").get_text() == "Billing"
    titles = [a.get_text() for a in current.find("ul").find_all("a")]
    assert titles == ["Pay your bill", "Unsafe article"]  # the writer's toctree order
    assert "Sign in" not in tree.get_text()  # other categories stay collapsed


def test_large_category_is_split_into_parts(site: BuiltSite) -> None:
    # page size 2: the three account articles are two parts, sorted by title
    category = site.page("en-US", "account/index")
    parts = category.find("ul", class_="helpsite-parts").find_all("a")
    assert [a["href"] for a in parts] == ["part-1.html", "part-2.html"]
    part1 = site.page("en-US", "account/part-1").find("ul", class_="helpsite-articles")
    assert [a.get_text() for a in part1.find_all("a")] == ["Close your account",
                                                           "Edit your profile"]
    part2 = site.page("en-US", "account/part-2").find("ul", class_="helpsite-articles")
    assert [a.get_text() for a in part2.find_all("a")] == ["Sign in"]
    tree = sidebar(site.page("en-US", "account/sign-in"))
    assert len(tree.find_all("a")) == 3 + 2 + 1  # categories + parts + current part


def test_translated_titles_in_navigation(site: BuiltSite) -> None:
    tree = sidebar(site.page("nl-NL", "billing/unsafe"))
    assert "Uw rekening betalen" in [a.get_text() for a in tree.find_all("a")]
    assert tree.find("p", class_="caption").get_text() == "Categorieën"


def test_root_page_without_toctree_lists_the_categories(site: BuiltSite) -> None:
    listing = site.page("en-US", "index").find("ul", class_="helpsite-categories")
    assert [a["href"] for a in listing.find_all("a")] == [
        "account/index.html", "articles/index.html", "billing/index.html"]


def test_categories_by_front_matter_key(tmp_path: Path) -> None:
    from helpsite.sitebuild.localeprocess import run_locale
    from helpsite.sitebuild.plan import make_plan

    (tmp_path / "conf.py").write_text('extensions = ["helpsite.sphinx"]\n'
                                      'helpsite_category_key = "ms.service"\n')
    articles = {"index": None, "a": "Mail Flow", "b": "mail-flow", "c": "Billing", "d": None}
    for name, service in articles.items():
        line = f"ms.service: {service}\n" if service else ""
        (tmp_path / "source").mkdir(exist_ok=True)
        (tmp_path / "source" / f"{name}.md").write_text(
            f"---\ntitle: Article {name}\n{line}---\n# Article {name}\n\nText.\n")
    plan = make_plan(tmp_path, tmp_path / "source", tmp_path / "out")
    result = run_locale(plan, plan.builds[0])
    assert result.ok, result.output
    html = plan.builds[0].html_dir
    index = BeautifulSoup((html / "index.html").read_text(), "lxml")
    listed = [a["href"] for a in index.find("ul", class_="helpsite-categories").find_all("a")]
    assert listed == ["articles/index.html", "categories/billing/index.html",
                      "categories/mail-flow/index.html"]
    mail = BeautifulSoup((html / "categories/mail-flow/index.html").read_text(), "lxml")
    assert [a.get_text() for a in mail.find("ul", class_="helpsite-articles").find_all("a")] == [
        "Article a", "Article b"]
    # the article without the key is reported once, with its file
    reported = [p for p in result.problems if "build.category" in p]
    assert len(reported) == 1
    assert "/d.md:1: WARNING: build.category: no 'ms.service'" in reported[0]


def test_sidebar_markup_equals_what_furo_would_make_of_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import sphinx.locale
    from furo.navigation import get_navigation_tree
    from helpsite.sphinx.navigation import Category, Navigation, Part, sidebar_html

    # Sphinx keeps its translators per process: an earlier in-process build in another
    # language must not translate the labels compared here with Furo's English ones.
    monkeypatch.setattr(sphinx.locale, "translators", type(sphinx.locale.translators)())

    nav = Navigation(titles={f"a/{n}": f"Title {n}" for n in "wxyz"} | {"b/v": "V"})
    big = Category("a", "Big", "a/index", False, False, ["a/w", "a/x", "a/y", "a/z"])
    big.parts = [Part(1, "a/part-1", ["a/w", "a/x"], "W – X"),
                 Part(2, "a/part-2", ["a/y", "a/z"], "Y – Z")]
    small = Category("b", "Small", "b/index", True, True, ["b/v"])
    nav.categories = [big, small]
    nav.category_of = {"a/y": "a", "a/part-2": "a", "b/v": "b", "b/index": "b"}
    nav.part_of = {"a/y": 2, "a/part-2": 2}

    def uri(target: str) -> str:
        return target + ".html"

    for page in ("a/y", "a/part-2", "b/v", "b/index", "search"):
        ours = BeautifulSoup(sidebar_html(nav, page, uri, toggles=True), "html.parser")
        furos = BeautifulSoup(get_navigation_tree(sidebar_html(nav, page, uri)),
                              "html.parser")
        assert ours.decode() == furos.decode(), page


def test_titles_sort_in_the_alphabet_of_the_locale() -> None:
    """Code-point order puts Polish Ł after Z, Russian ё after я and a Thai leading vowel
    after every consonant."""
    from helpsite.sphinx.navigation import sort_key

    assert sorted(["Zmiana", "Łączenie", "Logowanie"], key=sort_key("pl-PL")) == \
        ["Logowanie", "Łączenie", "Zmiana"]
    assert sorted(["ไฟล์", "เปิด", "ตั้งค่า"], key=sort_key("th-TH")) == ["ตั้งค่า", "เปิด", "ไฟล์"]
    assert sorted(["яма", "ёж", "жук"], key=sort_key("ru-RU")) == ["ёж", "жук", "яма"]


def test_part_labels_are_cut_between_characters_and_by_width() -> None:
    """A Thai tone mark stays with its consonant; a Han character counts two columns."""
    from helpsite.sphinx.navigation import _short

    thai = "ที่" * 30  # each syllable: a consonant, a vowel mark and a tone mark
    cut = _short(thai)
    assert cut.endswith("…") and cut[:-1] == "ที่" * (len(cut[:-1]) // 3)
    assert _short("用戶端無法從未註冊的網域傳送郵件") == "用戶端無法從未註冊的網…"
    assert _short("Short title") == "Short title"
