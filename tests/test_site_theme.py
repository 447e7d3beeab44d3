"""The theme: Furo with the switcher in the site header, dark mode, the mobile layout, and
a right-to-left layout that really flips."""

from __future__ import annotations

import re

import pytest
from helpers.site import BuiltSite, build_fixture_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return build_fixture_site(tmp_path_factory)


def css_rules(css: str) -> dict[tuple[str, str], dict[str, str]]:
    """(media query or "", selector) → declarations, for a flat stylesheet."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules: dict[tuple[str, str], dict[str, str]] = {}

    def collect(block: str, media: str) -> None:
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block):
            declarations = {}
            for declaration in body.split(";"):
                if ":" in declaration:
                    name, value = declaration.split(":", 1)
                    declarations[name.strip()] = " ".join(value.split())
            for selector in selectors.split(","):
                rules.setdefault((media, " ".join(selector.split())), {}).update(declarations)

    for query, block in re.findall(r"@media([^{]+)\{((?:[^{}]*\{[^{}]*\})*)\s*\}", css):
        collect(block, " ".join(query.split()))
    collect(re.sub(r"@media[^{]+\{(?:[^{}]*\{[^{}]*\})*\s*\}", "", css), "")
    return rules


def stylesheet(site: BuiltSite, tag: str) -> str:
    page = site.page(tag, "billing/pay")
    links = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    href = next(h for h in links if "helpsite.css" in h)
    path = (site.html / tag.lower() / "billing" / href.split("?")[0]).resolve()
    return path.read_text(encoding="utf-8")


def test_rtl_rules_mirror_furo_layout(site: BuiltSite) -> None:
    rules = css_rules(stylesheet(site, "ar-SA"))
    assert rules[("", '[dir="rtl"] .sidebar-drawer')]["border-left"].startswith("1px solid")
    assert rules[("", '[dir="rtl"] .sidebar-drawer')]["border-right"] == "none"
    assert rules[("", '[dir="rtl"] .admonition')]["border-right"].startswith("0.2rem solid")
    assert rules[("", '[dir="rtl"] ol')]["padding-right"] == "1.2rem"
    assert rules[("", '[dir="rtl"] .toc-tree')]["border-right"].startswith("1px solid")
    assert rules[("", '[dir="rtl"] pre')]["direction"] == "ltr"  # code stays left to right
    mobile = rules[("(max-width: 63em)", '[dir="rtl"] .sidebar-drawer')]
    assert mobile["right"] == "-15em" and mobile["left"] == "auto"
    assert rules[("(max-width: 63em)", '[dir="rtl"] #__navigation:checked ~ .page '
                  ".sidebar-drawer")]["right"] == "0"


def test_switcher_is_in_the_site_header_of_every_page(site: BuiltSite) -> None:
    for pagename in ("billing/pay", "search", "genindex", "account/part-1", "index"):
        page = site.page("ar-SA", pagename)
        header = page.body.find("header", class_="helpsite-topbar")
        assert header is not None, pagename
        assert header.find("nav", class_="helpsite-languages").find("details") is not None


def test_dark_mode_and_mobile_layout_come_from_furo(site: BuiltSite) -> None:
    page = site.page("nl-NL", "billing/pay")
    assert page.find("meta", attrs={"name": "color-scheme"})["content"] == "light dark"
    assert page.find("meta", attrs={"name": "viewport"}) is not None
    assert page.find("button", class_="theme-toggle") is not None  # light / dark / auto
    # One header on every screen: on a phone the site header opens Furo's drawers (Furo's
    # own phone header, a second bar, is not drawn).
    assert page.find("header", class_="mobile-header") is None
    header = page.body.find("header", class_="helpsite-topbar")
    assert header.find("label", attrs={"for": "__navigation"}) is not None
    assert header.find("label", attrs={"for": "__toc"}) is not None
    assert any("furo.css" in link["href"] for link in page.find_all("link", rel="stylesheet"))
    script = page.body.find("script").string
    assert "document.body.dataset.theme" in script


def test_header_colours_follow_furo_variables(site: BuiltSite) -> None:
    rules = css_rules(stylesheet(site, "en-US"))
    topbar = rules[("", ".helpsite-topbar")]
    assert topbar["background"] == "var(--color-background-secondary)"
    assert topbar["color"] == "var(--color-foreground-primary)"
