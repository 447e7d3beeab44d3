"""``sphinx-build -b gettext`` with extracted comments for front-matter messages.

Sphinx's gettext builder has no extracted comments (``#.``). This subclass notes
``front matter: title`` / ``front matter: description`` for the messages that come from
:class:`~helpsite.sphinx.nodes.frontmatter_field` nodes, and the package's
``message.pot.jinja`` (first in ``templates_path``) writes them. Everything else is Sphinx's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from docutils import nodes
from sphinx.builders.gettext import Catalog, Message, MessageCatalogBuilder
from sphinx.util.i18n import docname_to_domain

from helpsite.sphinx.fields import FIELD_COMMENT
from helpsite.sphinx.nodes import frontmatter_field


class CommentedMessage(Message):
    __slots__ = ("comments",)

    def __init__(self, text: str, locations: list[tuple[str, int]], uuids: list[str],
                 comments: list[str]) -> None:
        super().__init__(text, locations, uuids)
        self.comments = comments


class CommentedCatalog(Catalog):
    __slots__ = ("comments",)

    def __init__(self) -> None:
        super().__init__()
        self.comments: dict[str, list[str]] = {}

    def add_comment(self, msg: str, comment: str) -> None:
        existing = self.comments.setdefault(msg, [])
        if comment not in existing:
            existing.append(comment)

    def __iter__(self) -> Iterator[Message]:
        for message in super().__iter__():
            yield CommentedMessage(message.text, message.locations, message.uuids,
                                   self.comments.get(message.text, []))


class HelpsiteCatalogBuilder(MessageCatalogBuilder):
    """The ``gettext`` builder, plus extracted comments."""

    name = "gettext"

    def init(self) -> None:
        super().init()
        self.catalogs = defaultdict(CommentedCatalog)

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        super().write_doc(docname, doctree)
        catalog = self.catalogs[docname_to_domain(docname, self.config.gettext_compact)]
        for node in doctree.findall(frontmatter_field):
            catalog.add_comment(node.rawsource, FIELD_COMMENT.format(name=node["name"]))
