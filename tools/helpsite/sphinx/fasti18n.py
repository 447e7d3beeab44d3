"""Translate a page's messages before Sphinx's Locale transform, at the cost of parsing.

Sphinx's :class:`~sphinx.transforms.i18n.Locale` (priority 20) parses every translated
message twice (once only to look for section titles), each time with a new MyST parser,
new docutils settings and a new document, and every translated node keeps that throw-away
document, which is pickled with the doctree (25× larger doctrees). :class:`TranslateMessages`
(priority 19) does Locale's work for the messages MyST articles consist of — paragraphs,
titles, table cells, the front-matter fields, image alt texts — with one reused parser
(:mod:`helpsite.sphinx.mdparser`), parsing each message once, and Sphinx's own
:class:`~sphinx.transforms.i18n._NodeUpdater` for ids, names and the "inconsistent
references" warnings. Everything else (glossary terms, literal blocks, toctree captions,
meta and index entries, untranslated messages) stays Locale's.

A handled node is hidden from Locale without a trace in the output: its message text
(``rawsource``, or an image's ``alt``) is held back until :class:`ReleaseMessages`
(priority 21) puts it back, so Locale finds no message there and later steps (fallback
marking, translation statistics) see every message again.

As in Locale: a translation that does not parse to one paragraph is not used (the source
text stays, the message counts as untranslated); ``#noqa`` silences the reference
warnings; a section title keeps its source name as a reference target.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.errors import FiletypeNotFoundError
from sphinx.transforms import SphinxTransform
from sphinx.transforms.i18n import Locale, parse_noqa
from sphinx.util import get_filetype
from sphinx.util.docutils import LoggingReporter
from sphinx.util.i18n import docname_to_domain
from sphinx.util.logging import suppress_logging
from sphinx.util.nodes import LITERAL_TYPE_NODES

from helpsite.sphinx import compat
from helpsite.sphinx.catalogcompile import load_compiled, messages, mirror_folder
from helpsite.sphinx.confvalues import is_source_build
from helpsite.sphinx.mdparser import (
    HelpsiteMystParser,
    fast_build,
    message_parser,
    render_into,
    render_lines_into,
)
from helpsite.sphinx.pagemessages import release

# Sphinx's _NodeUpdater: what Locale does to each translated node (checked on import).
NodeUpdater = compat.node_updater()
# Messages Locale handles without parsing, or with rules of their own: left to it.
LEFT_TO_LOCALE = (addnodes.translatable, nodes.meta, nodes.term, *LITERAL_TYPE_NODES)
# Nodes hidden from Locale per document: (node, attribute, value held back).
_HIDDEN: WeakKeyDictionary[nodes.document, list[tuple[nodes.Element, str, Any]]] = (
    WeakKeyDictionary())


def page_catalog(doctreedir: Path, language: str, domain: str) -> dict[str, str]:
    """msgid → msgstr of the page's compiled catalog (the one Locale would load)."""
    compiled = load_compiled(mirror_folder(doctreedir, language), domain)
    return messages(compiled) if compiled is not None else {}


class _Translator:
    """Parses messages of one document into paragraphs and patches them in."""

    def __init__(self, document: nodes.document) -> None:
        self.document = document
        self.source = document["source"]
        self.md = message_parser(document.settings.env.myst_config)
        # One reporter for the page's messages; its source names each message in turn.
        self.reporter = LoggingReporter.from_reporter(document.reporter)
        self.hidden: list[tuple[nodes.Element, str, Any]] = []

    def publish(self, text: str, line: int | None) -> nodes.Element | None:
        """The paragraph ``text`` parses to, or None when it is anything else."""
        if text.strip().endswith("::"):
            text += "\n\n   dummy literal"  # as Locale does: the literal is dropped
        # What Locale's docutils.utils.new_document + LoggingReporter amount to.
        source = f"{self.source}:{line}:<translated>"
        self.reporter.source = source
        doc = nodes.document(self.document.settings, self.reporter, source=source)
        doc.note_source(source, -1)
        render_into(self.md, text, doc)
        doc.current_source = doc.current_line = None
        patch = doc[0] if len(doc) else None
        return patch if isinstance(patch, nodes.paragraph) else None

    def publish_all(self, texts: list[str], lines: list[int | None]
                    ) -> list[nodes.Element | None]:
        """The paragraphs of one-line messages: plain text without the parser
        (:func:`plain_text`), the others rendered into one document (:meth:`parse_together`).
        Each paragraph gets the source and line numbers :meth:`publish` would give it;
        when anything could differ from separate parsing — a warning, an id, a paragraph
        more or less — the messages are published one by one instead."""
        plain = plain_text(self.md)
        patches: list[nodes.Element | None] = [
            self.plain_paragraph(text, line) if plain(text) else None
            for text, line in zip(texts, lines, strict=True)]
        parse = [i for i, patch in enumerate(patches) if patch is None]
        for i, patch in zip(parse, self.parse_together(
                [texts[i] for i in parse], [lines[i] for i in parse]), strict=True):
            patches[i] = patch
        return patches

    def plain_paragraph(self, text: str, line: int | None) -> nodes.paragraph:
        """What MyST makes of a paragraph of plain text: the text, source and line on
        the paragraph and on its text."""
        source = f"{self.source}:{line}:<translated>"
        paragraph = nodes.paragraph(text)
        content = nodes.Text(text)
        for node in (paragraph, content):
            node.source, node.line = source, 1
        paragraph += content
        return paragraph

    def parse_together(self, texts: list[str], lines: list[int | None]
                       ) -> list[nodes.Element | None]:
        """The page's one-line messages rendered into one document in one go
        (:func:`render_lines_into`: no block parser, which a one-line paragraph does not
        need), each paragraph then given the source :meth:`publish` would give it."""
        if not texts:
            return []
        source = f"{self.source}:<translated>"
        self.reporter.source = source
        doc = nodes.document(self.document.settings, self.reporter, source=source)
        doc.note_source(source, -1)
        with suppress_logging() as memory:
            render_lines_into(self.md, texts, doc)
        doc.current_source = doc.current_line = None
        patches = list(doc.children)
        if memory.buffer or doc.ids or len(patches) != len(texts) or any(
                not isinstance(p, nodes.paragraph) or p.rawsource != t
                for p, t in zip(patches, texts, strict=True)):
            return [self.publish(text, line) for text, line in zip(texts, lines, strict=True)]
        for patch, line in zip(patches, lines, strict=True):
            own = f"{self.source}:{line}:<translated>"
            for item in patch.findall():
                if item.source == source:  # nodes without a source keep none, as alone
                    item.source = own
        return patches

    def hide(self, node: nodes.Element) -> None:
        """Locale extracts no message from a node without text (Sphinx's own check for
        ``translatable`` would log an XML dump of every node it skips)."""
        if isinstance(node, nodes.image):
            self.hidden.append((node, "alt", node.attributes.pop("alt")))
        else:
            self.hidden.append((node, "rawsource", node.rawsource))
            node.rawsource = ""

    def image_alt(self, node: nodes.image, msgstr: str) -> None:
        """Locale's rule: the alt text is replaced; the image does not count as
        translated (Locale's first phase marked it so)."""
        node["alt"] = msgstr
        node["translated"] = False
        self.hide(node)

    def adopt(self, patch: nodes.Element) -> bool:
        """The children about to move belong to the page's document, not the throw-away
        one. True when they hold references the updater's steps look at."""
        references = False
        for child in patch.findall(include_self=False):
            child.document = self.document
            references = references or _needs_updating(child)
        return references

    def translate(self, node: nodes.Element, patch: nodes.Element | None, noqa: bool) -> bool:
        """Locale's two phases for one node, given the paragraph its translation parses
        to (None: anything else); False leaves the node to Locale."""
        if patch is None:
            if isinstance(node, nodes.title):
                return False  # Locale tries a title once more, as a heading
            self.hide(node)
            node["translated"] = False  # Locale's outcome: the source text stays
            return True
        references = self.adopt(patch)
        updater = NodeUpdater(node, patch, self.document, noqa)
        # Phase 1: a translated section title also names its section; nothing else of
        # the updater runs for it then (as in Locale).
        if _is_section_title(node) and updater.update_title_mapping():
            pass
        elif references or _has_references(node):
            updater.update_autofootnote_references()
            updater.update_refnamed_references()
            updater.update_refnamed_footnote_references()
            updater.update_citation_references()
            updater.update_pending_xrefs()
        updater.update_leaves()
        node["translated"] = True
        self.hide(node)
        return True


# A one-line message starting like this may open a block (heading, list, quote, fence,
# HTML block, link definition, MyST target or comment...): it is parsed on its own.
_BLOCK_START = re.compile(r"""[#>=~:|<{%$\\]|\d{1,9}[.)]|[-+*](\s|$)|\+{3}|\[[^\]]*\]:|`{3}
                             |\(.*\)=\s*$|([-*_])(\s*\2){2,}\s*$""", re.X)


def batchable(text: str) -> bool:
    """True for a message that can only be one paragraph, whatever stands around it."""
    return (bool(text) and "\n" not in text and text == text.strip()
            and not text.endswith("::") and _BLOCK_START.match(text) is None)


# Characters with a meaning inside a paragraph — in CommonMark (escapes, code, emphasis,
# links, images, autolinks, HTML, entities) and MyST (roles, substitutions, math,
# strikethrough) — and control characters. A batchable message without any is one text.
_INLINE_SYNTAX = re.compile(r"[\x00-\x1f\x7f\\`*_\[\]<>&{}$~]")
# MyST extensions that only add block syntax; any other may give plain text a meaning
# (linkify, smartquotes, replacements...), and then every message is parsed.
_BLOCK_ONLY_EXTENSIONS = frozenset({"attrs_block", "colon_fence", "deflist", "fieldlist",
                                    "html_admonition", "html_image", "tasklist"})


def plain_text(md: Any) -> Any:
    """A test for batchable messages that MyST, as configured, would render as a
    paragraph holding just that text."""
    config = md.options.get("myst_config")
    extensions = set(getattr(config, "enable_extensions", ()) or ())
    if md.options.get("typographer") or not extensions <= _BLOCK_ONLY_EXTENSIONS:
        return lambda text: False
    return lambda text: _INLINE_SYNTAX.search(text) is None


def _needs_updating(node: nodes.Node) -> bool:
    """Nodes the updater's reference steps look at (a plain link has a URI, no name)."""
    if isinstance(node, nodes.footnote_reference | nodes.citation_reference
                  | addnodes.pending_xref):
        return True
    return isinstance(node, nodes.reference) and "refname" in node.attributes


def _has_references(node: nodes.Element) -> bool:
    """Without any, the updater's five reference steps find nothing and warn nothing."""
    return next(node.findall(_needs_updating, include_self=False), None) is not None


def _is_section_title(node: nodes.Element) -> bool:
    return isinstance(node, nodes.title) and isinstance(node.parent, nodes.section)


class TranslateMessages(SphinxTransform):
    default_priority = 19  # after PreserveTranslatableMessages (10), before Locale (20)

    def apply(self, **kwargs: object) -> None:
        if not self.applies():
            return
        domain = docname_to_domain(self.env.current_document.docname,
                                   self.config.gettext_compact)
        catalog = page_catalog(Path(self.env.doctreedir), self.config.language, domain)
        if not catalog:
            return
        work = []
        translator = _Translator(self.document)
        flags: list[tuple[nodes.Element, bool]] = []  # what Locale marks without translating
        locale_needed = "index" in self.config.gettext_additional_targets
        for node, msg in release(self.document):
            if isinstance(node, LEFT_TO_LOCALE):
                flag = _only_marks(node, msg, catalog.get(msg, ""))
                if flag is None:
                    locale_needed = True
                else:
                    flags.append((node, flag))
                continue
            msgstr, noqa = parse_noqa(catalog.get(msg, ""))
            if not msgstr.strip() or msgstr == msg:
                flags.append((node, bool(msgstr.strip())))
                continue  # untranslated, or the same text: Locale only sets a flag
            if isinstance(node, nodes.image):
                if node.get("alt") == msg and not node.get("translatable"):
                    translator.image_alt(node, msgstr)
                else:
                    locale_needed = True
                continue
            work.append((node, msgstr, noqa))
        # Locale's order: section titles first, their new names serve the other messages.
        work.sort(key=lambda item: not _is_section_title(item[0]))
        together = [i for i, (_node, msgstr, _noqa) in enumerate(work) if batchable(msgstr)]
        patches: dict[int, nodes.Element | None] = dict(zip(together, translator.publish_all(
            [work[i][1] for i in together], [work[i][0].line for i in together]),
            strict=True))
        for number, (node, msgstr, noqa) in enumerate(work):
            patch = patches[number] if number in patches else translator.publish(
                msgstr, node.line)
            if not translator.translate(node, patch, noqa):
                locale_needed = True
        if translator.hidden:
            _HIDDEN[self.document] = translator.hidden
        if not locale_needed:
            skip_locale(self.document, flags)

    def applies(self) -> bool:
        config = self.config
        if not fast_build(config) or getattr(self.env, "helpsite_extracting", False):
            return False
        if not config.helpsite_locale or is_source_build(config) or not config.locale_dirs:
            return False
        try:
            filetype = get_filetype(config.source_suffix, self.document.get("source", ""))
        except FiletypeNotFoundError:
            return False
        return filetype == "markdown"  # an .rst page's messages are reST: Locale's job


def _only_marks(node: nodes.Element, msg: str, msgstr: str) -> bool | None:
    """For a message left to Locale: the ``translated`` flag Locale would give it when it
    would only mark it (untranslated: False, the same text: True), else None."""
    if not isinstance(node, LITERAL_TYPE_NODES):
        msgstr, _noqa = parse_noqa(msgstr)
    if not msgstr.strip():
        return False
    return True if msgstr == msg else None


def skip_locale(document: nodes.document, flags: list[tuple[nodes.Element, bool]]) -> None:
    """Nothing is left for Locale to translate on this page: give the messages the flags
    it would give them and take it out of the page's pending transforms. Locale would
    load the page's catalog once more and walk the page twice to find nothing to do."""
    for node, translated in flags:
        node["translated"] = translated  # as Locale's first phase, in the same order
    compat.drop_pending_transform(document, Locale)


class ReleaseMessages(SphinxTransform):
    """Give the nodes hidden from Locale their message text back, so later steps
    (fallback marking, translation statistics) see every message again."""

    default_priority = 21

    def apply(self, **kwargs: object) -> None:
        for node, attribute, value in _HIDDEN.pop(self.document, []):
            if attribute == "rawsource":
                node.rawsource = value
            else:
                node[attribute] = value


def register(app: Sphinx) -> None:
    """MyST's parser for ``.md`` replaced by the reusing one, and the two transforms."""
    app.add_source_parser(HelpsiteMystParser, override=True)
    app.add_transform(TranslateMessages)
    app.add_transform(ReleaseMessages)
