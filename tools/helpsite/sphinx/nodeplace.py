"""Where a node of a doctree came from, for a finding: its line, and whether a translation
brought it.

Nodes parsed from a translation count lines within the msgstr; the translated element
(``translated`` set by Locale or :mod:`helpsite.sphinx.fasti18n`) keeps the line of its
source text, so a finding inside a translation points at the article's line.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.util.nodes import get_node_line


def translated_element(node: nodes.Node) -> nodes.Element | None:
    """The nearest element (``node`` or an ancestor) that a translation replaced."""
    current: nodes.Node | None = node
    while current is not None:
        if isinstance(current, nodes.Element) and current.get("translated"):
            return current
        current = current.parent
    return None


def nearest_line(node: nodes.Node) -> int | None:
    """The line of ``node``, or of its nearest ancestor that has one."""
    try:
        return get_node_line(node)  # type: ignore[arg-type]
    except ValueError:
        return None


def finding_line(node: nodes.Node) -> int | None:
    """The article line a finding about ``node`` names (see the module docstring)."""
    current: nodes.Node | None = node
    while current is not None:
        if isinstance(current, nodes.Element) and current.get("translated") and current.line:
            return current.line
        current = current.parent
    return nearest_line(node)


def translation_note(node: nodes.Node, language: str | None) -> str:
    """`` (in the nl-NL translation)`` when a translation into ``language`` brought it."""
    if language is None or translated_element(node) is None:
        return ""
    return f" (in the {language} translation)"
