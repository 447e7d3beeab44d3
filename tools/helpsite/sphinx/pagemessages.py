"""A page's translatable messages as read, extracted once before translation.

Two transforms need them before anything is translated — the message count
(:mod:`.status`, priority 18) and the translation itself (:mod:`.fasti18n`, 19) — and
extracting walks the whole document (over 1 % of a translated build, each time). Nothing
runs between the two, so the second gets the first one's list and drops it.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.util.nodes import extract_messages

Message = tuple[nodes.Element, str]

_EXTRACTED: WeakKeyDictionary[nodes.document, list[Message]] = WeakKeyDictionary()


def source_messages(document: nodes.document) -> list[Message]:
    """``extract_messages(document)``, remembered until :func:`release`."""
    found = _EXTRACTED.get(document)
    if found is None:
        found = _EXTRACTED[document] = list(extract_messages(document))
    return found


def release(document: nodes.document) -> list[Message]:
    """The page's messages, forgotten from here on (translation changes them)."""
    found = _EXTRACTED.pop(document, None)
    return found if found is not None else list(extract_messages(document))
