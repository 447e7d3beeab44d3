"""The Markdown parser the body checks read with, and where each token sits in the file.

The checks parse with markdown-it-py configured exactly as MyST-Parser configures it for
the Sphinx build (:func:`myst_parser.parsers.mdit.create_md_parser`), so a check sees the
same links, headings and raw HTML the build will. Block tokens carry line maps relative to
the body; inline children do not, so :func:`inline_children` counts line breaks to place
them. Every position is turned into the file's own numbering with ``body_start_line``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from helpsite.checks.context import BodyContext
from helpsite.findings import Code, Finding

# MyST's own default for ``myst_enable_extensions`` (helpsite.sphinx sets none): what an
# article is parsed with when no conf.py says otherwise (see site_myst_extensions).
MYST_EXTENSIONS: tuple[str, ...] = tuple(sorted(MdParserConfig().enable_extensions))

# MyST directives whose content is Markdown (links inside a note must be checked too).
MARKDOWN_DIRECTIVES = frozenset({
    "admonition", "attention", "caution", "danger", "error", "hint", "important", "note",
    "seealso", "tip", "warning", "versionadded", "versionchanged", "deprecated", "topic",
    "sidebar", "rubric", "epigraph", "highlights", "pull-quote", "dropdown",
})


def _accept_every_link(url: str) -> bool:
    """markdown-it drops javascript:/vbscript:/data: links silently; we want to report them."""
    return True


def _keep_link_as_written(url: str) -> str:
    """Targets as the writer typed them (no %-encoding): the checks decode them once
    themselves, and encoding every URL is an eighth of the parse time."""
    return url


def site_myst_extensions(source_root: Path) -> tuple[str, ...]:
    """The MyST syntax extensions the build of ``source_root`` enables: conf.py's
    ``myst_enable_extensions`` (the folder's own conf.py or its parent's, as
    :func:`helpsite.checks.tree.find_source_root` finds them), read by the one conf.py
    reader, so validation and build read articles the same way."""
    for folder in (source_root, source_root.parent):
        if (folder / "conf.py").is_file():
            from helpsite.siteconf import read_conf  # Sphinx's reader: only here

            return read_conf(folder).myst_extensions
    return MYST_EXTENSIONS


@cache
def markdown_parser(extensions: tuple[str, ...] = MYST_EXTENSIONS) -> MarkdownIt:
    """One parser per process: building the rule chains for every file would be waste."""
    parser = create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML)
    parser.validateLink = _accept_every_link
    parser.normalizeLink = _keep_link_as_written
    # The body is parsed without its front matter (a leading '---' in it is a rule, as in
    # the build), and word counts are never used here.
    parser.disable(["front_matter", "wordcount"])
    return parser


@dataclass(frozen=True)
class Placed:
    """An inline token and the body line (0-based) it starts on."""

    token: Token
    line: int


def inline_children(inline: Token) -> list[Placed]:
    """The children of an ``inline`` token, each with its body line."""
    line = inline.map[0] if inline.map else 0
    placed = []
    for child in inline.children or ():
        placed.append(Placed(child, line))
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type in ("html_inline", "text", "code_inline"):
            line += child.content.count("\n")
    return placed


def directive_name(fence: Token) -> str | None:
    """``note`` for a MyST directive fence ```` ```{note} ````, else None."""
    info = fence.info.strip()
    if info.startswith("{") and "}" in info:
        return info[1 : info.index("}")]
    return None


def directive_body(fence: Token) -> tuple[str, int]:
    """The Markdown content of a directive fence, and its first body line (0-based).

    Leading ``:option: value`` lines are directive options, not content; they are
    blanked rather than removed so line numbers stay right.
    """
    lines = fence.content.split("\n")
    for index, line in enumerate(lines):
        if not line.startswith(":"):
            break
        lines[index] = ""
    first = (fence.map[0] if fence.map else 0) + 1  # the line after the opening fence
    return "\n".join(lines), first


@dataclass(frozen=True)
class Located:
    """A block token, the offset to add to its body line, and whether it is in a directive."""

    token: Token
    offset: int
    nested: bool

    @property
    def line(self) -> int:
        """The token's first body line (0-based)."""
        return self.offset + (self.token.map[0] if self.token.map else 0)


@dataclass
class ParsedBody:
    """A body's tokens, including those of Markdown nested in directives."""

    tokens: list[Located]
    lines: Sequence[str]
    _children: dict[int, list[Placed]] = field(default_factory=dict)

    def children(self, index: int) -> list[Placed]:
        """The placed children of the inline token ``tokens[index]``, computed once."""
        placed = self._children.get(index)
        if placed is None:
            located = self.tokens[index]
            placed = self._children[index] = [
                Placed(p.token, p.line + located.offset) for p in inline_children(located.token)
            ]
        return placed


def parse_body(body: str, parser: MarkdownIt | None = None) -> ParsedBody:
    parser = parser or markdown_parser()
    tokens: list[Located] = []
    _collect(parser, body, 0, tokens, depth=0)
    return ParsedBody(tokens, body.split("\n"))


def _collect(parser: MarkdownIt, text: str, offset: int, out: list[Located], depth: int) -> None:
    for token in parser.parse(text):
        out.append(Located(token, offset, depth > 0))
        if token.type == "fence" and depth < 4 and directive_name(token) in MARKDOWN_DIRECTIVES:
            content, first = directive_body(token)
            _collect(parser, content, offset + first, out, depth + 1)


def iter_inlines(parsed: ParsedBody) -> Iterator[tuple[Located, list[Placed]]]:
    """Each inline token with its placed children (lines include the token's offset)."""
    for index, located in enumerate(parsed.tokens):
        if located.token.type == "inline":
            yield located, parsed.children(index)


def _closes(line: str, markup: str) -> bool:
    """Whether ``line`` (container markers and indentation aside) closes a fence opened
    with ``markup``: the same character, at least as many, nothing else."""
    stripped = line.lstrip(" \t>").rstrip()
    return len(stripped) >= len(markup) and set(stripped) == {markup[0]}


def unclosed_fences(parsed: ParsedBody) -> list[Located]:
    """The code fences that are never closed: markdown-it lets such a fence run to the
    end of its container (most often the article), so everything after it is code. A
    closed fence's last line is its closing fence; an unclosed one's is anything else."""
    found = []
    for located in parsed.tokens:
        token = located.token
        if token.type != "fence" or not token.map or not token.markup:
            continue
        start, end = token.map
        last = located.offset + end - 1
        closed = end - start > 1 and 0 <= last < len(parsed.lines) and _closes(
            parsed.lines[last], token.markup)
        if not closed:
            found.append(located)
    return found


def check_fences(parsed: ParsedBody, ctx: BodyContext) -> Iterator[Finding]:
    """``body.unclosed-fence`` at the line each unclosed fence opens."""
    for located in unclosed_fences(parsed):
        marker = located.token.markup
        yield ctx.finding(
            Code.BODY_UNCLOSED_FENCE, located.line, ctx.column(located.line, marker),
            f"the code fence {marker} opened here is never closed, so the rest of the "
            f"article is shown as code: add a line {marker} where the code ends")
