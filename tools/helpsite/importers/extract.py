"""The messages a build translates, taken from Sphinx's own gettext builder.

Importing at any other granularity than ``make gettext`` would give catalogs the build
never looks up, so this module does not guess: it runs the gettext builder over a staged
copy of the articles and reads the POT files it writes (the exact msgids, in order, with
their extracted comments). While the builder runs, a ``doctree-resolved`` handler records
every message node in document order with its place in the document structure (section,
list item, table cell, note), which is what the aligner pairs. The handler sees the same
doctree the builder extracts from, through the same :func:`sphinx.util.nodes.extract_messages`.

When the project's Sphinx extension ``helpsite.sphinx`` is installed it is used instead
of plain ``myst_parser``, so front-matter messages (title, description) appear too.
"""

from __future__ import annotations

import importlib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.nodes import LITERAL_TYPE_NODES, extract_messages

from helpsite.catalogs.pofile import read_catalog

ROOT_DOC = "_helpsite_import_root"
FIELD_KIND = "frontmatter_field"  # the node helpsite.sphinx makes of title/description
# Ancestors that give a message its place in the structure; wrappers such as tgroup or
# tbody carry no information of their own.
_STRUCTURAL = (
    nodes.section, nodes.bullet_list, nodes.enumerated_list, nodes.list_item,
    nodes.table, nodes.thead, nodes.tbody, nodes.row, nodes.entry, nodes.block_quote,
    nodes.Admonition, nodes.definition_list, nodes.definition_list_item, nodes.term,
    nodes.definition, nodes.field_list, nodes.field, nodes.line_block, nodes.figure,
    nodes.caption, nodes.footnote, nodes.paragraph,
)

Progress = Callable[[str, str], None]  # (phase "read"/"write", docname)


@dataclass(frozen=True)
class Message:
    """One translatable node: its msgid, its text with line breaks, and its place."""

    msgid: str
    text: str  # what a translation of this node is: the Markdown as written (breaks kept)
    kind: str  # node type: paragraph, title, image, ...
    path: tuple[str, ...]  # structural ancestors, outermost first
    line: int


@dataclass
class CatalogEntry:
    """A POT entry as the gettext builder wrote it."""

    msgid: str
    lines: list[int]
    comments: list[str] = field(default_factory=list)


@dataclass
class DocMessages:
    """What one document contributes: the node sequence and the catalog entries."""

    sequence: list[Message] = field(default_factory=list)
    entries: list[CatalogEntry] = field(default_factory=list)


def sphinx_extensions() -> list[str]:
    """``helpsite.sphinx`` once it provides a ``setup``; plain MyST until then."""
    try:
        module = importlib.import_module("helpsite.sphinx")
    except ImportError:
        return ["myst_parser"]
    return ["helpsite.sphinx"] if hasattr(module, "setup") else ["myst_parser"]


def _structure(node: nodes.Node) -> tuple[str, ...]:
    chain = []
    parent = node.parent
    while parent is not None:
        if isinstance(parent, _STRUCTURAL):
            chain.append(parent.tagname)
        parent = parent.parent
    return tuple(reversed(chain))


def _text_of(node: nodes.Element, msg: str) -> str:
    """The node's Markdown with its line breaks (a hard break must survive translation)."""
    if isinstance(node, (nodes.image, nodes.meta, *LITERAL_TYPE_NODES)):
        return msg
    raw = (getattr(node, "rawsource", "") or "").strip()
    if not raw or _bare(raw) != _bare(msg):
        return msg
    # Sphinx's msgid joins the lines and drops a backslash before a line end. A translation
    # joins its lines too, except after a hard break (two spaces or a backslash), which
    # must survive; a backslash before a space is a literal one and is kept as well.
    lines = raw.split("\n")
    joined = [
        line + ("\n" if line.endswith(("  ", "\\")) else " ")
        for line in lines[:-1]
    ]
    return "".join([*joined, lines[-1]])


def _bare(text: str) -> str:
    return re.sub(r"[\s\\]+", "", text)


def _in_substitution(node: nodes.Node) -> bool:
    while node is not None:
        if isinstance(node, nodes.substitution_definition):
            return True
        node = node.parent
    return False


def messages_of(doctree: nodes.document) -> list[Message]:
    """The message nodes of a doctree, in the order the gettext builder extracts them."""
    found = []
    for node, msg in extract_messages(doctree):
        if _in_substitution(node):
            continue
        if node.tagname == FIELD_KIND:  # helpsite.sphinx: a front-matter title/description
            found.append(Message(msg, msg, FIELD_KIND, (str(node.get("name", "")),),
                                 node.line or 0))
            continue
        found.append(Message(msg, _text_of(node, msg), node.tagname, _structure(node),
                             node.line or 0))
    return found


def _read_pot(path: Path) -> list[CatalogEntry]:
    """The entries of a template the gettext builder wrote, read by helpsite's own strict
    PO reader (the one every command reads catalogs with)."""
    if not path.exists():
        return []
    return [CatalogEntry(entry.msgid, _reference_lines(entry.references),
                         [c for c in entry.extracted_comments if c])
            for entry in read_catalog(path, template=True).entries if not entry.obsolete]


def _reference_lines(references: list[str]) -> list[int]:
    """The line numbers of ``#: file.md:12`` references (a reference without one: none)."""
    lines = []
    for reference in references:
        _file, _, line = reference.rpartition(":")
        if line.isdigit():
            lines.append(int(line))
    return lines


def extract_messages_from(
    stage: Path,
    docnames: Iterable[str],
    *,
    conf_dir: Path | None = None,
    progress: Progress | None = None,
) -> dict[str, DocMessages]:
    """Run the gettext builder over ``stage`` (articles as ``<docname>.md``).

    Returns the messages of each docname asked for. ``stage`` must be a scratch folder:
    a root document and the builder's output are written into it.
    """
    wanted = set(docnames)
    (stage / f"{ROOT_DOC}.md").write_text("# Import\n", encoding="utf-8")
    recorded: dict[str, list[Message]] = {}
    overrides: dict[str, Any] = {
        "extensions": sphinx_extensions(),
        "gettext_compact": False,
        "gettext_uuid": False,
        "root_doc": ROOT_DOC,
        "exclude_patterns": ["_build", "_pot", "_doctrees"],
    }
    app = Sphinx(
        str(stage), str(conf_dir) if conf_dir else None, str(stage / "_pot"),
        str(stage / "_doctrees"), "gettext", confoverrides=overrides,
        status=None, warning=io.StringIO(), freshenv=True,
    )

    def on_read(_app: Sphinx, doctree: nodes.document) -> None:
        if progress:
            progress("read", _app.env.current_document.docname)

    def on_resolved(_app: Sphinx, doctree: nodes.document, docname: str) -> None:
        if docname in wanted:
            recorded[docname] = messages_of(doctree)
        if progress:
            progress("write", docname)

    app.connect("doctree-read", on_read)
    app.connect("doctree-resolved", on_resolved)
    app.build(force_all=True)
    result = {}
    for docname in wanted:
        pot = stage / "_pot" / f"{docname}.pot"
        result[docname] = DocMessages(recorded.get(docname, []), _read_pot(pot))
    return result
