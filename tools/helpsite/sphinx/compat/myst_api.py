"""Where helpsite relies on MyST-Parser's renderer and markdown-it's token stream beyond
their documented API: the per-render state of MyST's renderer, set without the default
document MyST makes first, and the tokens of one paragraph made without the block parser.
Each is compared once per process with what the library itself does."""

from __future__ import annotations

import functools
from collections.abc import MutableMapping
from typing import Any
from weakref import WeakKeyDictionary

from docutils import nodes
from docutils.parsers.rst.languages import get_language as get_language_rst
from markdown_it import MarkdownIt
from markdown_it.token import Token
from myst_parser.mdit_to_docutils.base import DocutilsRenderer

from helpsite.sphinx.compat.versions import require

# What MyST's setup_render sets on the renderer, besides what it copies from its arguments.
_RENDER_STATE = frozenset({"md_env", "md_options", "md_config", "document", "current_node",
                           "reporter", "language_module_rst", "_heading_offset",
                           "_level_to_section", "_heading_slugs"})


def setup_render_for(renderer: DocutilsRenderer, options: dict[str, Any],
                     env: MutableMapping[str, Any], document: nodes.document) -> None:
    """What :meth:`DocutilsRenderer.setup_render` does for ``document``, without the
    docutils document (and settings) it builds as the default of ``options["document"]``
    on every render, used or not."""
    require(render_state_unchanged(type(renderer)), "myst-parser",
            "DocutilsRenderer.setup_render setting " + ", ".join(sorted(_RENDER_STATE)))
    renderer.md_env = env
    renderer.md_options = options
    renderer.md_config = options["myst_config"]
    renderer.document = document
    renderer.current_node = options.get("current_node", document)
    renderer.reporter = document.reporter
    renderer.language_module_rst = get_language_rst(document.settings.language_code)
    renderer._heading_offset = 0  # type: ignore[attr-defined]
    renderer._level_to_section = {0: document}  # type: ignore[attr-defined]
    renderer._heading_slugs = {}  # type: ignore[attr-defined]


@functools.cache
def render_state_unchanged(cls: type[DocutilsRenderer]) -> bool:
    """Whether MyST's own setup_render sets exactly the state :func:`setup_render_for`
    sets (checked once per renderer class, on a throw-away renderer)."""
    probe = DocutilsRenderer.__new__(cls)
    before = set(vars(probe))
    options = {"myst_config": None}
    try:
        DocutilsRenderer.setup_render(probe, options, {})
    except Exception:  # a changed signature or argument: not the renderer it was
        return False
    return set(vars(probe)) - before == _RENDER_STATE


def paragraph_tokens(md: MarkdownIt, line: str, env: dict[str, Any]) -> list[Token]:
    """The tokens of a paragraph holding ``line``, as markdown-it's paragraph rule makes
    them on line 1, with ``line``'s inline tokens in place of the ``inline`` token (the
    renderer renders both alike): one inline parse instead of a block parse."""
    require(_paragraph_rule_unchanged(md), "markdown-it-py",
            "paragraph_open/paragraph_close tokens as the paragraph rule made them")
    inline = md.parseInline(line, env)
    for token in inline:
        token.block, token.level = True, 1
    return [Token("paragraph_open", "p", 1, map=[0, 1], block=True), *inline,
            Token("paragraph_close", "p", -1, block=True)]


_PROBE = "probe"
_CHECKED: WeakKeyDictionary[MarkdownIt, bool] = WeakKeyDictionary()


def _paragraph_rule_unchanged(md: MarkdownIt) -> bool:
    """Whether ``md`` parses a one-line paragraph into the tokens :func:`paragraph_tokens`
    makes around it (checked once per parser)."""
    checked = _CHECKED.get(md)
    if checked is None and "paragraph" not in md.block.ruler.get_active_rules():
        # Without its paragraph rule markdown-it-py 4.2 never gets past the probe's line.
        checked = _CHECKED[md] = False
    if checked is None:
        expected = [("paragraph_open", "p", 1, [0, 1], True),
                    ("inline", "", 0, [0, 1], True), ("paragraph_close", "p", -1, None, True)]
        try:
            made = md.parse(_PROBE, {})
        except Exception:  # a parser that cannot parse one word is not the one it was
            made = []
        found = [(t.type, t.tag, t.nesting, t.map, t.block) for t in made]
        checked = _CHECKED[md] = found == expected
    return checked
