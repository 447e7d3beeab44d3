"""The HTML theme: helpsite's ``helpsite`` theme, and ``<html lang dir>`` on Furo's pages.

``html_theme = "helpsite"`` (the default) is Furo through Sphinx's theme inheritance
(``theme/helpsite/theme.toml``: ``inherit = "furo"``) with the site header, breadcrumbs,
"Read in English" and the feedback form (``page.html``) and one title and skip link
(``base.html``, which extends Furo's). ``html_theme = "furo"`` builds Furo's own pages: what
the project says is what it gets, and one line of the build log says what it leaves out.

Every theme built on Furo's base.html gets the locale's ``lang`` and ``dir`` on ``<html>``
(right-to-left locales need ``dir="rtl"``): ``lang`` through Sphinx's ``language`` in the
page context, ``dir`` added to Furo's ``<html>`` start tag when Jinja loads the template
(:class:`HtmlDirection`; Furo writes the tag outside any block). Furo's base.html writes a
viewport ``<meta>`` of its own, so docutils' one is left out of ``metatags``.
"""

from __future__ import annotations

from typing import Any

import jinja2.ext
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.jinja2glue import BuiltinTemplateLoader
from sphinx.util import logging

from helpsite.locales import locale_info
from helpsite.sphinx import compat, confvalues

logger = logging.getLogger(__name__)

PLAIN_FURO = "furo"
# What Furo's <html> start tag gets: the direction pagecontext puts in the page context.
DIR_ATTRIBUTE = " dir=\"{{ helpsite.dir if helpsite is defined else 'ltr' }}\""
# The viewport <meta> docutils' HTML5 writer puts into every page's metatags.
DOCUTILS_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'


class HtmlDirection(jinja2.ext.Extension):
    """Jinja extension: Furo's base.html, as it is loaded, gets ``dir`` on ``<html>``."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if not compat.is_furo_base_template(filename):
            return source
        return compat.furo_html_tag_with(source, DIR_ATTRIBUTE)


def prepare_furo_pages(app: Sphinx) -> None:
    """``builder-inited``: the extension in the HTML builder's Jinja environment, and, when
    Furo's base.html is the pages' skeleton, the handler that drops docutils' viewport
    (decided once here, not on every page)."""
    templates = getattr(app.builder, "templates", None)
    if isinstance(templates, BuiltinTemplateLoader):
        templates.environment.add_extension(HtmlDirection)
    if uses_furo_base(app):
        app.connect("html-page-context", drop_docutils_viewport)


def uses_furo_base(app: Sphinx) -> bool:
    """Whether this build's theme is Furo or inherits from it (so Furo's base.html is the
    page's skeleton)."""
    theme = getattr(app.builder, "theme", None)
    return theme is not None and compat.furo_theme_folder() in theme.get_theme_dirs()


def set_page_language(app: Sphinx, pagename: str, templatename: str,
                      context: dict[str, Any], doctree: nodes.document | None) -> None:
    """``html-page-context``: ``<html lang>`` is the locale's BCP 47 tag (``en-US``), where
    Sphinx's ``language`` may be shorter (``en``) or unset."""
    context["language"] = locale_info(app.config.helpsite_locale).tag


def drop_docutils_viewport(app: Sphinx, pagename: str, templatename: str,
                           context: dict[str, Any], doctree: nodes.document | None) -> None:
    """``html-page-context`` of a Furo-based theme: Furo's base.html writes its own viewport
    ``<meta>``, so docutils' copy in ``metatags`` goes (one viewport per page)."""
    metatags = context.get("metatags")
    if isinstance(metatags, str) and DOCUTILS_VIEWPORT in metatags:
        context["metatags"] = metatags.replace(DOCUTILS_VIEWPORT, "", 1)


def note_plain_furo(app: Sphinx, config: Config) -> None:
    """``config-inited``: a project that names Furo gets Furo's own layout; say once what
    that leaves out and how to have it."""
    if config.html_theme == PLAIN_FURO:
        logger.info(
            'helpsite: html_theme = "furo" builds Furo\'s own page layout, with the '
            "locale's <html lang> and dir and the category sidebar, but without helpsite's "
            "site header and language menu, breadcrumbs, \"Read in English\" and feedback "
            f'form; html_theme = "{confvalues.THEME}" has them (docs/configuration.md, '
            '"The theme").')


def register(app: Sphinx) -> None:
    app.add_html_theme(confvalues.THEME, str(confvalues.THEME_DIR / confvalues.THEME))
    # After confvalues.apply_defaults (400), which chooses helpsite's theme when conf.py
    # names none.
    app.connect("config-inited", note_plain_furo, priority=410)
    app.connect("builder-inited", prepare_furo_pages)
    app.connect("html-page-context", set_page_language)
