"""The one gate for every URL that becomes a link: no script URL reaches a page.

It walks the whole doctree twice, whatever made the URL — a Markdown link, a role, a
substitution, a field list, a translation, a toctree entry, an extension:

- at ``doctree-read``, after every read transform and before Sphinx's collectors, so the
  toctree entries Sphinx stores for the navigation of every page are clean as well;
- at ``doctree-resolved``, after the post-transforms, for references made while writing.

The rule is the validator's (:func:`helpsite.checks.linktargets.classify`): javascript:,
vbscript:, livescript:, file: and data: (but raster images as image sources) never become
a link or an image source. A link keeps its text, an image is removed, a toctree entry is
dropped; each is a ``build.url-unsafe`` finding at the article's line. Raw HTML is held to
the same rule by :mod:`helpsite.sphinx.rawhtml`.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

from helpsite.checks.linktargets import TargetKind, classify
from helpsite.findings import Code
from helpsite.sphinx.confvalues import is_source_build
from helpsite.sphinx.nodeplace import finding_line, translation_note

logger = logging.getLogger(__name__)

# Attributes of docutils/Sphinx nodes that a writer turns into href or src.
_LINK_ATTRIBUTES = ("refuri", "uri")


def is_unsafe(url: str, *, image: bool = False) -> bool:
    return classify(url, image=image) is TargetKind.UNSAFE


def _warn(what: str, url: str, node: nodes.Node, docname: str, language: str | None,
          tail: str = "") -> None:
    code = Code.BUILD_URL_UNSAFE
    logger.warning("%s: %s %r removed%s%s", code.code, what, url[:40], tail,
                   translation_note(node, language), location=(docname, finding_line(node)),
                   type="helpsite", subtype=code.code)


def _clean_toctree(toctree: addnodes.toctree, docname: str) -> None:
    kept = []
    for title, ref in toctree.get("entries", []):
        if ref and is_unsafe(ref):
            _warn("toctree entry", ref, toctree, docname, None)
        else:
            kept.append((title, ref))
    toctree["entries"] = kept


def _clean_node(node: nodes.Element, docname: str, language: str | None) -> None:
    image = isinstance(node, nodes.image)
    for attribute in _LINK_ATTRIBUTES:
        url = node.get(attribute)
        if not isinstance(url, str) or not is_unsafe(url, image=image):
            continue
        if image:
            _warn("image", url, node, docname, language)
            node.parent.remove(node)
        elif isinstance(node, nodes.reference | addnodes.download_reference):
            _warn("link target", url, node, docname, language, "; the link text stays")
            node.replace_self(nodes.inline("", "", *node.children))
        else:
            _warn(f"{node.tagname} target", url, node, docname, language)
            del node[attribute]
        return
    candidates = node.get("candidates")
    if image and isinstance(candidates, dict):
        for key, value in list(candidates.items()):
            if isinstance(value, str) and is_unsafe(value, image=True):
                del candidates[key]


def clean_doctree(document: nodes.document, docname: str, language: str | None) -> None:
    """Remove every unsafe URL from ``document`` (see the module docstring)."""
    for toctree in list(document.findall(addnodes.toctree)):
        _clean_toctree(toctree, docname)
    for node in list(document.findall(nodes.Element)):
        if node.parent is not None or node is document:
            _clean_node(node, docname, language)


def _language(app: Sphinx) -> str | None:
    locale = app.config.helpsite_locale
    return None if not locale or is_source_build(app.config) else locale


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    clean_doctree(doctree, app.env.docname, _language(app))


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    clean_doctree(doctree, docname, _language(app))


def register(app: Sphinx) -> None:
    # Before the collectors (500): the toctree and image collectors store what they see.
    app.connect("doctree-read", on_doctree_read, priority=100)
    app.connect("doctree-resolved", on_doctree_resolved, priority=900)
