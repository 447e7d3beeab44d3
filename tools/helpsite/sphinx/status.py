"""How far the reader can trust the page's language: translation status on the page.

- **Machine translation**: a catalog whose header says ``X-Meta-ms.translationtype: MT``
  already gets a note from :mod:`.fallback`; here it becomes a banner with a link to the
  same page in the source language. A source tree in its own language (``helpsite build
  --source-locale nl-NL``) gets the banner from ``ms.translationtype: MT`` in the front
  matter (without link: the original is not part of that site).
- **Partly translated**: the share of the page's messages that the catalog translates is
  counted when the page is read (:class:`CountMessages`, before Sphinx's translation);
  below ``helpsite_min_translated_share`` the page gets a note saying how much is
  translated.
- **Source text**: paragraphs :mod:`.fallback` marked with the source language (``lang``
  for screen readers) also get the class ``helpsite-untranslated``, which the reader
  stylesheet draws with a dotted line, so sighted readers see them too.

Notes are added on ``doctree-resolved``: the link needs the builder's file names, and a
change of the threshold rewrites pages without reading them again.

- **The site's translation status**: a site with catalogs gets ``translation-status.html``
  in every locale (:func:`collect_status_page`), rendered like every page (theme,
  navigation, language switcher) but ``noindex`` and out of the search index and the
  sitemap; the language menu links to it. Its statistics are not computed here (they read
  every catalog, once for all locales): ``helpsite build`` fills them in after the builds
  (:mod:`helpsite.sitebuild.statusjob`); a plain ``sphinx-build`` leaves a note saying so.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain

from helpsite.locales import locale_info
from helpsite.sitebuild.statuspage import REPORT_END, REPORT_START, STATUS_PAGENAME
from helpsite.sphinx import fallback, readerui, ui
from helpsite.sphinx.catalogcompile import load_compiled, messages, mirror_folder
from helpsite.sphinx.confvalues import catalog_root, is_source_build, target_tags
from helpsite.sphinx.pagemessages import source_messages
from helpsite.sphinx.pages import PageInfo, env_store, meta_value, pages

logger = logging.getLogger(__name__)

MT_NOTE_CLASS = "helpsite-note-mt"
UNTRANSLATED_CLASS = "helpsite-untranslated"
DEFAULT_MIN_SHARE = 0.8


@dataclass(frozen=True)
class MessageCount:
    total: int
    translated: int

    @property
    def share(self) -> float:
        return self.translated / self.total if self.total else 1.0


def counts(env: BuildEnvironment) -> dict[str, MessageCount]:
    """docname → messages of the page; pickled with the environment."""
    return env_store(env, "helpsite_message_counts")


def count_messages(document: nodes.document, catalog: dict[str, str]) -> MessageCount:
    """Distinct translatable messages of the page and how many the catalog translates
    (a translation equal to the source, such as a product name, counts)."""
    found = {msg for _node, msg in source_messages(document)}
    return MessageCount(len(found), sum(1 for msg in found if catalog.get(msg, "").strip()))


class CountMessages(SphinxTransform):
    """Before any translation (Sphinx's ``Locale`` is 20, helpsite's own 19): the page's
    messages as in the source."""

    default_priority = 18

    def apply(self, **kwargs: object) -> None:
        docname = self.env.current_document.docname
        store = counts(self.env)
        store.pop(docname, None)
        config = self.config
        if not config.helpsite_locale or is_source_build(config) or not config.locale_dirs:
            return
        domain = docname_to_domain(docname, config.gettext_compact)
        compiled = load_compiled(mirror_folder(Path(self.env.doctreedir), config.language),
                                 domain)
        if compiled is not None:
            store[docname] = count_messages(self.document, messages(compiled))


def on_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    counts(env).pop(docname, None)


def on_merge_info(app: Sphinx, env: BuildEnvironment, docnames: set[str],
                  other: BuildEnvironment) -> None:
    theirs, mine = counts(other), counts(env)
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]


def is_machine_translated(app: Sphinx, info: PageInfo) -> bool:
    if info.state == "translated":
        value = info.translation_meta.get("ms.translationtype")
    elif info.state == "source":
        value = meta_value(info.raw.get("ms.translationtype"))
    else:
        return False
    return (value or "").strip().upper() == "MT"


def source_page_href(app: Sphinx, docname: str) -> str:
    """The same page in the source locale, relative to this page."""
    up = "../" * (docname.count("/") + 1)
    folder = locale_info(app.config.helpsite_source_locale).folder
    return f"{up}{folder}/{app.builder.get_target_uri(docname)}"


def original_link(app: Sphinx, docname: str) -> nodes.paragraph:
    page_tag = app.config.helpsite_locale
    source_tag = app.config.helpsite_source_locale
    label = readerui.text("Read the original article in {source_language}.",
                          source_language=ui.language_name(source_tag, page_tag))
    link = nodes.reference(label, label, refuri=source_page_href(app, docname),
                           classes=["helpsite-original-link"])
    return nodes.paragraph("", "", link)


def add_mt_banner(app: Sphinx, doctree: nodes.document, docname: str, info: PageInfo) -> None:
    page_tag = app.config.helpsite_locale
    banner = next((n for n in doctree.findall(nodes.container)
                   if MT_NOTE_CLASS in n.get("classes", [])), None)
    if banner is None:
        banner = fallback.machine_translation_note(page_tag)
        fallback.insert_after_title(doctree, banner)
    if info.state == "translated":
        banner += original_link(app, docname)


def partial_note(app: Sphinx, count: MessageCount) -> nodes.container:
    page_tag = app.config.helpsite_locale
    message = readerui.text(
        "Only {share} of this article is translated. The rest is shown in "
        "{source_language}, marked with a dotted line.",
        share=readerui.percent(count.share, page_tag),
        source_language=ui.language_name(app.config.helpsite_source_locale, page_tag))
    return fallback.note("partial", message, page_tag)


def mark_source_text(doctree: nodes.document, source_tag: str) -> None:
    wanted = fallback.language_class(source_tag)
    for node in doctree.findall(nodes.Element):
        classes = node.get("classes", [])
        if wanted in classes and not isinstance(node, nodes.image | nodes.section):
            classes.append(UNTRANSLATED_CLASS)


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    info = pages(app.env).get(docname)
    if info is None:
        return
    if is_machine_translated(app, info):
        add_mt_banner(app, doctree, docname, info)
    if info.state != "translated":
        return
    count = counts(app.env).get(docname)
    if count is not None and count.total and not count.translated:
        # A catalog without a single translation: the page is in the source language.
        fallback.insert_after_title(doctree, fallback.fallback_note(
            app.config.helpsite_locale, app.config.helpsite_source_locale))
        return
    if count is not None and count.share < app.config.helpsite_min_translated_share:
        fallback.insert_after_title(doctree, partial_note(app, count))
    mark_source_text(doctree, app.config.helpsite_source_locale)


def check_threshold(app: Sphinx, config: Config) -> None:
    """``config-inited``: ``-D helpsite_min_translated_share=0.5`` arrives as text; a value
    that is no share is reported and the default used."""
    value = config.helpsite_min_translated_share
    if value is None:
        value = DEFAULT_MIN_SHARE
    try:
        share = float(value)
    except (TypeError, ValueError):
        share = -1.0
    if not 0 <= share <= 1:
        logger.warning("helpsite_min_translated_share must be a number from 0 to 1 (a share "
                       "such as 0.8), not %r; using %s", value, DEFAULT_MIN_SHARE,
                       type="helpsite", subtype="config")
        share = DEFAULT_MIN_SHARE
    config.helpsite_min_translated_share = share


def has_status_page(app: Sphinx) -> bool:
    """Whether this site has a status page: it is switched on and has target locales and
    a catalog folder (worked out once per build: every page asks)."""
    known = getattr(app.builder, "_helpsite_status_page", None)
    if known is None:
        root = catalog_root(app)
        known = bool(app.config.helpsite_status_page and target_tags(app.config)
                     and root is not None and root.is_dir())
        app.builder._helpsite_status_page = known  # type: ignore[attr-defined]
    return known


def status_page_body() -> str:
    title = html.escape(readerui.text("Translation status"))
    waiting = html.escape(readerui.text(
        "The statistics are filled in by helpsite build after the sites of all locales "
        "are built."))
    return (f'<section id="translation-status"><h1>{title}</h1>\n{REPORT_START}\n'
            f"<p>{waiting}</p>\n{REPORT_END}\n</section>")


def collect_status_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: the status page, with the placeholder for the statistics."""
    if app.builder.format != "html" or not has_status_page(app):
        return
    yield STATUS_PAGENAME, {
        "title": html.escape(readerui.text("Translation status")),
        "body": status_page_body(),
        # A page for writers and translation managers, not for search engines.
        "metatags": '<meta name="robots" content="noindex">',
    }, "page.html"


def status_link(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                doctree: object) -> None:
    """``html-page-context``: the language menu's link to the status page (the theme's
    ``helpsite/topbar.html`` makes it with ``pathto``, so the 404 page roots it)."""
    if app.builder.format == "html" and has_status_page(app):
        context["helpsite_status_page"] = STATUS_PAGENAME
        context["helpsite_status_label"] = readerui.text("Translation status")


def register(app: Sphinx) -> None:
    app.add_config_value(
        "helpsite_status_page", True, "html", types=(bool,),
        description="Write translation-status.html (coverage per locale and page, "
                    "filled in by helpsite build) in each locale folder of a site with "
                    "catalogs, linked from the language menu.")
    app.connect("html-collect-pages", collect_status_page)
    app.connect("html-page-context", status_link)
    app.add_config_value(
        # None stands for 0.8: Sphinx's -D cannot override a float setting.
        "helpsite_min_translated_share", None, "html", types=(float, int, str, type(None)),
        description="Pages of which a smaller share of messages is translated get a note "
                    "saying how much is translated (default 0.8; 0 turns the note off).")
    app.connect("config-inited", check_threshold)
    app.add_transform(CountMessages)
    app.connect("env-purge-doc", on_purge_doc)
    app.connect("env-merge-info", on_merge_info)
    app.connect("doctree-resolved", on_doctree_resolved)
