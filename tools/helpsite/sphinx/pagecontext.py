"""What every HTML page gets: head metadata, the language switcher, the bounded sidebar,
the category pages, and the date under the title.

Theme-neutral output goes through the standard context (``metatags``, ``title``,
``toctree``); the Furo templates of this package add ``<html dir>`` and the switcher.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from helpsite.locales import locale_info, sphinx_language
from helpsite.sphinx import navigation, ui
from helpsite.sphinx.alternates import absolute_url, alternates, hreflang_links
from helpsite.sphinx.dates import date_html
from helpsite.sphinx.pages import PageInfo, pages


def current_navigation(app: Sphinx) -> navigation.Navigation:
    nav = getattr(app.env, "helpsite_nav", None)
    if nav is None:
        nav = navigation.build_navigation(app.env, app.config)
        app.env.helpsite_nav = nav
    return nav


def relative_uri(app: Sphinx, pagename: str) -> Callable[[str], str]:
    return lambda target: app.builder.get_relative_uri(pagename, target)


def _meta(name: str, content: str, attribute: str = "name") -> str:
    return f'<meta {attribute}="{html.escape(name)}" content="{html.escape(content)}">'


def page_meta(app: Sphinx, pagename: str, info: PageInfo | None, title: str) -> list[str]:
    tag = app.config.helpsite_locale
    tags: list[str] = []
    description = info.description if info else None
    if description:
        tags.append(_meta("description", description))
    if info and info.robots:
        tags.append(_meta("robots", info.robots))
    values: dict[str, str] = dict(info.meta) if info else {}
    if info:
        values.update(info.translation_meta)
    if info is not None:
        values["ms.contentlocale"] = tag
    tags.extend(_meta(key, value) for key, value in values.items())
    tags.append(_meta("og:title", title, "property"))
    if description:
        tags.append(_meta("og:description", description, "property"))
    tags.append(_meta("og:locale", sphinx_language(tag), "property"))
    url = absolute_url(app, tag, pagename)
    if url:
        tags.append(_meta("og:url", url, "property"))
    for hreflang, href in hreflang_links(app, pagename):
        tags.append(f'<link rel="alternate" hreflang="{html.escape(hreflang)}" '
                    f'href="{html.escape(href)}">')
    return tags


def on_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    nav = current_navigation(app)
    uri = relative_uri(app, pagename)
    info = pages(app.env).get(pagename)
    title = (info.title if info else None) or context.get("title") or ""
    if title:
        context["title"] = html.escape(title)
    head = page_meta(app, pagename, info, title)
    context["metatags"] = context.get("metatags", "") + "\n    ".join(["", *head])
    # Sphinx's site-wide toctree, which Furo renders on every page, is replaced by the
    # bounded category navigation; Furo gets an empty one here and the finished tree
    # from on_page_context_after_theme (so it does not re-parse it per page).
    # helpsite_sidebar = "theme" keeps the theme's own (for comparisons).
    if app.config.helpsite_sidebar != "theme":
        context["toctree"] = lambda **kwargs: ""
        context["helpsite_sidebar"] = lambda toggles=False: navigation.sidebar_html(
            nav, pagename, uri, toggles=toggles)
    locale = locale_info(app.config.helpsite_locale)
    context["helpsite"] = {
        "tag": locale.tag,
        "dir": locale.direction,
        "page_title": title,
        "languages": alternates(app, pagename),
        "language_label": ui.text("Language"),
        "choose_label": ui.text("Choose a language"),
        "state": info.state if info else "source",
    }


def on_page_context_after_theme(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """After Furo's handler: the sidebar tree, already in Furo's markup."""
    sidebar = context.get("helpsite_sidebar")
    if sidebar is None:
        return
    context["toctree"] = lambda **kwargs: sidebar()
    if "furo_navigation_tree" in context:
        context["furo_navigation_tree"] = sidebar(toggles=True)


def on_collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    nav = current_navigation(app)
    for pagename in sorted(nav.generated):
        title, body = navigation.generated_page_body(nav, pagename, relative_uri(app, pagename))
        yield pagename, {"title": html.escape(title), "body": body}, "page.html"


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    nav = current_navigation(app)
    uri = relative_uri(app, docname)
    info = pages(app.env).get(docname)
    if info and info.date and app.config.helpsite_show_date:
        _after_title(doctree, nodes.raw("", date_html(info.date, app.config.helpsite_locale),
                                        format="html"))
    listing = _listing_for(app, nav, docname, uri)
    if listing:
        section = next(iter(doctree.findall(nodes.section)), None)
        (section if section is not None else doctree).append(
            nodes.raw("", listing, format="html"))


def _listing_for(app: Sphinx, nav: navigation.Navigation, docname: str,
                 uri: Callable[[str], str]) -> str:
    """Category links on a root page without toctree; article links on a category page
    the writer made without one."""
    if docname == app.config.root_doc:
        if app.env.toctree_includes.get(docname):
            return ""
        return navigation.categories_html(nav, uri)
    key = nav.category_of.get(docname)
    category = nav.category(key) if key else None
    if category is None or category.page != docname or category.managed:
        return ""
    if category.parts:
        return navigation.parts_html(category, uri)
    return navigation.listing_html(nav, category.articles, uri)


def _after_title(doctree: nodes.document, node: nodes.Node) -> None:
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, node)
