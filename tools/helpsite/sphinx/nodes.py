"""The doctree node that carries a translatable front-matter field."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxTranslator


class frontmatter_field(nodes.General, nodes.TextElement):  # docutils names nodes in lowercase
    """``title`` or ``description`` of the front matter, as a message of the article.

    It sits in the doctree so that the gettext builder extracts it like any paragraph and
    the Locale transform translates it; writers never render it (the page shows it in
    ``<title>`` and ``<meta>`` instead).
    """


def _skip(translator: SphinxTranslator, node: nodes.Element) -> None:
    raise nodes.SkipNode


def register(app: Sphinx) -> None:
    skip = (_skip, None)
    app.add_node(frontmatter_field, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
