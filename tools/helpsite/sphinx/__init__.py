"""helpsite's Sphinx extension: localized help sites from Markdown help articles.

Enable it with ``extensions = ["helpsite.sphinx"]``; it sets up MyST-Parser itself. One
Sphinx build makes one locale's site (``-D language=nl_NL``); ``helpsite build`` runs the
build of every configured locale. What each module adds:

- :mod:`.settings` — ``helpsite_*`` config values and scale-safe defaults;
- :mod:`.pages` — front matter read with helpsite's bounded YAML loader;
- :mod:`.transforms` — stable heading anchors, translatable title/description, fallback
  marking, the raw HTML policy;
- :mod:`.catalogs` — catalogs from ``locales/<tag>/LC_MESSAGES`` for this build;
- :mod:`.navigation` — categories instead of a site-wide toctree;
- :mod:`.pagecontext`, :mod:`.alternates`, :mod:`.sitemap` — head metadata, language
  switcher, hreflang and sitemap.xml;
- :mod:`.potbuilder` — the gettext builder with ``#. front matter: title`` comments.
"""

from __future__ import annotations

import os
from pathlib import Path
from weakref import WeakKeyDictionary

import sphinx
from sphinx.application import Sphinx
from sphinx.builders.gettext import I18nBuilder
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain
from sphinx.util.typing import ExtensionMetadata

from helpsite import __version__
from helpsite.catalogs.atomic import write_atomic
from helpsite.findings import Code
from helpsite.sphinx import (
    alternates,
    dependencies,
    fasti18n,
    helpids,
    htmlbuilder,
    navigation,
    nodes,
    notfound,
    pagecontext,
    pages,
    readerui,
    search,
    searchpage,
    settings,
    sitemap,
    social,
    startup,
    status,
    stddomain,
    ui,
)
from helpsite.sphinx.catalogs import (
    MIRROR_NAME,
    SyncResult,
    find_locale_folder,
    mirror_folder,
    sync_catalogs,
)
from helpsite.sphinx.potbuilder import HelpsiteCatalogBuilder
from helpsite.sphinx.transforms import FinishTranslation, PrepareSource, SanitizeRawHtml

logger = logging.getLogger(__name__)

# Catalogs compiled for each running build, for the env-get-outdated handler.
_SYNCED: WeakKeyDictionary[Sphinx, SyncResult] = WeakKeyDictionary()


def prepare_catalogs(app: Sphinx, config: Config) -> None:
    """``config-inited``: compile this locale's catalogs and point Sphinx at them."""
    root = settings.catalog_root(app)
    if root is None:
        return
    # The source is never translated, whatever locales/ holds for its tag.
    source_build = settings.is_source_build(config)
    po_folder = None if source_build else find_locale_folder(root, config.helpsite_locale)
    mo_folder = mirror_folder(Path(app.doctreedir), config.language)
    result = sync_catalogs(po_folder, mo_folder,
                           use_fuzzy=config.gettext_allow_fuzzy_translations)
    for finding in result.unreadable:
        logger.warning("%s: %s (%s); the article is built in the source language",
                       Code.BUILD_CATALOG_INVALID.code, finding.message, finding.code.code,
                       location=f"{finding.path}:{finding.line}",
                       type="helpsite", subtype=Code.BUILD_CATALOG_INVALID.code)
    for finding in result.refused:
        logger.warning("%s: %s", finding.code.code, finding.message,
                       location=f"{finding.path}:{finding.line}",
                       type="helpsite", subtype=finding.code.code)
    config.locale_dirs = [str(Path(app.doctreedir) / MIRROR_NAME)]
    provide_search_translations(config.language, mo_folder)
    _SYNCED[app] = result


def provide_search_translations(language: str, mo_folder: Path) -> None:
    """Sphinx ships ``locale/nl/LC_MESSAGES/sphinx.js`` (the search page's texts) but looks
    for ``nl_NL``; a copy in this build's catalog folder lets it find the language's."""
    primary = language.replace("-", "_").split("_")[0]
    shipped = Path(sphinx.package_dir) / "locale" / primary / "LC_MESSAGES" / "sphinx.js"
    target = mo_folder / "sphinx.js"
    if primary == language or not shipped.is_file():
        return
    data = shipped.read_bytes()
    if not target.is_file() or target.read_bytes() != data:
        write_atomic(target, data)


def outdated_by_catalogs(app: Sphinx, env: BuildEnvironment, added: set[str],
                         changed: set[str], removed: set[str]) -> list[str]:
    """Pages whose catalog appeared, changed or vanished since they were last read."""
    result = _SYNCED.get(app)
    if result is None:
        return []
    # Sphinx records a page's .mo (absolute) among its dependencies when it was read
    # with one; compared as strings — this runs over every page of every build.
    folder = os.fspath(Path(env.srcdir) / mirror_folder(Path(app.doctreedir),
                                                           app.config.language))
    outdated = []
    for docname in env.found_docs - added - changed:
        domain = docname_to_domain(docname, app.config.gettext_compact)
        compiled = f"{folder}/{domain}.mo"
        depends = any(os.fspath(p) == compiled for p in env.dependencies.get(docname, ()))
        if domain in result.changed or depends != (domain in result.domains):
            outdated.append(docname)
    return outdated


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
    app.setup_extension("myst_parser")
    # Source file:line of every link, so `helpsite linkcheck` reports Markdown lines.
    app.setup_extension("helpsite.linkcheck.collector")
    startup.register(app)
    settings.register(app)
    nodes.register(app)
    ui.register_catalog(app)
    app.add_builder(HelpsiteCatalogBuilder, override=True)
    app.add_html_theme(settings.THEME, str(settings.THEME_DIR / settings.THEME))
    app.connect("config-inited", settings.apply_defaults, priority=400)
    app.connect("config-inited", prepare_catalogs, priority=450)
    app.connect("builder-inited", note_builder)
    app.connect("source-read", pages.on_source_read)
    app.connect("env-purge-doc", pages.on_purge_doc)
    app.connect("env-merge-info", pages.on_merge_info)
    app.connect("env-get-outdated", outdated_by_catalogs)
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
    htmlbuilder.register(app)  # pages from extensions rendered only when they changed
    stddomain.register(app)  # each document's display title worked out once
    return {
        "version": __version__,
        "env_version": 2,  # 2: PageInfo.field_languages
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
