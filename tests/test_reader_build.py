"""Reader features that depend on settings and input the sample site does not have: the
translated-share threshold, the 404 page's site path, a help ID that cannot be an address,
machine translation declared in a source tree's front matter; and the preview server's
404 handling."""

from __future__ import annotations

import textwrap
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.reader import reader_text, serving
from helpsite.sitebuild.localeprocess import LocaleResult, run_locale
from helpsite.sitebuild.plan import make_plan

CONF = """\
project = "Reader Fixture"
extensions = ["helpsite.sphinx"]
helpsite_source_locale = "en-US"
helpsite_locales = ["nl-NL"]
"""

ARTICLE = """\
---
title: Rename a workspace
description: Give a workspace a new name.
ms.translationtype: MT
ms.custom:
- "7100001"
- "9004197/7378"
---
# Rename a workspace

Open the workspace settings.

Type the new name.

Select Save.
"""

INDEX = """\
---
title: Reader Fixture
---
# Reader Fixture

```{toctree}
rename
```
"""

CATALOG = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: nl_NL\\n"
"X-Meta-ms.translationtype: HT\\n"

msgid "Rename a workspace"
msgstr "Een werkruimte hernoemen"

msgid "Give a workspace a new name."
msgstr ""

msgid "Open the workspace settings."
msgstr "Open de instellingen van de werkruimte."

msgid "Type the new name."
msgstr ""

msgid "Select Save."
msgstr ""
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reader-project")
    for name, text in {"conf.py": CONF, "source/index.md": INDEX, "source/rename.md": ARTICLE,
                       "locales/nl-NL/LC_MESSAGES/rename.po": CATALOG}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def build(project: Path, out: Path, locale: str, *defines: str) -> LocaleResult:
    plan = make_plan(project, project / "source", out, locales=locale, defines=list(defines))
    result = run_locale(plan, plan.builds[0])
    assert result.ok, result.output
    return result


def soup(out: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((out / "html" / page).read_text(encoding="utf-8"), "lxml")


@pytest.fixture(scope="module")
def dutch(project: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LocaleResult]:
    out = tmp_path_factory.mktemp("dutch")
    return out, build(project, out, "nl-NL")


def test_page_below_the_threshold_gets_a_note(dutch: tuple[Path, LocaleResult]) -> None:
    out, _result = dutch
    page = soup(out, "nl-nl/rename.html")
    note = page.select_one("div.helpsite-note-partial")
    # 2 of the 5 messages (title, description, three paragraphs) are translated.
    assert note is not None and "40%" in note.get_text()
    assert [p.get_text() for p in page.select("p.helpsite-untranslated")] == [
        "Type the new name.", "Select Save."]
    # The front matter says MT, but the Dutch translation is human (catalog header).
    assert page.select("div.helpsite-note-mt") == []


def test_threshold_is_a_setting_and_the_404_follows_the_site_path(
        project: Path, tmp_path: Path) -> None:
    build(project, tmp_path, "nl-NL", "helpsite_min_translated_share=0.4",
          "helpsite_site_path=/docs/")
    page = soup(tmp_path, "nl-nl/rename.html")
    assert page.select("div.helpsite-note-partial") == []
    assert page.select("p.helpsite-untranslated")  # the marking stays
    form = soup(tmp_path, "nl-nl/404.html").find("form", class_="helpsite-404-search")
    assert form["action"] == "/docs/nl-nl/search.html"


def test_help_id_that_cannot_be_an_address_is_reported(
        dutch: tuple[Path, LocaleResult]) -> None:
    out, result = dutch
    warnings = [p for p in result.problems if "build.help-id-invalid" in p]
    assert len(warnings) == 1 and "9004197/7378" in warnings[0]
    assert "rename" in warnings[0]
    assert (out / "html/nl-nl/help/7100001/index.html").is_file()
    assert not (out / "html/nl-nl/help/9004197").exists()
    redirect = soup(out, "nl-nl/help/7100001/index.html")
    # Without helpsite_base_url the canonical address is the article's relative one.
    assert redirect.find("link", rel="canonical")["href"] == "../../rename.html"


def test_front_matter_mt_gives_a_banner_in_a_source_tree(
        project: Path, tmp_path: Path) -> None:
    build(project, tmp_path, "en-US")
    page = soup(tmp_path, "en-us/rename.html")
    banner = page.select_one("div.helpsite-note-mt")
    assert banner is not None
    assert banner.select("a") == []  # no other language to link to


def test_removed_help_id_loses_its_page(project: Path, tmp_path: Path) -> None:
    stale = tmp_path / "html/nl-nl/help/7100999"
    stale.mkdir(parents=True)
    (stale / "index.html").write_text("<!doctype html>", encoding="utf-8")
    build(project, tmp_path, "nl-NL")
    assert not stale.exists()
    assert (tmp_path / "html/nl-nl/help/7100001/index.html").is_file()


# -- the preview server ---------------------------------------------------------------------

@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "nl-nl").mkdir()
    (tmp_path / "nl-nl/index.html").write_text("<p>start</p>", encoding="utf-8")
    (tmp_path / "nl-nl/404.html").write_text("<h1>Pagina niet gevonden</h1>",
                                             encoding="utf-8")
    (tmp_path / "de-de").mkdir()
    return tmp_path


def fetch(url: str, method: str = "GET") -> tuple[int, str]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_preview_server_answers_a_missing_locale_page_with_its_404(tree: Path) -> None:
    with serving(tree) as site:
        assert fetch(f"{site}/nl-nl/index.html") == (200, "<p>start</p>")
        assert fetch(f"{site}/nl-nl/help/7999999/") == (404, "<h1>Pagina niet gevonden</h1>")
        assert fetch(f"{site}/nl-nl/help/7999999/", "HEAD") == (404, "")
        status, body = fetch(f"{site}/de-de/missing.html")  # a locale without 404 page
        assert status == 404 and "Pagina" not in body
        status, body = fetch(f"{site}/missing.html")
        assert status == 404 and "Pagina" not in body
        status, body = fetch(f"{site}/..%2Fnl-nl/x.html")
        assert status == 404 and "Pagina" not in body


def test_reader_strings_are_translated_for_every_shipped_language() -> None:
    for language in ("nl", "de", "ja", "ar", "he"):
        assert reader_text(language, "Page not found")
        assert "{share}" in reader_text(
            language, "Only {share} of this article is translated. The rest is shown in "
            "{source_language}, marked with a dotted line.")


def test_threshold_that_is_not_a_share_is_reported(project: Path, tmp_path: Path) -> None:
    result = build(project, tmp_path, "nl-NL", "helpsite_min_translated_share=most")
    warnings = [p for p in result.problems if "helpsite_min_translated_share" in p]
    assert len(warnings) == 1 and "a number from 0 to 1" in warnings[0] and "0.8" in warnings[0]
    assert "Traceback" not in result.output
    page = soup(tmp_path, "nl-nl/rename.html")  # the default share (0.8) applies
    assert page.select("div.helpsite-note-partial")
