"""This build's catalogs: compiled before reading, and the pages they make outdated.

At ``config-inited`` the locale's ``.po`` files are compiled into the build's own catalog
folder (:func:`helpsite.sphinx.catalogcompile.sync_catalogs`), which becomes Sphinx's only
``locale_dirs`` entry. A page is read again when its catalog appeared, changed or
vanished since the page was last read (``env-get-outdated``): helpsite records which
pages were read with a catalog (``env.helpsite_read_with_catalog``).

Sphinx would instead record each page's ``.mo`` among the page's dependencies and check
its modification time in every build, for every page. With helpsite's fast build
(``helpsite_fast_build``, the default) the HTML builder leaves that to this module
(:attr:`helpsite.sphinx.htmlbuilder.HelpsiteHTMLBuilder.use_message_catalog`): for
3,000 articles the dependency records were a tenth of the environment pickled and
unpickled in every build, and 3,000 paths checked; a catalog recompiled to the same
bytes (a comment edited) then re-reads nothing.
"""

from __future__ import annotations

from pathlib import Path
from weakref import WeakKeyDictionary

import sphinx
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain

from helpsite.files import write_atomic
from helpsite.findings import Code
from helpsite.locales import primary_language
from helpsite.sphinx import confvalues
from helpsite.sphinx.catalogcompile import (
    MIRROR_NAME,
    SyncResult,
    find_locale_folder,
    mirror_folder,
    sync_catalogs,
)

logger = logging.getLogger(__name__)

READ_WITH_CATALOG = "helpsite_read_with_catalog"  # env attribute: set of docnames

# Catalogs compiled for each running build, for the env-get-outdated handler.
_SYNCED: WeakKeyDictionary[Sphinx, SyncResult] = WeakKeyDictionary()


def prepare_catalogs(app: Sphinx, config: Config) -> None:
    """``config-inited``: compile this locale's catalogs and point Sphinx at them."""
    root = confvalues.catalog_root(app)
    if root is None:
        return
    # The source is never translated, whatever locales/ holds for its tag.
    source_build = confvalues.is_source_build(config)
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
    primary = primary_language(language)
    shipped = Path(sphinx.package_dir) / "locale" / primary / "LC_MESSAGES" / "sphinx.js"
    target = mo_folder / "sphinx.js"
    if primary == language or not shipped.is_file():
        return
    data = shipped.read_bytes()
    if not target.is_file() or target.read_bytes() != data:
        write_atomic(target, data)


def read_with_catalog(env: BuildEnvironment) -> set[str]:
    """The pages last read with a catalog (created on first use, also in an old env)."""
    store = getattr(env, READ_WITH_CATALOG, None)
    if store is None:
        store = set()
        setattr(env, READ_WITH_CATALOG, store)
    return store


def outdated_by_catalogs(app: Sphinx, env: BuildEnvironment, added: set[str],
                         changed: set[str], removed: set[str]) -> list[str]:
    """``env-get-outdated``: pages whose catalog appeared, changed or vanished since
    they were last read."""
    result = _SYNCED.get(app)
    if result is None:
        return []
    with_catalog = read_with_catalog(env)
    outdated = []
    for docname in env.found_docs - added - changed:
        domain = docname_to_domain(docname, app.config.gettext_compact)
        if domain in result.changed or (docname in with_catalog) != (domain in result.domains):
            outdated.append(docname)
    return outdated


def note_catalogs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: which of the pages read now have a catalog. (Sphinx
    purges each of them after this event, right before reading it: the record is not
    purged with them, but kept to the pages that exist.)"""
    result = _SYNCED.get(app)
    domains = result.domains if result is not None else set()
    with_catalog = read_with_catalog(env)
    with_catalog.intersection_update(env.found_docs)
    for docname in docnames:
        if docname_to_domain(docname, app.config.gettext_compact) in domains:
            with_catalog.add(docname)
        else:
            with_catalog.discard(docname)


def register(app: Sphinx) -> None:
    app.connect("config-inited", prepare_catalogs, priority=450)
    app.connect("env-get-outdated", outdated_by_catalogs)
    app.connect("env-before-read-docs", note_catalogs)
