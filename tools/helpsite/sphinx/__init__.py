"""helpsite's Sphinx extension: localized help sites from Markdown help articles.

Enable it with ``extensions = ["helpsite.sphinx"]``; it sets up MyST-Parser itself. One
Sphinx build makes one locale's site (``-D language=nl_NL``); ``helpsite build`` runs the
build of every configured locale. What each module adds:

- :mod:`.confvalues` — ``helpsite_*`` config values and scale-safe defaults;
- :mod:`.pages` — front matter read with helpsite's bounded YAML loader;
- :mod:`.transforms` — stable heading anchors, translatable title/description, fallback
  marking, the raw HTML policy;
- :mod:`.catalogcompile`, :mod:`.catalogpages` — catalogs from ``locales/<tag>/LC_MESSAGES``
  for this build, and the pages a changed catalog makes outdated;
- :mod:`.navigation` — categories instead of a site-wide toctree;
- :mod:`.pagecontext`, :mod:`.alternates`, :mod:`.sitemap` — head metadata, language
  switcher, hreflang and sitemap.xml;
- :mod:`.potbuilder` — the gettext builder with ``#. front matter: title`` comments;
- :mod:`.theming` — the ``helpsite`` theme (Furo's, by inheritance) and ``<html lang dir>``.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.builders.gettext import I18nBuilder
from sphinx.environment import BuildEnvironment
from sphinx.util.typing import ExtensionMetadata

from helpsite import __version__
from helpsite.sphinx import (
    alternates,
    catalogpages,
    confvalues,
    dependencies,
    fasti18n,
    filedirectives,
    helpids,
    htmlbuilder,
    navigation,
    nodes,
    notfound,
    pagecontext,
    pages,
    pathgate,
    readerrors,
    readerui,
    search,
    searchpage,
    sitemap,
    social,
    sourcetree,
    startup,
    status,
    stddomain,
    theming,
    translatedfiles,
    ui,
    urlgate,
)
from helpsite.sphinx.compat import require_supported_versions
from helpsite.sphinx.potbuilder import HelpsiteCatalogBuilder
from helpsite.sphinx.transforms import FinishTranslation, PrepareSource, SanitizeRawHtml


def update_navigation(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: recompute the categories; the pages whose sidebar changed are
    written again (reading is not repeated): every page when the list of categories
    changed, else the pages of the categories or parts whose articles changed."""
    nav = navigation.build_navigation(env, app.config)
    store = pages.pages(env)
    wanted = navigation.orphans(env, nav, app.config.root_doc)
    for docname in env.found_docs:
        metadata = env.metadata.setdefault(docname, {})
        info = store.get(docname)
        if docname in wanted or (info is not None and info.raw.get("orphan")):
            metadata["orphan"] = True
        else:
            metadata.pop("orphan", None)
    previous = getattr(env, "helpsite_sidebar_groups", None)
    groups = nav.sidebar_groups()
    env.helpsite_nav = nav
    env.helpsite_sidebar_groups = groups
    env.helpsite_nav_signature = "".join(groups[k] for k in sorted(groups))
    if previous is None or previous == groups:
        return []
    if previous.get("") != groups[""]:
        return sorted(env.found_docs)  # the categories changed: every sidebar did
    changed = {k for k in groups.keys() | previous.keys() if groups.get(k) != previous.get(k)}
    return sorted(d for d in env.found_docs if nav.group_of(d) in changed)


def note_builder(app: Sphinx) -> None:
    """``builder-inited``: transforms need to know whether this run only extracts messages."""
    app.env.helpsite_extracting = isinstance(app.builder, I18nBuilder)


def setup(app: Sphinx) -> ExtensionMetadata:
    require_supported_versions()  # an untested Sphinx, MyST, docutils...: one clear error
    app.setup_extension("myst_parser")
    # Source file:line of every link, so `helpsite linkcheck` reports Markdown lines.
    app.setup_extension("helpsite.linkcheck.collector")
    startup.register(app)
    confvalues.register(app)
    nodes.register(app)
    ui.register_catalog(app)
    app.add_builder(HelpsiteCatalogBuilder, override=True)
    theming.register(app)  # the helpsite theme (Furo's), <html lang dir> on Furo's pages
    app.connect("config-inited", confvalues.apply_defaults, priority=400)
    sourcetree.register(app)  # no link out of the source, no loop, no case collision
    catalogpages.register(app)  # compiled catalogs, and the pages they make outdated
    app.connect("builder-inited", note_builder)
    app.connect("source-read", pages.on_source_read)
    app.connect("env-purge-doc", pages.on_purge_doc)
    app.connect("env-merge-info", pages.on_merge_info)
    dependencies.register(app)  # a missing image does not make its article always outdated
    app.connect("env-updated", update_navigation)
    app.connect("env-updated", alternates.outdated_alternates)
    app.add_transform(PrepareSource)
    app.add_transform(SanitizeRawHtml)
    app.add_transform(FinishTranslation)
    app.connect("doctree-resolved", pagecontext.on_doctree_resolved)
    # Before Furo's handler (500), which asks the toctree for the whole site.
    app.connect("html-page-context", pagecontext.on_page_context, priority=400)
    app.connect("html-page-context", pagecontext.on_page_context_after_theme, priority=600)
    app.connect("html-collect-pages", pagecontext.on_collect_pages)
    app.connect("build-finished", sitemap.on_build_finished)
    app.add_css_file("helpsite.css")
    # Reader features (docs/reader-features.md): help-ID pages, translation status,
    # search languages, 404 page, sharing metadata, skip link and print stylesheet.
    for feature in (readerui, helpids, status, search, searchpage, notfound, social):
        feature.register(app)
    # One reused MyST parser; messages translated right before Locale (20). Registered
    # after status, whose message count (also 19) must see the page as in the source.
    fasti18n.register(app)
    # The trust boundary (docs/security.md): files only from the source tree, a
    # translation only with its source's files, no script URL on any page.
    pathgate.register(app)
    filedirectives.register(app)
    translatedfiles.register(app)
    urlgate.register(app)
    readerrors.register(app)  # an article that fails to read: one finding, page left out
    htmlbuilder.register(app)  # pages from extensions rendered only when they changed
    stddomain.register(app)  # each document's display title worked out once
    return {
        "version": __version__,
        "env_version": 3,  # 2: PageInfo.field_languages; 3: helpsite_read_with_catalog
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
