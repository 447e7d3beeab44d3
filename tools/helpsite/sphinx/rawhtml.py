"""Apply the raw HTML policy (:mod:`helpsite.sphinx.sanitize`) to a doctree.

It runs after the Locale transform, so HTML that arrives with a translation is held to
the same policy as HTML in the source article. Every removal is a build warning with the
article's file and line and a stable code (``build.html-unsafe``, ``build.html-dropped``,
``build.url-unsafe``).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.util import logging

from helpsite.findings import Code
from helpsite.sphinx.nodeplace import finding_line, translation_note
from helpsite.sphinx.sanitize import UNSAFE, sanitize_html

logger = logging.getLogger(__name__)


def _is_html(node: nodes.raw) -> bool:
    return "html" in node.get("format", "").split()


def _warn(code: Code, message: str, node: nodes.Node, docname: str) -> None:
    logger.warning("%s: %s", code.code, message, location=(docname, finding_line(node)),
                   type="helpsite", subtype=code.code)


def sanitize_doctree(document: nodes.document, docname: str, translated_from: str | None) -> None:
    """Rebuild every raw HTML node from allowlisted tokens; Markdown links markdown-it
    refused keep their text only. Link and image URLs: :mod:`helpsite.sphinx.urlgate`."""
    parents = [raw.parent for raw in document.findall(nodes.raw) if _is_html(raw)]
    for parent in dict.fromkeys(parents):  # each parent once, in document order
        _sanitize_children(parent, docname, translated_from)
    for text in list(document.findall(nodes.Text)):
        _check_refused_link(text, docname, translated_from)


def _sanitize_children(parent: nodes.Element, docname: str, translated_from: str | None) -> None:
    open_element: str | None = None
    for child in list(parent.children):
        if isinstance(child, nodes.raw) and _is_html(child):
            result = sanitize_html(child.astext(), inside=open_element)
            open_element = result.open_element
            for drop in result.drops:
                code = Code.BUILD_HTML_UNSAFE if drop.kind == UNSAFE else Code.BUILD_HTML_DROPPED
                _warn(code, drop.what + translation_note(child, translated_from), child, docname)
            if result.html:
                child.children = []
                child.append(nodes.Text(result.html))
            else:
                parent.remove(child)
        elif open_element is not None:
            # Content between <script> and </script>, split into sibling nodes by MyST.
            parent.remove(child)


# Markdown links that markdown-it refused to make links (javascript:, vbscript:, data:):
# they would show as raw "[text](javascript:...)"; the reader gets the link text only.
_REFUSED_LINK = re.compile(
    r"!?\[([^\]]*)\]\(\s*<?((?:javascript|vbscript|livescript|data)\s*:(?:[^()]|\([^()]*\))*)\)",
    re.I)


def _check_refused_link(text: nodes.Text, docname: str, translated_from: str | None) -> None:
    parent = text.parent
    if parent is None or isinstance(parent, nodes.FixedTextElement | nodes.literal):
        return
    content = text.astext()
    if not _REFUSED_LINK.search(content):
        return
    for match in _REFUSED_LINK.finditer(content):
        _warn(Code.BUILD_URL_UNSAFE, f"link target {match.group(2)[:40]!r} removed; the link "
              f"text stays{translation_note(parent, translated_from)}", parent, docname)
    parent.replace(text, nodes.Text(_REFUSED_LINK.sub(r"\1", content)))
