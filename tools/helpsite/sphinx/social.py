"""Sharing metadata: what a chat or social preview shows, in the page's language.

:mod:`.pagecontext` already writes ``og:title``, ``og:description``, ``og:locale`` and
``og:url`` from the translated ``title`` and ``description``. This adds the rest of the
Open Graph set (``og:type``, ``og:site_name``, ``og:locale:alternate`` for each locale the
page is translated into) and the Twitter card, from the same translated fields.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from helpsite.locales import sphinx_language
from helpsite.sphinx.alternates import alternates
from helpsite.sphinx.pages import pages


def _meta(attribute: str, name: str, content: str) -> str:
    return f'<meta {attribute}="{html.escape(name)}" content="{html.escape(content)}">'


def social_meta(app: Sphinx, pagename: str, title: str, description: str | None) -> list[str]:
    is_article = pagename in app.env.found_docs and pagename != app.config.root_doc
    tags = [_meta("property", "og:type", "article" if is_article else "website")]
    site_name = app.config.html_title or app.config.project
    if site_name:
        tags.append(_meta("property", "og:site_name", str(site_name)))
    for option in alternates(app, pagename):
        if option.translated and not option.current:
            tags.append(_meta("property", "og:locale:alternate", sphinx_language(option.tag)))
    tags.append(_meta("name", "twitter:card", "summary"))
    if title:
        tags.append(_meta("name", "twitter:title", title))
    if description:
        tags.append(_meta("name", "twitter:description", description))
    return tags


def on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: nodes.document | None) -> None:
    """After :func:`helpsite.sphinx.pagecontext.on_page_context` (400), before the theme."""
    if templatename != "page.html":
        return  # help-ID redirects and other special pages are not shared
    info = pages(app.env).get(pagename)
    title = (info.title if info else None) or html.unescape(context.get("title") or "")
    description = info.description if info else None
    tags = social_meta(app, pagename, title, description)
    context["metatags"] = context.get("metatags", "") + "\n    ".join(["", *tags])


def register(app: Sphinx) -> None:
    app.connect("html-page-context", on_page_context, priority=450)
