"""Interface strings of the reader features (help-ID pages, translation status, 404 page).

They live in their own message catalog, ``helpsite-reader.po``, beside the extension's
``helpsite.po`` in ``locale/<lang>/LC_MESSAGES/``. :func:`helpsite.sphinx.ui.register_catalog`
compiles every ``.po`` of those folders into the build's doctree folder, so registering
the domain with Sphinx is all this module does; Sphinx picks the build language as it
does for its own strings, and an untranslated language shows the English text.
"""

from __future__ import annotations

from pathlib import Path

from babel.numbers import format_percent
from sphinx.application import Sphinx
from sphinx.locale import get_translation

from helpsite.sphinx.locales import LocaleError, babel_locale

CATALOG = "helpsite-reader"
_ = get_translation(CATALOG)


def register_catalog(app: Sphinx) -> None:
    """Called after :func:`helpsite.sphinx.ui.register_catalog`, which compiled the
    catalogs into ``<doctreedir>/helpsite-ui``."""
    app.add_message_catalog(CATALOG, str(Path(app.doctreedir) / "helpsite-ui"))


def text(message: str, **values: str) -> str:
    """The translated interface string, with ``{name}`` placeholders filled in."""
    return str(_(message)).format(**values)


def percent(share: float, tag: str) -> str:
    """``0.6`` as the reader writes it: "60%" in nl, "60 %" in de, "٦٠٪" in ar."""
    try:
        return format_percent(share, locale=babel_locale(tag))
    except LocaleError:
        return f"{round(share * 100)}%"


def on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, object],
                    doctree: object) -> None:
    """The skip link's label (theme/helpsite/base.html puts the link first in the page)."""
    context["helpsite_skip_label"] = text("Skip to content")


def register(app: Sphinx) -> None:
    register_catalog(app)
    app.connect("html-page-context", on_page_context)
    app.add_css_file("helpsite-reader.css")
    app.add_css_file("helpsite-print.css", media="print")
