"""``sphinx-build -b gettext`` with extracted comments for front-matter messages.

Sphinx's gettext builder has no extracted comments (``#.``). This subclass notes
``front matter: title`` / ``front matter: description`` for the messages that come from
:class:`~helpsite.sphinx.nodes.frontmatter_field` nodes, and the package's
``message.pot.jinja`` (first in ``templates_path``) writes them. Everything else is Sphinx's.

Beside the articles' POTs it writes ``_interface.pot``, the interface texts of the pages
(theme, Sphinx, helpsite; :func:`helpsite.sphinx.ui.interface_template`): ``update-po``
merges it into ``locales/<tag>/LC_MESSAGES/_interface.po`` like any other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from docutils import nodes
from sphinx.builders.gettext import MessageCatalogBuilder
from sphinx.util.i18n import docname_to_domain

from helpsite.catalogs.writer import render_catalog
from helpsite.files import write_atomic
from helpsite.sphinx import compat, ui
from helpsite.sphinx.fields import FIELD_COMMENT
from helpsite.sphinx.nodes import frontmatter_field
from helpsite.sphinx.readerrors import GuardedReading

# Sphinx's gettext Message and Catalog, checked for the constructor and iteration the
# subclasses below rely on (and the message template of templates/common follows).
Message, Catalog = compat.gettext_classes()


class CommentedMessage(Message):  # type: ignore[misc,valid-type]
    __slots__ = ("comments",)

    def __init__(self, text: str, locations: list[tuple[str, int]], uuids: list[str],
                 comments: list[str]) -> None:
        super().__init__(text, locations, uuids)
        self.comments = comments


class CommentedCatalog(Catalog):  # type: ignore[misc,valid-type]
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


class HelpsiteCatalogBuilder(GuardedReading, MessageCatalogBuilder):
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

    def finish(self) -> None:
        super().finish()
        write_interface_template(Path(self.outdir))


def write_interface_template(outdir: Path) -> Path:
    """``<outdir>/_interface.pot``, rewritten only when its text changed (it has no date)."""
    path = outdir / f"{ui.INTERFACE_DOMAIN}.pot"
    data = render_catalog(ui.interface_template()).encode("utf-8")
    if not path.is_file() or path.read_bytes() != data:
        write_atomic(path, data)
    return path
