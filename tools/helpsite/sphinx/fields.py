"""Translatable front matter: ``title`` and ``description`` as messages of the article.

Before the Locale transform, each field becomes a :class:`frontmatter_field` node whose
source and line are the front-matter key's, so ``sphinx-build -b gettext`` writes it to the
article's catalog (``#: billing/x.md:2``). After Locale, the node holds the translation,
which is copied into the page's :class:`~helpsite.sphinx.pages.PageInfo`.
"""

from __future__ import annotations

from docutils import nodes

from helpsite.sphinx.nodes import frontmatter_field
from helpsite.sphinx.pages import TRANSLATABLE_FIELDS, PageInfo

FIELD_COMMENT = "front matter: {name}"


def insert_fields(document: nodes.document, info: PageInfo, source: str) -> None:
    position = 0
    for name in TRANSLATABLE_FIELDS:
        value = info.source_fields.get(name)
        if not value:
            continue
        node = frontmatter_field(value, value)
        node["name"] = name
        node.source = source
        node.line = info.field_lines.get(name, 1)
        document.insert(position, node)
        position += 1


def text_of(node: nodes.Element) -> str:
    """The visible text of a node: raw HTML (even sanitized) never becomes title text."""
    parts = [
        text.astext() for text in node.findall(nodes.Text)
        if not isinstance(text.parent, nodes.raw)
    ]
    return " ".join("".join(parts).split())


def harvest_fields(document: nodes.document, info: PageInfo) -> bool:
    """Copy the (translated) field texts into ``info``; True when any was translated."""
    info.fields = {}
    translated = False
    for node in document.findall(frontmatter_field):
        info.fields[node["name"]] = text_of(node) or info.source_fields.get(node["name"], "")
        translated = translated or bool(node.get("translated"))
    return translated


def untranslated_fields(document: nodes.document, info: PageInfo,
                        catalog: dict[str, str]) -> list[str]:
    """The fields still in the source language (a translation that keeps the source
    text, such as a product name, counts as translated: the catalog says so)."""
    found = []
    for node in document.findall(frontmatter_field):
        source = info.source_fields.get(node["name"], "")
        if not node.get("translated") and catalog.get(source) != source:
            found.append(node["name"])
    return found
