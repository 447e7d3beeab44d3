"""Reader features in the built sample site, read from the HTML and JSON the build wrote:
help-ID pages and help-ids.json, translation status, 404 pages, sharing metadata, the
print stylesheet and each locale's search index."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.numbers import format_percent
from bs4 import BeautifulSoup
from helpers.reader import REPO, SampleSite, build_sample_site, catalog, reader_text
from helpsite.article import parse_article
from helpsite.sphinx.helpids import split_help_ids
from helpsite.sphinx.search import SearchArabic, stem_arabic

BASE_URL = "https://help.contoso.example/"
TARGETS = ["nl-NL", "de-DE", "ja-JP", "ar-SA"]
ALL = ["en-US", *TARGETS]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleSite:
    return build_sample_site(tmp_path_factory)


def source_help_ids() -> dict[str, list[str]]:
    """help ID → docnames, read from the front matter of source/ (not from the build)."""
    ids: dict[str, list[str]] = {}
    for path in sorted((REPO / "source").rglob("*.md")):
        article = parse_article(path.read_text(encoding="utf-8"), path, str(path))
        docname = path.relative_to(REPO / "source").with_suffix("").as_posix()
        for help_id in split_help_ids(article.metadata.get("ms.custom"))[0]:
            ids.setdefault(help_id, []).append(docname)
    return ids


def resolve(page: Path, href: str) -> Path:
    return Path(posixpath.normpath(str(page.parent / urlsplit(href).path)))


def title_of(sample: SampleSite, tag: str, docname: str) -> str:
    return sample.soup(tag, f"{docname}.html").title.get_text()


# -- help IDs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("tag", ALL)
def test_help_ids_json_maps_every_id_to_its_articles(sample: SampleSite, tag: str) -> None:
    data = json.loads(sample.path(tag, "help-ids.json").read_text(encoding="utf-8"))
    expected = source_help_ids()
    assert len(expected["7001001"]) == 2  # the sample shares one ID between two articles
    assert data["locale"] == tag
    assert data["base_url"] == f"{BASE_URL}{tag.lower()}/"
    assert set(data["ids"]) == set(expected)
    for help_id, entry in data["ids"].items():
        assert entry["url"] == f"help/{help_id}/"
        assert [a["docname"] for a in entry["articles"]] == expected[help_id]
        for article in entry["articles"]:
            assert sample.path(tag, article["url"]).is_file()
            assert article["absolute_url"] == f"{BASE_URL}{tag.lower()}/{article['url']}"
            assert article["title"] == title_of(sample, tag, article["docname"])


def test_help_ids_json_titles_are_in_the_locale(sample: SampleSite) -> None:
    titles = {tag: json.loads(sample.path(tag, "help-ids.json").read_text(encoding="utf-8"))
              ["ids"]["7003002"]["articles"][0]["title"] for tag in ("en-US", "nl-NL", "ar-SA")}
    assert titles == {"en-US": "Read your invoice", "nl-NL": "Uw factuur lezen",
                      "ar-SA": "قراءة الفاتورة"}


def test_each_id_of_one_article_gets_a_redirect_page(sample: SampleSite) -> None:
    singles = {i: d[0] for i, d in source_help_ids().items() if len(d) == 1}
    assert len(singles) >= 5
    for help_id, docname in singles.items():
        path = sample.path("nl-NL", f"help/{help_id}/index.html")
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        article = sample.path("nl-NL", f"{docname}.html")
        refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
        delay, _, href = refresh.partition("; url=")
        assert delay == "0" and resolve(path, href) == article
        script = soup.find("script").string
        assert script == f"location.replace({json.dumps(href)} + location.hash);"
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert soup.find("link", rel="canonical")["href"] == \
            f"{BASE_URL}nl-nl/{docname}.html"
        link = soup.find("main").find("a")
        assert resolve(path, link["href"]) == article
        assert title_of(sample, "nl-NL", docname) in link.get_text()
        assert soup.html["lang"] == "nl-NL"


def test_shared_id_gets_a_chooser_in_the_readers_language(sample: SampleSite) -> None:
    for tag, language in (("nl-NL", "nl"), ("ja-JP", "ja")):
        path = sample.path(tag, "help/7001001/index.html")
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        assert soup.find("meta", attrs={"http-equiv": "refresh"}) is None
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert soup.h1.get_text() == reader_text(language, "Help ID {id}").format(id="7001001")
        links = soup.select("ul.helpsite-help-choices a")
        assert [resolve(path, a["href"]) for a in links] == [
            sample.path(tag, "account/sign-in.html"),
            sample.path(tag, "security/troubleshoot-sign-in-errors.html")]
        assert [a.get_text() for a in links] == [
            title_of(sample, tag, "account/sign-in"),
            title_of(sample, tag, "security/troubleshoot-sign-in-errors")]


@pytest.mark.parametrize(("value", "ids", "rejected"), [
    ("7001001", ["7001001"], []),
    (7001001, ["7001001"], []),
    (["7001001", "7001002", "7001001"], ["7001001", "7001002"], []),
    ("9000192, 9004357", ["9000192", "9004357"], []),
    ("commerce_billing", ["commerce_billing"], []),
    ("9004197/7378", [], ["9004197/7378"]),
    ([None, {"a": 1}, "", "<b>"], [], ["<b>"]),
])
def test_help_ids_are_read_from_every_shape_of_ms_custom(
        value: object, ids: list[str], rejected: list[str]) -> None:
    assert split_help_ids(value) == (ids, rejected)


# -- 404 --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("tag", "language"), [("nl-NL", "nl"), ("de-DE", "de"),
                                               ("ja-JP", "ja"), ("ar-SA", "ar")])
def test_404_page_is_localized_with_search_and_rooted_links(
        sample: SampleSite, tag: str, language: str) -> None:
    folder = tag.lower()
    soup = sample.soup(tag, "404.html")
    assert soup.html["lang"] == tag
    assert soup.h1.get_text() == reader_text(language, "Page not found")
    form = soup.find("form", class_="helpsite-404-search")
    assert form["action"] == f"/{folder}/search.html"
    assert form.find("input", attrs={"name": "q"}) is not None
    assert form.find("label").get_text() == reader_text(language, "Search the help")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    # Shown at any depth (/nl-nl/help/123/), so no link may be relative.
    for element in soup.find_all(["a", "link", "script", "img", "form"]):
        url = element.get("href") or element.get("src") or element.get("action")
        if not url or url.startswith(("#", "https://", "http://", "mailto:")):
            continue
        assert url.startswith("/"), f"relative URL {url!r} in {element.name}"
        assert (sample.html / urlsplit(url).path.lstrip("/")).exists(), url
    assert soup.html["data-content_root"] == f"/{folder}/"


# -- translation status -----------------------------------------------------------------------

def test_machine_translation_banner_links_to_the_source_page(sample: SampleSite) -> None:
    page = sample.path("ar-SA", "billing/read-your-invoice.html")
    assert "X-Meta-ms.translationtype: MT" in (
        REPO / "locales/ar-SA/LC_MESSAGES/billing/read-your-invoice.po").read_text()
    soup = sample.soup("ar-SA", "billing/read-your-invoice.html")
    banner = soup.select_one("div.helpsite-note-mt")
    assert banner["lang"] == "ar-SA"
    link = banner.select_one("a.helpsite-original-link")
    assert resolve(page, link["href"]) == sample.path("en-US", "billing/read-your-invoice.html")
    assert link.get_text() == reader_text(
        "ar", "Read the original article in {source_language}.").format(
            source_language="الإنجليزية")
    human = sample.soup("nl-NL", "billing/read-your-invoice.html")
    assert human.select("div.helpsite-note-mt") == []


def test_partly_translated_page_says_how_much_and_marks_the_rest(sample: SampleSite) -> None:
    docname = "security/troubleshoot-sign-in-errors"
    po = catalog("ja-JP", docname)
    share = len(po.translated_entries()) / len([e for e in po if not e.obsolete])
    assert 0 < share < 0.8
    soup = sample.soup("ja-JP", f"{docname}.html")
    note = soup.select_one("div.helpsite-note-partial").get_text(" ", strip=True)
    assert format_percent(share, locale="ja_JP") in note
    english = {p.get_text() for p in sample.soup("en-US", f"{docname}.html").select("article p")}
    marked = soup.select("p.helpsite-untranslated")
    assert marked and all(p["lang"] == "en-US" and p.get_text() in english for p in marked)
    translated = [p for p in soup.select("article p") if p.get_text() not in english]
    assert translated and not any("helpsite-untranslated" in p.get("class", [])
                                  for p in translated)


def test_fully_translated_page_has_no_status_note(sample: SampleSite) -> None:
    soup = sample.soup("nl-NL", "security/troubleshoot-sign-in-errors.html")
    assert soup.select(".helpsite-note") == []
    assert soup.select(".helpsite-untranslated") == []


def test_catalog_without_translations_counts_as_not_translated(sample: SampleSite) -> None:
    po = catalog("ja-JP", "billing/read-your-invoice")
    assert len(po) and not po.translated_entries()
    soup = sample.soup("ja-JP", "billing/read-your-invoice.html")
    assert soup.select("div.helpsite-note-fallback")
    assert soup.select("div.helpsite-note-partial") == []


def test_translated_image_text_is_not_marked_as_source_language(sample: SampleSite) -> None:
    image = sample.soup("nl-NL", "billing/read-your-invoice.html").select_one("article img")
    assert image["alt"].startswith("Een factuur")
    assert image.get("lang") is None


# -- sharing and print --------------------------------------------------------------------

@pytest.mark.parametrize(("tag", "og_locale"), [("nl-NL", "nl_NL"), ("ja-JP", "ja_JP"),
                                                ("de-DE", "de_DE")])
def test_open_graph_and_twitter_meta_are_in_the_pages_language(
        sample: SampleSite, tag: str, og_locale: str) -> None:
    docname = "billing/change-payment-method"
    po = catalog(tag, docname)
    fields = {e.comment.removeprefix("front matter: "): e.msgstr for e in po
              if e.comment.startswith("front matter: ")}
    soup = sample.soup(tag, f"{docname}.html")

    def content(attribute: str, name: str) -> str:
        return soup.find("meta", attrs={attribute: name})["content"]

    assert fields["title"] and fields["description"]
    assert content("property", "og:title") == content("name", "twitter:title") == fields["title"]
    assert content("property", "og:description") == fields["description"]
    assert content("name", "twitter:description") == fields["description"]
    assert content("property", "og:locale") == og_locale
    assert content("property", "og:type") == "article"
    assert content("property", "og:site_name") == "Contoso Cloud Help"
    assert content("name", "twitter:card") == "summary"
    alternates = {m["content"] for m in soup.find_all("meta", property="og:locale:alternate")}
    assert og_locale not in alternates and "en_US" in alternates


def test_every_page_links_the_print_stylesheet(sample: SampleSite) -> None:
    css = sample.path("nl-NL", "_static/helpsite-print.css").read_text(encoding="utf-8")
    assert css.lstrip().startswith("/*") and "@media print" in css
    hidden = re.search(r"\{([^{}]*display:\s*none\s*!important[^{}]*)\}", css)
    rule_start = css.rindex("@media print {", 0, hidden.start()) + len("@media print {")
    selectors = css[rule_start:hidden.start()]
    for selector in (".helpsite-topbar", ".helpsite-languages", ".sidebar-drawer",
                     ".toc-drawer"):
        assert selector in selectors
    assert 'content: " (" attr(href) ")"' in css
    pages = [p for p in sample.html.joinpath("nl-nl").rglob("*.html")
             if "help" not in p.parts or p.name != "index.html"]
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        link = soup.find("link", href=re.compile(r"helpsite-print\.css"))
        assert link is not None and link["media"] == "print", page


# -- search per locale ------------------------------------------------------------------------

def search_index(sample: SampleSite, tag: str) -> dict[str, object]:
    text = sample.path(tag, "searchindex.js").read_text(encoding="utf-8")
    assert text.startswith("Search.setIndex(") and text.endswith(")")
    return json.loads(text[len("Search.setIndex("):-1])


def pages_of(index: dict[str, object], term: str) -> set[str]:
    found = index["terms"].get(term, [])
    found = [found] if isinstance(found, int) else found
    titled = index["titleterms"].get(term, [])
    titled = [titled] if isinstance(titled, int) else titled
    return {index["docnames"][i] for i in [*found, *titled]}


@pytest.mark.compat
def test_dutch_index_is_stemmed(sample: SampleSite) -> None:
    index = search_index(sample, "nl-NL")
    assert "abonnementen" not in index["terms"]
    assert "billing/cancel-subscription" in pages_of(index, "abonnement")
    assert "Uw factuur lezen" in index["titles"]
    assert "Read your invoice" not in index["titles"]  # results only in the locale


@pytest.mark.compat
def test_german_index_is_stemmed(sample: SampleSite) -> None:
    from sphinx.search.de import SearchGerman

    stem = SearchGerman({}).stem("Rechnungen")
    assert stem != "rechnungen"
    assert "billing/read-your-invoice" in pages_of(search_index(sample, "de-DE"), stem)


@pytest.mark.compat
def test_japanese_index_holds_words_not_sentences(sample: SampleSite) -> None:
    index = search_index(sample, "ja-JP")
    assert "account/reset-password" in pages_of(index, "パスワード")
    assert "account/reset-password" in pages_of(index, "リセット")
    assert not [t for t in index["terms"] if len(t) > 12 and not t.isascii()]
    script = sample.path("ja-JP", "_static/language_data.js").read_text(encoding="utf-8")
    assert "helpsiteSegmenter" in script and "function splitQuery" in script


@pytest.mark.compat
def test_arabic_index_is_normalized_and_stemmed(sample: SampleSite) -> None:
    index = search_index(sample, "ar-SA")
    arabic = [t for t in index["terms"] if re.search("[\u0600-\u06ff]", t)]
    assert len(arabic) > 100
    assert not [t for t in arabic if re.search("[\u064b-\u065f\u0670\u0640]", t)]
    # "الفاتورة" (the invoice) is indexed without its article, as "فاتورة" is.
    assert stem_arabic("الفاتوره") == stem_arabic("فاتوره")
    assert "billing/read-your-invoice" in pages_of(index, stem_arabic("فاتوره"))
    script = sample.path("ar-SA", "_static/language_data.js").read_text(encoding="utf-8")
    assert "helpsiteNormalizeArabic" in script


@pytest.mark.parametrize("tag", TARGETS)
def test_search_page_texts_are_complete_and_plurals_numeric(
        sample: SampleSite, tag: str) -> None:
    text = sample.path(tag, "_static/translations.js").read_text(encoding="utf-8")
    data = json.loads(text[text.index("(") + 1:text.rindex(")")])
    assert data["plural_expr"].startswith("Number(")
    empty = [k for k, v in data["messages"].items()
             if not v or (isinstance(v, list) and not all(v))]
    assert empty == []
    found = data["messages"]["Search finished, found one page matching the search query."]
    assert isinstance(found, list) and any("${resultCount}" in form for form in found)


# -- search languages (no build) ----------------------------------------------------------

def test_arabic_words_with_and_without_marks_and_article_meet() -> None:
    language = SearchArabic({})
    words = language.split("والفَاتُورَة، الفاتورة وفاتورة ـفاتورةـ")
    assert len(words) == 4
    assert {language.stem(w) for w in words} == {"فاتور"}
    assert language.word_filter(language.stem("في")) is False


def test_hebrew_words_with_and_without_vowel_points_meet() -> None:
    from helpsite.sphinx.search import SearchHebrew

    language = SearchHebrew({})
    pointed, plain = language.split("שָׁלוֹם שלום")
    assert language.stem(pointed) == language.stem(plain) == "שלום"


def test_chinese_without_jieba_is_indexed_in_character_pairs() -> None:
    from helpsite.sphinx.search import SearchChineseBigrams

    language = SearchChineseBigrams({})
    assert language.split("重置密码，Contoso 帐") == ["重置", "置密", "密码", "Contoso", "帐"]


def test_japanese_text_is_cut_at_punctuation_before_segmenting() -> None:
    from helpsite.sphinx.search import SearchJapaneseSegmented

    language = SearchJapaneseSegmented({})
    words = language.split("パスワードをリセットします。Contoso Cloud にサインイン")
    assert "パスワード" in words and "リセット" in words
    assert "Contoso" in words and "Cloud" in words
    assert not [w for w in words if " " in w or "。" in w]
