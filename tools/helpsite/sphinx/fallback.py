"""Mark what a reader gets in the source language instead of the page's own.

- A message without translation shows the source text (Sphinx does that); its element gets
  ``lang="<source tag>"`` (via docutils' ``language-<tag>`` class), so screen readers and
  hyphenation switch language.
- A page whose article has no catalog at all in this locale is built from the source,
  gets a visible note in the page's language, and its content is marked as source language.
- A catalog whose header says ``X-Meta-ms.translationtype: MT`` gets a machine-translation
  note.
- A catalog completed for an older version of the source (``X-Source-Hash``) gets a
  "may be out of date" note.
"""

from __future__ import annotations

from collections.abc import Iterator

from docutils import nodes
from sphinx.util.nodes import extract_messages

from helpsite.sphinx import ui
from helpsite.sphinx.nodes import frontmatter_field


def language_class(tag: str) -> str:
    return f"language-{tag}"


def mark_untranslated(document: nodes.document, source_tag: str, catalog: dict[str, str]) -> None:
    """Give untranslated messages the source language. A message translated with the same
    text (a product name) counts as translated: the catalog says so."""
    for node, msg in _untranslated_messages(document):
        if isinstance(node, frontmatter_field):
            continue
        if catalog.get(msg) == msg:
            continue
        if isinstance(node, nodes.image) and (
                catalog.get(msg, "").strip() or node.parent.get("translated")):
            # Sphinx leaves an image "translated: False" when its alt text was
            # translated on its own or as part of the translated paragraph around it.
            continue
        node.setdefault("classes", []).append(language_class(source_tag))


def _untranslated_messages(document: nodes.document) -> Iterator[tuple[nodes.Element, str]]:
    """``extract_messages(document)`` for the nodes marked untranslated only: their
    message is extracted from them alone (the check of every node for translatable text
    is the slow part of extracting, and most nodes are translated)."""
    for node in document.findall(nodes.Element):
        if node.get("translated") is False:
            found = next(extract_messages(node), None)
            if found is not None and found[0] is node:
                yield found


def mark_whole_page(document: nodes.document, source_tag: str) -> None:
    for child in document.children:
        if isinstance(child, nodes.Element) and not isinstance(child, frontmatter_field):
            child.setdefault("classes", []).append(language_class(source_tag))


def note(kind: str, text: str, page_tag: str) -> nodes.container:
    box = nodes.container(classes=["helpsite-note", f"helpsite-note-{kind}",
                                   language_class(page_tag)])
    box += nodes.paragraph(text, text)
    return box


def fallback_note(page_tag: str, source_tag: str) -> nodes.container:
    text = ui.text(
        "This article is not available in {language} yet. It is shown in {source_language}.",
        language=ui.language_name(page_tag, page_tag),
        source_language=ui.language_name(source_tag, page_tag),
    )
    return note("fallback", text, page_tag)


def machine_translation_note(page_tag: str) -> nodes.container:
    return note("mt", ui.text("This article was translated by a machine."), page_tag)


def stale_note(page_tag: str) -> nodes.container:
    text = ui.text("The original article has changed since this translation was made; "
                   "this page may be out of date.")
    return note("stale", text, page_tag)


def insert_after_title(document: nodes.document, box: nodes.Element) -> None:
    """Put a note right under the H1 (or first in the page when there is none)."""
    section = next(iter(document.findall(nodes.section)), None)
    if section is not None and section.children and isinstance(section[0], nodes.title):
        section.insert(1, box)
        return
    position = sum(1 for c in document.children if isinstance(c, frontmatter_field))
    document.insert(position, box)
