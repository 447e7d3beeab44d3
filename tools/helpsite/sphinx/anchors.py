"""Stable heading anchors: every locale keeps the source language's heading ids.

Real articles write ``# <a name="english-slug"></a>Translated title``. The anchor becomes
the section's first id (``<section id="english-slug">``) and the raw ``<a>`` pair leaves the
title, so the message a translator sees is just the title text. Section ids are recorded
before the Locale transform and restored after it, so a translated heading never changes
a deep link.
"""

from __future__ import annotations

import re

from docutils import nodes

ANCHOR_OPEN = re.compile(r"""^\s*<a\s+(?:name|id)\s*=\s*["']?([^"'\s>]+)["']?\s*/?>\s*$""", re.I)
ANCHOR_CLOSE = re.compile(r"^\s*</a\s*>\s*$", re.I)
ANCHOR_MARKUP = re.compile(
    r"""<a\s+(?:name|id)\s*=\s*["']?[^"'\s>]+["']?\s*/?>\s*(?:</a\s*>)?""", re.I)
SOURCE_IDS = "helpsite_source_ids"


def _is_html(node: nodes.Node) -> bool:
    return isinstance(node, nodes.raw) and "html" in node.get("format", "").split()


def promote_heading_anchors(document: nodes.document) -> None:
    """Turn ``<a name>`` anchors in section titles into section ids; remember all ids."""
    for section in document.findall(nodes.section):
        title = section.next_node(nodes.title)
        if title is not None and title.parent is section:
            _promote(document, section, title)
        section[SOURCE_IDS] = list(section["ids"])


def _promote(document: nodes.document, section: nodes.section, title: nodes.title) -> None:
    anchors: list[str] = []
    for raw in [n for n in title.findall(nodes.raw) if _is_html(n)]:
        text = raw.astext()
        if match := ANCHOR_OPEN.match(text):
            anchors.append(match.group(1))
            raw.parent.remove(raw)
        elif ANCHOR_CLOSE.match(text) and anchors:
            raw.parent.remove(raw)
    if not anchors:
        return
    for anchor in reversed(anchors):
        owner = document.ids.get(anchor)
        if owner is not None and owner is not section:
            continue  # another element already has this id; keep the first
        if anchor in section["ids"]:
            section["ids"].remove(anchor)
        section["ids"].insert(0, anchor)
        document.ids[anchor] = section
    if title.rawsource:
        title.rawsource = ANCHOR_MARKUP.sub("", title.rawsource).strip()
    _strip_leading_space(title)


def _strip_leading_space(title: nodes.title) -> None:
    first = title.next_node(nodes.Text)
    if first is not None and first.parent is title and first.astext() != first.astext().lstrip():
        title.replace(first, nodes.Text(first.astext().lstrip()))


def restore_source_ids(document: nodes.document) -> None:
    """After translation: the source ids come first again, in their order."""
    for section in document.findall(nodes.section):
        recorded = section.get(SOURCE_IDS)
        if recorded is None:
            continue
        extra = [i for i in section["ids"] if i not in recorded]
        section["ids"] = [*recorded, *extra]
        del section[SOURCE_IDS]
