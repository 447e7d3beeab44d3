"""What a built page carries: head metadata from the front matter, translated title and
description, <html lang/dir>, stable heading anchors, Babel dates, fallback marking."""

from __future__ import annotations

import pytest
from helpers.site import BuiltSite, build_fixture_site, meta, text_of


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_fixture_site(tmp_path_factory)


def test_title_and_description_come_from_front_matter(site: BuiltSite) -> None:
    page = site.page("en-US", "billing/pay")
    assert page.title.string == "Pay your bill"
    assert meta(page, "description") == "Pay the monthly invoice by card or bank transfer."
    og = page.find("meta", attrs={"property": "og:title"})
    assert og["content"] == "Pay your bill"


@pytest.mark.parametrize(("tag", "title", "description"), [
    ("nl-NL", "Uw rekening betalen", "Betaal de maandfactuur met een kaart of per overschrijving."),
    ("ar-SA", "ادفع فاتورتك", "Pay the monthly invoice by card or bank transfer."),
])
def test_title_and_description_are_translated(site: BuiltSite, tag: str, title: str,
                                              description: str) -> None:
    page = site.page(tag, "billing/pay")
    assert page.title.string == title
    assert page.find("h1").get_text().rstrip("¶") == title  # H1 = title: one message
    assert meta(page, "description") == description  # untranslated in ar-SA: the source


def test_robots_and_ms_metadata(site: BuiltSite) -> None:
    for tag in ("en-US", "nl-NL"):
        page = site.page(tag, "billing/pay")
        assert meta(page, "robots") == "noindex, nofollow"
        assert meta(page, "author") == "writer1"
        assert meta(page, "ms.author") == "wone"
        assert meta(page, "ms.topic") == "article"
        assert meta(page, "ms.service") == "fixture-cloud"
        assert meta(page, "ms.date") == "04/15/2021"
        assert meta(page, "ms.custom") == "7001001, 7001002"
        assert meta(page, "ms.contentlocale") == tag
    assert meta(site.page("en-US", "account/sign-in"), "robots") is None


def test_translation_metadata_comes_from_the_catalog_header(site: BuiltSite) -> None:
    assert meta(site.page("nl-NL", "billing/pay"), "ms.translationtype") == "HT"
    assert meta(site.page("nl-NL", "billing/pay"), "ms.lasthandoff") == "05/01/2021"
    assert meta(site.page("ar-SA", "billing/pay"), "ms.translationtype") == "MT"
    assert meta(site.page("en-US", "billing/pay"), "ms.translationtype") is None


@pytest.mark.parametrize(("tag", "direction"), [
    ("en-US", "ltr"), ("nl-NL", "ltr"), ("ar-SA", "rtl")])
def test_html_lang_and_dir(site: BuiltSite, tag: str, direction: str) -> None:
    for pagename in ("billing/pay", "index", "search", "account/index"):
        html = site.page(tag, pagename).html
        assert html["lang"] == tag, pagename
        assert html["dir"] == direction, pagename


def test_heading_ids_are_the_source_slugs_in_every_locale(site: BuiltSite) -> None:
    ids = {}
    for tag in ("en-US", "nl-NL", "ar-SA"):
        page = site.page(tag, "billing/pay")
        sections = page.find("article").find_all("section")
        ids[tag] = [s["id"] for s in sections]
        h2 = page.find("h2")
        assert h2.parent["id"] == "add-a-card"
        # the raw <a name> pair became the section id and is gone from the heading
        assert page.find("h1").find("a", attrs={"name": True}) is None
        assert page.find("h1").find("a", id=True) is None
    assert ids["en-US"] == ["pay-your-bill", "add-a-card"]
    assert ids["nl-NL"] == ids["en-US"] == ids["ar-SA"]
    nl_h2 = site.page("nl-NL", "billing/pay").find("h2").get_text()
    assert "Een kaart toevoegen" in nl_h2  # the heading is translated, its id is not
    link = site.page("nl-NL", "billing/pay").find("a", string="het kaartgedeelte")
    assert link["href"] == "#add-a-card"


def test_date_is_formatted_with_babel_in_the_page_locale(site: BuiltSite) -> None:
    expected = {"en-US": "April 15, 2021", "nl-NL": "15 april 2021", "ar-SA": "15 أبريل 2021"}
    for tag, text in expected.items():
        time = site.page(tag, "billing/pay").find("p", class_="helpsite-date").find("time")
        assert time["datetime"] == "2021-04-15"
        assert time.get_text() == text
    label = site.page("nl-NL", "billing/pay").find("p", class_="helpsite-date").get_text()
    assert label.startswith("Laatst bijgewerkt op")


def test_untranslated_messages_are_marked_as_source_language(site: BuiltSite) -> None:
    article = site.page("nl-NL", "billing/pay").find("article")
    translated = article.find("p", string="Deze alinea is vertaald.")
    assert translated is not None and translated.get("lang") is None
    english = [p for p in article.find_all("p") if "stays in English" in p.get_text()]
    assert len(english) == 1 and english[0]["lang"] == "en-US"
    assert english[0].find("br") is not None  # allowlisted inline HTML survives


def test_page_without_catalog_is_source_language_with_a_note(site: BuiltSite) -> None:
    page = site.page("nl-NL", "account/sign-in")
    section = page.find("article").find("section")
    assert section["lang"] == "en-US"
    note = section.find("div", class_="helpsite-note-fallback")
    assert note["lang"] == "nl-NL"
    assert "nog niet beschikbaar in het Nederlands" in text_of(note)
    assert "Engels" in text_of(note)
    assert page.title.string == "Sign in"
    assert site.page("en-US", "account/sign-in").find(class_="helpsite-note") is None


def test_machine_translated_article_gets_a_note(site: BuiltSite) -> None:
    page = site.page("ar-SA", "billing/pay")
    note = page.find("div", class_="helpsite-note-mt")
    assert note is not None and note["lang"] == "ar-SA"
    assert site.page("nl-NL", "billing/pay").find("div", class_="helpsite-note-mt") is None


def test_translation_of_an_older_source_says_it_may_be_out_of_date(site: BuiltSite) -> None:
    stale = site.page("ar-SA", "billing/pay").find("div", class_="helpsite-note-stale")
    assert stale is not None and stale["lang"] == "ar-SA"
    assert "قديمة" in text_of(stale)  # in the reader's language
    # completed for the current source: no note
    assert site.page("nl-NL", "billing/pay").find("div", class_="helpsite-note-stale") is None


def test_builds_report_no_unexpected_warnings(site: BuiltSite) -> None:
    for tag in ("en-US", "nl-NL", "ar-SA"):
        expected = ("build.html-", "build.url-", "qa.unsafe-html")  # test_site_sanitize
        unexpected = [p for p in site.problems(tag) if not any(c in p for c in expected)]
        assert unexpected == [], tag


def test_untranslated_titles_in_sidebars_and_listings_say_their_language(
        site: BuiltSite) -> None:
    """billing/unsafe has no Arabic catalog: wherever an Arabic page shows its English
    title, the link says lang="en-US"; translated titles carry no lang of their own."""
    page = site.page("ar-SA", "billing/pay")
    sidebar = page.find("div", class_="sidebar-tree")
    assert sidebar is not None
    links = {a["href"]: a for a in sidebar.find_all("a", href=True)}
    assert links["unsafe.html"].get("lang") == "en-US"
    assert links["unsafe.html"].get_text() == "Unsafe article"
    assert links[""].get("lang") is None and links[""].get_text() == "ادفع فاتورتك"
    listing = site.page("ar-SA", "billing/index").find("ul", class_="helpsite-articles")
    if listing is not None:  # a category page the writer did not list by hand
        assert listing.find("a", string="Unsafe article")["lang"] == "en-US"
    # In Dutch only the category page billing/index has no catalog: its English title is
    # marked, every translated title is not.
    dutch = site.page("nl-NL", "billing/pay").find("div", class_="sidebar-tree")
    marked = {a.get_text(): a.get("lang") for a in dutch.find_all("a") if a.get("lang")}
    assert marked == {"Billing": "en-US"}
