"""``404.html`` of each locale: "page not found" in the reader's language, with search.

A web server shows the 404 page at whatever address was asked for (``/nl-nl/help/123/``,
``/nl-nl/a/b/c.html``), so the page's relative links would point nowhere. Its links are
therefore rooted at the locale folder's path on the server (``/nl-nl/``, or
``/docs/nl-nl/`` when ``helpsite_base_url`` is ``https://example.com/docs/``; set
``helpsite_site_path`` when the path differs). The page is written through
``html-collect-pages`` like every page, and a late ``html-page-context`` handler roots the
URLs the theme makes (``pathto``, stylesheet and script tags, sidebar, language menu).
Fragment links (``#furo-main-content``, SVG icons) stay as they are. See
docs/reader-features.md for the host configuration (Netlify, nginx, Apache, …).
"""

from __future__ import annotations

import dataclasses
import html
import posixpath
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from sphinx.application import Sphinx

from helpsite.locales import locale_info
from helpsite.sphinx import readerui

PAGENAME = "404"
_URL_ATTRIBUTE = re.compile(r'\b(href|src|action)="([^"]*)"')
_ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#)")


def site_path(app: Sphinx) -> str:
    """The URL path of the site root on the server, with slashes at both ends."""
    configured = app.config.helpsite_site_path
    if configured is None:
        configured = urlsplit(app.config.helpsite_base_url or "/").path or "/"
    return "/" + configured.strip("/") + "/" if configured.strip("/") else "/"


def locale_path(app: Sphinx) -> str:
    return f"{site_path(app)}{locale_info(app.config.helpsite_locale).folder}/"


def rooted(prefix: str, url: str) -> str:
    """A URL relative to the locale root, made absolute-path (``../de-de/x.html`` under
    ``/nl-nl/`` is ``/de-de/x.html``); absolute URLs and fragments stay."""
    if not url or _ABSOLUTE.match(url):
        return url
    path, mark, rest = _split_suffix(url)
    joined = posixpath.normpath(prefix + path) if path else prefix.rstrip("/")
    if path.endswith("/") or not path:
        joined += "/"
    return joined + mark + rest


def _split_suffix(url: str) -> tuple[str, str, str]:
    for mark in ("?", "#"):
        if mark in url:
            path, rest = url.split(mark, 1)
            return path, mark, rest
    return url, "", ""


def root_html(prefix: str, snippet: str) -> str:
    return _URL_ATTRIBUTE.sub(
        lambda m: f'{m.group(1)}="{html.escape(rooted(prefix, html.unescape(m.group(2))))}"',
        snippet)


def page_body(app: Sphinx) -> str:
    uri = lambda target: app.builder.get_relative_uri(PAGENAME, target)  # noqa: E731
    label = readerui.text("Search the help")
    explanation = readerui.text("The page you are looking for does not exist or has moved.")
    return (
        '<section id="page-not-found">'
        f"<h1>{html.escape(readerui.text('Page not found'))}</h1>"
        f"<p>{html.escape(explanation)}</p>"
        f'<form class="helpsite-404-search" action="{html.escape(uri("search"))}" '
        'method="get" role="search">'
        f'<label for="helpsite-404-query">{html.escape(label)}</label> '
        '<input type="search" id="helpsite-404-query" name="q" autofocus> '
        f'<button type="submit">{html.escape(readerui.text("Search"))}</button>'
        "</form>"
        f'<p><a href="{html.escape(uri(app.config.root_doc))}">'
        f"{html.escape(readerui.text('Go to the home page'))}</a></p>"
        "</section>"
    )


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if app.builder.format != "html" or not app.config.helpsite_404_page:
        return
    title = readerui.text("Page not found")
    yield PAGENAME, {
        "title": html.escape(title),
        "body": root_html(locale_path(app), page_body(app)),
        "metatags": '<meta name="robots" content="noindex">',
    }, "page.html"


def _wrap(prefix: str, function: Callable[..., str]) -> Callable[..., str]:
    return lambda *args, **kwargs: root_html(prefix, str(function(*args, **kwargs)))


def root_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 doctree: object) -> None:
    """``html-page-context``, after the theme: every URL of the 404 page rooted."""
    if pagename != PAGENAME or pagename in app.env.found_docs:
        return
    prefix = locale_path(app)
    pathto = context["pathto"]
    context["pathto"] = lambda target, resource=False: rooted(prefix, pathto(target, resource))
    for name in ("css_tag", "js_tag", "toctree", "helpsite_sidebar"):
        if callable(context.get(name)):
            context[name] = _wrap(prefix, context[name])
    if isinstance(context.get("furo_navigation_tree"), str):
        context["furo_navigation_tree"] = root_html(prefix, context["furo_navigation_tree"])
    context["content_root"] = prefix
    context["pageurl"] = None  # a 404 page has no canonical address
    hs = context.get("helpsite")
    if isinstance(hs, dict) and hs.get("languages"):
        hs["languages"] = [dataclasses.replace(option, href=rooted(prefix, option.href))
                           for option in hs["languages"]]


def register(app: Sphinx) -> None:
    app.add_config_value("helpsite_404_page", True, "html", types=(bool,),
                         description="Write 404.html in each locale folder.")
    app.add_config_value(
        "helpsite_site_path", None, "html", types=(str, type(None)),
        description="URL path of the site root on the web server, for the links of the "
                    "404 page (default: the path of helpsite_base_url, else /).")
    app.connect("html-collect-pages", collect_pages)
    app.connect("html-page-context", root_context, priority=900)
