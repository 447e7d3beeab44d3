"""Sphinx's HTML builder, with pages from extensions rendered only when they changed.

Sphinx renders every page an extension adds through ``html-collect-pages`` — category
pages, the help-ID pages (one per help ID: about 4,000 for a 3,000-article site) — on every
build, even one that re-read a single article; for a large site that was most of an
incremental build. :class:`HelpsiteHTMLBuilder` remembers a digest of what each such page
was made from (name, template, context, the part of the navigation its sidebar shows)
together with everything else a page shows that does not come with its context — the
configuration, the templates, the list of categories, the Sphinx and helpsite versions —
and skips rendering a page whose digest and output file are unchanged. An extension whose
pages all come from one set of inputs (the help-ID pages) can go further: it names the
group and a digest of those inputs (:meth:`GeneratedPages.reuse_group`), and when they
are as last time it does not even compute the pages' contexts.

The search index is updated the same way Sphinx does it — the old index loaded, the
documents being written again taken out, theirs added — but taking documents out costs
what they hold, not every word of the site times every document (:class:`PruningIndex`).

A page's ``<link>`` and ``<script>`` tags are made once per folder of pages, not once per
page: Sphinx resolves each asset's path on disk (a ``realpath``, an ``lstat`` per path
component) for every tag of every page, about 40,000 times a locale, to add the same
checksum to the same URL (:meth:`HelpsiteHTMLBuilder.update_page_context`).

Registered as the ``html`` builder (``override=True``).
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from collections.abc import Callable, Iterable, Set
from pathlib import Path
from typing import Any

import jinja2
import sphinx
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.search import IndexBuilder

from helpsite import __version__
from helpsite.files import write_if_changed
from helpsite.sphinx import compat
from helpsite.sphinx.mdparser import fast_build
from helpsite.sphinx.readerrors import GuardedReading

STORE_NAME = "helpsite-generated-pages.json"
TEMPLATE_CACHE = "helpsite-templates"  # Jinja's compiled templates


def _digest(value: Any) -> str:
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def _plain(value: Any) -> bool:
    try:
        json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        return False
    return True


def build_key(builder: StandaloneHTMLBuilder) -> str:
    """What every generated page depends on besides its own context."""
    config = {c.name: c.value for c in builder.config if _plain(c.value)}
    return _digest({
        "versions": [sphinx.__version__, __version__],
        "config": config,
        "html": [builder.build_info.config_hash, builder.build_info.tags_hash],
        "templates": builder.templates.newest_template_mtime(),
        # what every page's sidebar shows; the rest of a page's sidebar: sidebar_digest
        "navigation": getattr(builder.env, "helpsite_sidebar_groups", {}).get(""),
    })


def sidebar_digest(env: Any, pagename: str) -> str | None:
    """The digest of the navigation group whose sidebar ``pagename`` shows."""
    nav, groups = getattr(env, "helpsite_nav", None), getattr(env, "helpsite_sidebar_groups", {})
    return groups.get(nav.group_of(pagename)) if nav is not None else None


class GeneratedPages:
    """Digests of the generated pages of the previous build (in the doctree folder)."""

    def __init__(self, builder: StandaloneHTMLBuilder, *, fresh: bool) -> None:
        self.builder = builder
        self.path = Path(builder.doctreedir) / STORE_NAME
        self.outdir = os.fspath(builder.outdir)
        self.key = build_key(builder)
        self.previous: dict[str, str] = {}
        self.previous_groups: dict[str, dict[str, Any]] = {}
        self.current: dict[str, str] = {}
        self.groups: dict[str, dict[str, Any]] = {}
        self.reused: set[str] = set()
        if not fresh:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("key") == self.key:
                    self.previous = dict(data.get("pages", {}))
                    self.previous_groups = dict(data.get("groups", {}))
            except (OSError, ValueError, AttributeError, TypeError):
                self.previous, self.previous_groups = {}, {}

    def unchanged(self, pagename: str, context: dict[str, Any], template: str) -> bool:
        # repr, not JSON: four times faster for thousands of pages; an object whose repr
        # holds its address only makes its page render again.
        data = repr((pagename, template, context, sidebar_digest(self.builder.env, pagename)))
        digest = hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()
        self.current[pagename] = digest
        for group in self.groups.values():
            if group.get("open"):
                group["pages"].append(pagename)
        return self.previous.get(pagename) == digest and self._written(pagename)

    def _written(self, pagename: str) -> bool:
        # A string, not the builder's Path: asked for thousands of pages on every build.
        return os.path.isfile(f"{self.outdir}/{pagename}{self.builder.out_suffix}")

    def reuse_group(self, name: str, inputs: str) -> bool:
        """True when the pages of group ``name`` were made from the same ``inputs`` (a
        digest of everything they show besides :func:`build_key`) by the last build and
        are all still there: they are kept, and the caller yields none of them. False:
        the caller yields them all, and they are remembered as the group's."""
        previous = self.previous_groups.get(name)
        if (previous is not None and previous.get("inputs") == inputs
                and all(p in self.previous for p in previous["pages"])
                and all(self._written(p) for p in previous["pages"])):
            self.groups[name] = {"inputs": inputs, "pages": list(previous["pages"])}
            self.reused.add(name)
            for pagename in previous["pages"]:
                self.current[pagename] = self.previous[pagename]
            return True
        for group in self.groups.values():
            group.pop("open", None)
        self.groups[name] = {"inputs": inputs, "pages": [], "open": True}
        return False

    def end_group(self) -> None:
        for group in self.groups.values():
            group.pop("open", None)

    def save(self) -> None:
        self.end_group()
        data = {"key": self.key, "pages": dict(sorted(self.current.items())),
                "groups": dict(sorted(self.groups.items()))}
        write_if_changed(self.path, (json.dumps(data, indent=0) + "\n").encode())


class PruningIndex(IndexBuilder):
    """Sphinx's search index; :meth:`prune` touches only the documents it removes."""

    def prune(self, docnames: Iterable[str]) -> None:
        compat.prune_search_index(self, docnames if isinstance(docnames, Set) else set(docnames))


class HelpsiteHTMLBuilder(GuardedReading, StandaloneHTMLBuilder):
    """``html``: Sphinx's builder, generated pages rendered only when changed; an article
    that fails to read is one finding (:class:`~helpsite.sphinx.readerrors.GuardedReading`)."""

    name = "html"
    generated_pages: GeneratedPages | None = None  # while html-collect-pages runs
    reused_groups: frozenset[str] = frozenset()  # groups of pages kept from the last build

    def __init__(self, app: Sphinx, env: BuildEnvironment) -> None:
        super().__init__(app, env)
        self.sphinx_app = app  # Builder.app is deprecated and Builder._app is private
        self.asset_tags: dict[tuple[str, str, Any], str] = {}

    def update_page_context(self, pagename: str, templatename: str, ctx: dict[str, Any],
                            event_arg: Any) -> None:
        """The page's ``css_tag`` and ``js_tag`` remembered per folder of pages. A tag is
        the asset's attributes, its URL relative to the page (which depends only on the
        page's folder: Sphinx's ``relative_uri``) and the file's checksum (which Sphinx
        caches per process anyway): the same tag for every page of the folder."""
        super().update_page_context(pagename, templatename, ctx, event_arg)
        folder = posixpath.dirname(self.get_target_uri(pagename))
        for name in ("css_tag", "js_tag"):
            tag = ctx.get(name)
            if callable(tag):
                ctx[name] = self._remembered(name, folder, tag)

    def _remembered(self, name: str, folder: str, tag: Callable[[Any], str]
                    ) -> Callable[[Any], str]:
        def remembered(asset: Any) -> str:
            try:
                key = (name, folder, asset)
                hash(key)
            except TypeError:  # an asset object that cannot be a key: made every time
                return tag(asset)
            if key not in self.asset_tags:
                self.asset_tags[key] = tag(asset)
            return self.asset_tags[key]
        return remembered

    @property  # type: ignore[override]
    def use_message_catalog(self) -> bool:
        # Sphinx records each page's .mo as a dependency when this is true; helpsite
        # tracks the pages' catalogs itself (helpsite.sphinx.catalogpages).
        return not fast_build(self.config)

    def gen_pages_from_extensions(self) -> None:
        if not fast_build(self.config):
            super().gen_pages_from_extensions()
            return
        pages = GeneratedPages(self, fresh=bool(self.sphinx_app.fresh_env_used))
        self.generated_pages = pages
        try:
            for pagelist in self.events.emit("html-collect-pages"):
                for pagename, context, template in pagelist:
                    if not pages.unchanged(pagename, context, template):
                        self.handle_page(pagename, context, template)
                pages.end_group()
            pages.save()
            self.reused_groups = frozenset(pages.reused)
        finally:
            self.generated_pages = None

    def init_templates(self) -> None:
        super().init_templates()
        # Jinja compiles every template to Python in each process, a tenth of a second
        # of a small incremental build; its own cache keeps the compiled code (checked
        # against the template's source and the Python version) in the doctree folder.
        environment = getattr(self.templates, "environment", None)
        if isinstance(environment, jinja2.Environment) and environment.bytecode_cache is None:
            folder = Path(self.doctreedir) / TEMPLATE_CACHE
            folder.mkdir(parents=True, exist_ok=True)
            environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))

    def load_indexer(self, docnames: Set[str]) -> None:
        # Sphinx's prepare_writing made an IndexBuilder; the same one, pruning faster.
        if type(self.indexer) is IndexBuilder:
            self.indexer = compat.new_search_index(PruningIndex, self.env, self.config)
        super().load_indexer(docnames)


def register(app: Sphinx) -> None:
    app.add_builder(HelpsiteHTMLBuilder, override=True)
