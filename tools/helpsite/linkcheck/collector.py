"""Sphinx extension: record the source file and line of every link, for the link checker.

Enable with ``extensions = [..., "helpsite.linkcheck.collector"]``. For each page written
by an HTML builder it records every reference, image and download of the resolved doctree
with the file and line it came from: the node's own, or its nearest parent's. For a
translated paragraph Sphinx keeps the source file and line of the message in the node's
``source`` (``"<path>:<line>:<translated>"``), so a link in a translation is reported at the
source paragraph it was translated from. Toctree links are resolved after
``doctree-resolved`` and are not recorded (they are reported at their HTML line). At the end
of the build
the records go to ``<outdir>/_helpsite/links.json``, which ``helpsite linkcheck`` reads to
report ``source.md:line`` instead of a line of HTML.

``doctree-resolved`` is emitted in the main process even in parallel builds (Sphinx resolves
every doctree there before handing it to a writer process), so no merging is needed. An
incremental build only rewrites some pages: their records replace the old ones, and pages of
documents that no longer exist are dropped.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from helpsite import __version__
from helpsite.files import write_atomic
from helpsite.linkcheck.sources import FORMAT_VERSION, LINKS_FILE

_TRANSLATED = re.compile(r"^(.*):(\d+):<translated>$")


def _location(node: nodes.Node) -> tuple[str | None, int | None]:
    current: nodes.Node | None = node
    source, line = None, None
    while current is not None and (source is None or line is None):
        source = source or getattr(current, "source", None)
        line = line or getattr(current, "line", None)
        current = current.parent
    return source, line


def _source_line(source: str | None, line: int | None) -> tuple[str | None, int | None]:
    """Undo Sphinx's marking of translated text: its nodes carry the source
    ``"<path>:<line>:<translated>"`` and a line counted inside the message."""
    if source:
        match = _TRANSLATED.match(source)
        if match:
            return match.group(1), int(match.group(2))
    return source, line


def _shown_source(source: str | None, srcdir: Path) -> str:
    """The source file relative to the source folder when inside it (portable JSON)."""
    if not source:
        return ""
    path = Path(source)
    return path.relative_to(srcdir).as_posix() if path.is_relative_to(srcdir) else source


def _href(node: nodes.Element) -> tuple[str, str] | None:
    """(kind, URL as the builder writes it) for the nodes that become links."""
    if isinstance(node, addnodes.download_reference):
        return "download", str(node.get("filename") or node.get("reftarget") or "")
    if isinstance(node, nodes.reference):
        if "refuri" in node:
            return "reference", str(node["refuri"])
        if "refid" in node:
            return "reference", "#" + str(node["refid"])
        return None
    if isinstance(node, nodes.image):
        return "image", str(node.get("uri", ""))
    return None


def _page_of(app: Sphinx, docname: str) -> str:
    uri = app.builder.get_target_uri(docname)
    if not uri or uri.endswith("/"):
        uri += "index.html"  # dirhtml writes "a/b/" as a/b/index.html
    return uri


class LinkCollector:
    def __init__(self) -> None:
        self.pages: dict[str, dict[str, Any]] = {}

    def doctree_resolved(self, app: Sphinx, doctree: nodes.document, docname: str) -> None:
        if app.builder.format != "html":
            return
        srcdir = Path(app.srcdir)
        links = []
        for node in doctree.findall(nodes.Element):
            found = _href(node)
            if found is None or not found[1]:
                continue
            source, line = _source_line(*_location(node))
            links.append({"kind": found[0], "href": found[1],
                          "source": _shown_source(source, srcdir), "line": line or 1})
        self.pages[_page_of(app, docname)] = {"docname": docname, "links": links}

    def build_finished(self, app: Sphinx, exception: Exception | None) -> None:
        if exception is not None or app.builder.format != "html":
            return
        target = Path(app.outdir) / LINKS_FILE
        previous = _previous_pages(target, set(app.env.all_docs))
        pages = {**previous, **self.pages}
        if target.is_file() and pages == previous:
            return  # nothing was written: a no-change build touches no file
        srcdir = os.path.relpath(app.srcdir, target.parent)
        document = {"version": FORMAT_VERSION, "generator": f"helpsite {__version__}",
                    "srcdir": Path(srcdir).as_posix(), "pages": dict(sorted(pages.items()))}
        write_atomic(target, json.dumps(document, ensure_ascii=False, indent=1).encode())


def _previous_pages(path: Path, existing_docs: set[str]) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        return {}
    return {page: entry for page, entry in (data.get("pages") or {}).items()
            if isinstance(entry, dict) and entry.get("docname") in existing_docs}


def setup(app: Sphinx) -> dict[str, Any]:
    collector = LinkCollector()
    app.connect("doctree-resolved", collector.doctree_resolved)
    app.connect("build-finished", collector.build_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
