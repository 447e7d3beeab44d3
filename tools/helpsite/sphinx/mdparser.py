"""One MyST parser per build process, reused for every article and every message.

MyST-Parser builds a new markdown-it parser (rules, plugins) for every document it parses,
and its renderer evaluates ``make_document()`` — a fresh set of docutils default settings,
about 80 option registrations — as a default argument even when it is handed a document.
Sphinx's i18n step parses every translated message that way, so a translated page cost
four times a source page. Here the parser is built once per MyST configuration and the
renderer is set up without the throw-away settings; what MyST produces is unchanged.

:class:`HelpsiteMystParser` replaces MyST's parser for ``.md`` files (registered with
``override=True``); :func:`message_parser` is the parser for translated messages
(:mod:`helpsite.sphinx.fasti18n`). ``helpsite_fast_build = False`` turns both off.
"""

from __future__ import annotations

import functools
from collections.abc import MutableMapping
from typing import Any

from docutils import nodes
from markdown_it import MarkdownIt
from markdown_it.common import normalize_url
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig, TopmatterReadError, read_topmatter
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser

from helpsite.sphinx import compat

# (id of the MyST config, for messages) → (that config, its parser). The config object is
# kept so an id reused by a later build's config never returns a stale parser.
_PARSERS: dict[tuple[int, bool], tuple[MdParserConfig, MarkdownIt]] = {}


class ReusableRenderer(SphinxRenderer):
    """MyST's Sphinx renderer, set up for a given document without building default
    docutils settings first (the base class does that for every render)."""

    def setup_render(self, options: dict[str, Any], env: MutableMapping[str, Any]) -> None:
        document = options.get("document")
        if document is None:
            super().setup_render(options, env)
            return
        compat.setup_render_for(self, options, env, document)


def cached_parser(config: MdParserConfig, *, messages: bool = False) -> MarkdownIt:
    """The parser for ``config``, built on first use. The message parser counts no words:
    MyST would store each message's word count as the page's."""
    key = (id(config), messages)
    hit = _PARSERS.get(key)
    if hit is not None and hit[0] is config:
        return hit[1]
    md = create_md_parser(config, ReusableRenderer)
    if messages:
        md.disable("wordcount", True)
    # markdown-it's documented hooks for encoding link targets, here remembered: parsing
    # and re-encoding a URL (punycode included) costs ~0.1 ms, and a translated page
    # links to the same targets as its source page, which the same process parsed.
    md.normalizeLink = _normalize_link  # type: ignore[method-assign]
    md.normalizeLinkText = _normalize_link_text  # type: ignore[method-assign]
    _PARSERS[key] = (config, md)
    return md


@functools.lru_cache(maxsize=16_384)
def _normalize_link(url: str) -> str:
    return normalize_url.normalizeLink(url)


@functools.lru_cache(maxsize=16_384)
def _normalize_link_text(url: str) -> str:
    return normalize_url.normalizeLinkText(url)


def message_parser(config: MdParserConfig) -> MarkdownIt:
    return cached_parser(config, messages=True)


def render_into(md: MarkdownIt, text: str, document: nodes.document) -> None:
    """Parse ``text`` and append what it says to ``document``."""
    env: dict[str, Any] = {}
    _render(md, md.parse(text, env), env, document)


def render_lines_into(md: MarkdownIt, lines: list[str], document: nodes.document) -> None:
    """Append one paragraph per line to ``document``, each line being text that only a
    paragraph can hold (:func:`helpsite.sphinx.fasti18n.batchable`), without the block
    parser: the tokens its paragraph rule would make around markdown-it's inline parse
    of each line, every paragraph on line 1, rendered in one go."""
    env: dict[str, Any] = {}
    tokens: list[Token] = []
    for line in lines:
        tokens += compat.paragraph_tokens(md, line, env)
    _render(md, tokens, env, document)


def _render(md: MarkdownIt, tokens: list[Token], env: dict[str, Any],
            document: nodes.document) -> None:
    options = md.options
    options["document"] = document
    try:
        md.renderer.render(tokens, options, env)
    finally:
        del options["document"]  # the parser outlives the document


def fast_build(config: object) -> bool:
    return bool(getattr(config, "helpsite_fast_build", True))


class HelpsiteMystParser(MystParser):
    """MyST's parser with one markdown-it parser per configuration instead of one per
    document. Front matter that sets MyST options per file keeps MyST's own path."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        if not fast_build(env.config):
            super().parse(inputstring, document)
            return
        try:
            topmatter = read_topmatter(inputstring)
        except TopmatterReadError:
            topmatter = None  # MyST reports it while rendering
        if topmatter:
            super().parse(inputstring, document)
            return
        render_into(cached_parser(env.myst_config), inputstring, document)
