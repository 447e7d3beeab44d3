"""The theme: helpsite's theme inherits Furo's templates (no copy of Furo's base.html), Furo's
<html> gets the locale's lang and dir, and html_theme = "furo" builds Furo's own pages.

The checks of Furo's templates fail when an upgrade of Furo changes what helpsite's
templates or the <html> change rely on (a block gone, the <html> tag written otherwise)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import jinja2
import jinja2.nodes
import pytest
from bs4 import BeautifulSoup
from helpers.site import BuiltSite, build_fixture_site, build_locales, write_project
from helpsite.sitebuild.plan import make_plan
from helpsite.sphinx import compat, confvalues, theming
from helpsite.sphinx.compat import CompatError

THEME = confvalues.THEME_DIR / confvalues.THEME
# Pages of each kind: an article, a category, the root, Furo's search and index pages, the
# 404 page and the translation-status page.
PAGES = ("billing/pay", "billing/index", "index", "search", "genindex", "404",
         "translation-status")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_fixture_site(tmp_path_factory)


# Sphinx's templates are parsed with the i18n extension ({% trans %}).
JINJA = jinja2.Environment(extensions=["jinja2.ext.i18n"])


def furo_source(name: str) -> str:
    return (compat.furo_theme_folder() / name).read_text(encoding="utf-8")


def blocks_defined(source: str) -> set[str]:
    return {block.name for block in JINJA.parse(source).find_all(jinja2.nodes.Block)}


def blocks_called(source: str) -> set[str]:
    """The blocks a template renders by name: ``{{ self.content() }}``."""
    return {node.attr for node in JINJA.parse(source).find_all(jinja2.nodes.Getattr)
            if isinstance(node.node, jinja2.nodes.Name) and node.node.name == "self"}


def extended(source: str) -> str:
    (extends,) = JINJA.parse(source).find_all(jinja2.nodes.Extends)
    assert isinstance(extends.template, jinja2.nodes.Const)
    return str(extends.template.value)


# --- helpsite's templates against Furo's -----------------------------------------------------


@pytest.mark.parametrize("name", ["base.html", "page.html"])
def test_each_template_extends_furos_and_uses_only_its_blocks(name: str) -> None:
    source = (THEME / name).read_text(encoding="utf-8")
    assert extended(source) == f"furo/{name}"
    furo = furo_source(name)
    assert blocks_defined(source) <= blocks_defined(furo)
    assert blocks_called(source) <= blocks_defined(furo) | blocks_defined(furo_source("base.html"))


def test_the_base_template_copies_no_markup_of_furo() -> None:
    """The markup base.html writes (not its comments): a title and the skip link, no more."""
    template = JINJA.parse((THEME / "base.html").read_text(encoding="utf-8"))
    markup = "".join(node.data for node in template.find_all(jinja2.nodes.TemplateData))
    assert set(re.findall(r"<([a-z]+)", markup)) == {"title", "a"}


def test_furos_html_tag_gets_the_attributes_and_nothing_else_changes() -> None:
    source = furo_source("base.html")
    changed = compat.furo_html_tag_with(source, ' dir="rtl"')
    (tag,) = [line for line in changed.splitlines() if line.startswith("<html")]
    assert tag.endswith(' dir="rtl">') and 'lang="{{ language }}"' in tag
    assert changed.replace(' dir="rtl"', "", 1) == source


@pytest.mark.parametrize("source", [
    "<!doctype html>\n<head></head>",  # no <html> tag at all
    '<html lang="{{ language }}">\n<html lang="{{ language }}">',  # two
    '<html class="no-js" lang="{{ lang_tag }}">',  # lang from something else
    '<!doctype html><html lang="{{ language }}">',  # not at the start of a line
])
def test_a_changed_furo_base_template_stops_the_build_naming_the_range(source: str) -> None:
    with pytest.raises(CompatError) as raised:
        compat.furo_html_tag_with(source, ' dir="rtl"')
    message = str(raised.value)
    assert "furo" in message and compat.declared_range("furo") in message


def test_only_furos_base_template_is_changed(tmp_path: Path) -> None:
    ours = THEME / "base.html"
    extension = theming.HtmlDirection(jinja2.Environment())
    source = ours.read_text(encoding="utf-8")
    assert extension.preprocess(source, "base.html", str(ours)) == source
    furo = compat.furo_theme_folder() / "base.html"
    assert theming.DIR_ATTRIBUTE in extension.preprocess(furo_source("base.html"),
                                                          "furo/base.html", str(furo))


# --- the built site ----------------------------------------------------------------------


@pytest.mark.parametrize(("tag", "direction"), [("en-US", "ltr"), ("ar-SA", "rtl")])
def test_every_kind_of_page_has_the_locales_lang_and_dir(site: BuiltSite, tag: str,
                                                         direction: str) -> None:
    for pagename in PAGES:
        html = site.page(tag, pagename).html
        assert (html["lang"], html["dir"]) == (tag, direction), pagename


def test_one_viewport_one_title_one_skip_link(site: BuiltSite) -> None:
    for pagename in PAGES:
        page = site.page("nl-NL", pagename)
        assert len(page.find_all("meta", attrs={"name": "viewport"})) == 1, pagename
        assert len(page.head.find_all("title")) == 1, pagename
        skip = page.body.find_all("a", class_="helpsite-skip-link")
        assert len(skip) == 1 and skip[0]["href"] == "#furo-main-content", pagename
        assert page.find(class_="skip-to-content") is None, pagename  # Furo's own is left out
    # The article's title alone: the site title is in the header.
    assert site.page("en-US", "billing/pay").title.string == "Pay your bill"


# --- html_theme = "furo" -------------------------------------------------------------------


def test_plain_furo_is_furos_layout_with_lang_and_dir(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    plan = make_plan(root, root / "source", root / "build", locales="ar-SA",
                     defines=["html_theme=furo"])
    build_locales(plan)
    page = BeautifulSoup((plan.html_root / "ar-sa" / "billing" / "pay.html").read_text(
        encoding="utf-8"), "lxml")
    assert (page.html["lang"], page.html["dir"]) == ("ar-SA", "rtl")
    assert page.find("header", class_="mobile-header") is not None  # Furo's phone header
    assert page.find("header", class_="helpsite-topbar") is None
    assert page.find(class_="skip-to-content") is not None  # Furo's skip link
    assert page.find("a", class_="helpsite-skip-link") is None
    assert len(page.find_all("meta", attrs={"name": "viewport"})) == 1
    # helpsite's additions that need no theme: the category sidebar, the help-ID pages.
    assert page.find(class_="sidebar-tree").find("a", string="Billing") is not None
    assert list((plan.html_root / "ar-sa" / "help").glob("*/index.html"))


def test_plain_furo_is_said_once_and_helpsite_is_not() -> None:
    with mock.patch.object(theming, "logger") as logger:
        theming.note_plain_furo(mock.Mock(), SimpleNamespace(html_theme="helpsite"))
        logger.info.assert_not_called()
        theming.note_plain_furo(mock.Mock(), SimpleNamespace(html_theme="furo"))
    (call,) = logger.info.call_args_list
    assert 'html_theme = "furo"' in call.args[0] and 'html_theme = "helpsite"' in call.args[0]
