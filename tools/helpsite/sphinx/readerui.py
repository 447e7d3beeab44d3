"""Interface strings of the reader features (help-ID pages, translation status, 404 page),
and the page chrome a help reader expects around an article (``helpsite_chrome`` in the
page context, drawn by theme/helpsite/page.html): breadcrumbs (category › article, with
schema.org ``BreadcrumbList`` microdata), a link to the same page in the source locale on
every translated page, the optional "Was this page helpful?" form, and the translated
labels of the header's buttons.

They live in their own message catalog, ``helpsite-reader.po``, beside the extension's
``helpsite.po`` in ``locale/<lang>/LC_MESSAGES/``. :func:`helpsite.sphinx.ui.register_catalog`
compiles every ``.po`` of those folders into the build's doctree folder, so registering
the domain with Sphinx is all this module does; Sphinx picks the build language as it
does for its own strings, and an untranslated language shows the English text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel.numbers import format_percent
from sphinx.application import Sphinx
from sphinx.locale import get_translation

from helpsite.locales import LocaleError, babel_locale, locale_info
from helpsite.sphinx import navigation, pagecontext, ui
from helpsite.sphinx.alternates import alternates
from helpsite.sphinx.confvalues import all_locales, is_source_build

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
    """The skip link's label (theme/helpsite/base.html puts the link first in the page) and
    the chrome around the article."""
    context["helpsite_skip_label"] = text("Skip to content")
    context["helpsite_chrome"] = chrome(app, pagename)


def chrome(app: Sphinx, pagename: str) -> dict[str, Any]:
    """Everything theme/helpsite/page.html and helpsite/topbar.html draw besides Furo's
    own parts; every text in the reader's language."""
    nav = pagecontext.current_navigation(app)
    crumbs = breadcrumbs(nav, pagename, pagecontext.relative_uri(app, pagename))
    return {
        "breadcrumbs": crumbs,
        "breadcrumbs_label": text("Breadcrumbs"),
        "original": original_link(app, pagename, nav),
        "feedback": feedback_form(app, pagename) if crumbs else None,
        "open_navigation": text("Open the navigation"),
        "open_contents": text("Open the table of contents"),
        "theme_toggle": text("Switch between light, dark and automatic colours"),
    }


def breadcrumbs(nav: navigation.Navigation, pagename: str,
                uri: Callable[[str], str]) -> list[dict[str, Any]]:
    """Category › (part ›) page, for an article or a part page; empty elsewhere (the home
    page, a category's own page, search, 404). The last one is the page itself (no link)."""
    key = nav.category_of.get(pagename)
    category = nav.category(key) if key else None
    if category is None or category.page == pagename:
        return []
    crumbs = [_crumb(category.title, uri(category.page), nav.title_language(category.page))]
    number = nav.part_of.get(pagename)
    if number is not None and category.parts:
        part = category.parts[number - 1]
        if part.page == pagename:
            return [*crumbs, _crumb(part.label, None, navigation.TitleLanguage())]
        crumbs.append(_crumb(part.label, uri(part.page), navigation.TitleLanguage()))
    title = nav.titles.get(pagename, pagename)
    return [*crumbs, _crumb(title, None, nav.title_language(pagename))]


def _crumb(title: str, href: str | None, language: navigation.TitleLanguage) -> dict[str, Any]:
    return {"title": title, "href": href, "lang": language.lang, "dir": language.dir}


def original_link(app: Sphinx, pagename: str,
                  nav: navigation.Navigation) -> dict[str, str] | None:
    """"Read in English": the same page in the source locale, on every page of a target
    locale that the source site has too (documents and category pages)."""
    if is_source_build(app.config):
        return None
    if pagename not in app.env.found_docs and pagename not in nav.generated:
        return None
    source = all_locales(app.config)[0]
    option = next((a for a in alternates(app, pagename) if a.tag == source), None)
    if option is None:
        return None
    language = ui.language_name(source, app.config.helpsite_locale)
    return {"href": option.href, "tag": source, "dir": locale_info(source).direction,
            "label": text("Read in {language}", language=language)}


def feedback_form(app: Sphinx, pagename: str) -> dict[str, str] | None:
    """The "Was this page helpful?" form of an article: a plain HTML form (no script) that
    sends helpful=yes|no, the page (its source path) and the locale to
    ``helpsite_feedback_url``; None when no address is configured."""
    url = app.config.helpsite_feedback_url
    if not url:
        return None
    return {"action": url, "method": app.config.helpsite_feedback_method,
            "page": pagename, "locale": app.config.helpsite_locale,
            "question": text("Was this page helpful?"), "yes": text("Yes"), "no": text("No")}


def register(app: Sphinx) -> None:
    register_catalog(app)
    app.connect("html-page-context", on_page_context)
    app.add_css_file("helpsite-reader.css")
    app.add_css_file("helpsite-print.css", media="print")
