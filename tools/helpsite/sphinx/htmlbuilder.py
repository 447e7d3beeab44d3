"""Sphinx's HTML builder, with pages from extensions rendered only when they changed.

Sphinx renders every page an extension adds through ``html-collect-pages`` — category
pages, the help-ID pages (one per help ID: about 4,000 for a 3,000-article site) — on every
build, even one that re-read a single article; for a large site that was most of an
incremental build. :class:`HelpsiteHTMLBuilder` remembers a digest of what each such page
was made from (name, template, context, the part of the navigation its sidebar shows)
together with everything else a page shows that does not come with its context — the
configuration, the templates, the list of categories, the Sphinx and helpsite versions —
and skips rendering a page whose digest and output file are unchanged. Registered as the
``html`` builder (``override=True``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import sphinx
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder

from helpsite import __version__
from helpsite.files import write_if_changed
from helpsite.sphinx.mdparser import fast_build

STORE_NAME = "helpsite-generated-pages.json"


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
        self.key = build_key(builder)
        self.previous: dict[str, str] = {}
        self.current: dict[str, str] = {}
        if not fresh:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("key") == self.key:
                    self.previous = dict(data.get("pages", {}))
            except (OSError, ValueError, AttributeError):
                self.previous = {}

    def unchanged(self, pagename: str, context: dict[str, Any], template: str) -> bool:
        # repr, not JSON: four times faster for thousands of pages; an object whose repr
        # holds its address only makes its page render again.
        data = repr((pagename, template, context, sidebar_digest(self.builder.env, pagename)))
        digest = hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()
        self.current[pagename] = digest
        return (self.previous.get(pagename) == digest
                and self.builder.get_output_path(pagename).is_file())

    def save(self) -> None:
        data = {"key": self.key, "pages": dict(sorted(self.current.items()))}
        write_if_changed(self.path, (json.dumps(data, indent=0) + "\n").encode())


class HelpsiteHTMLBuilder(StandaloneHTMLBuilder):
    """``html``: Sphinx's builder, generated pages rendered only when changed."""

    name = "html"

    def gen_pages_from_extensions(self) -> None:
        if not fast_build(self.config):
            super().gen_pages_from_extensions()
            return
        pages = GeneratedPages(self, fresh=bool(self._app.fresh_env_used))
        for pagelist in self.events.emit("html-collect-pages"):
            for pagename, context, template in pagelist:
                if not pages.unchanged(pagename, context, template):
                    self.handle_page(pagename, context, template)
        pages.save()


def register(app: Sphinx) -> None:
    app.add_builder(HelpsiteHTMLBuilder, override=True)
