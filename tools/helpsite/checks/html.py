"""Raw HTML in an article: a small allowlist, and nothing that can run code.

Allowed: the heading anchor ``<a name="...">`` (or ``id``), ``<br>``, ``<img>`` with a
safe source, and comments. Elements or attributes that can run code or load another
document (``<script>``, ``<iframe>``, ``on*=`` handlers, ``javascript:`` URLs) are
``html.unsafe`` errors; any other HTML is ``html.disallowed``: the build drops it. Words in
angle brackets that are not HTML elements (``<mailboxname>``) are placeholders the writer
meant as text, which the browser would silently hide.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from helpsite.checks.bodyparser import ParsedBody, iter_inlines
from helpsite.checks.context import BodyContext
from helpsite.checks.links import target_findings
from helpsite.checks.linktargets import TargetKind, classify
from helpsite.findings import Code, Finding

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"name", "id"}),
    "br": frozenset(),
    "img": frozenset({"src", "alt", "width", "height", "title"}),
}
UNSAFE_ELEMENTS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form",
    "meta", "link", "portal", "noscript", "template",
})
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "poster", "background", "data",
    "srcset", "lowsrc", "dynsrc", "ping", "cite", "longdesc", "usemap", "manifest",
})
# The elements of HTML (WHATWG), plus obsolete ones browsers still honour, and the SVG and
# MathML roots: a name outside this set is a placeholder, not markup.
_HTML_ELEMENT_NAMES = """
a abbr acronym address applet area article aside audio b base basefont bdi bdo big
blink blockquote body br button canvas caption center cite code col colgroup data datalist
dd del details dfn dialog dir div dl dt em embed fieldset figcaption figure font footer
form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins
kbd label legend li link main map mark marquee math menu meta meter nav nobr noembed
noframes noscript object ol optgroup option output p param picture portal pre progress q
rp rt ruby s samp script search section select slot small source span strike strong style
sub summary sup svg table tbody td template textarea tfoot th thead time title tr track tt
u ul var video wbr xmp
"""
HTML_ELEMENTS = frozenset(_HTML_ELEMENT_NAMES.split())


# Inline HTML that needs no parsing: end tags, comments, <br> and the heading anchor, which
# together are nearly all the raw HTML of real articles (one anchor per H1).
_TRIVIAL = re.compile(
    r'</[A-Za-z][\w-]*\s*>|<!--.*?-->|<br\s*/?>|<a\s+(?:name|id)="[^"<>&]*"\s*>',
    re.DOTALL | re.IGNORECASE,
)


@dataclass(frozen=True)
class Tag:
    name: str
    attributes: list[tuple[str, str | None]]
    text: str  # the tag as written
    line: int  # line within the fed HTML (0-based)
    column: int  # 0-based


class _TagCollector(HTMLParser):
    """Start tags of an HTML fragment, with their positions; end tags are harmless."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Tag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        self.tags.append(Tag(tag, attrs, self.get_starttag_text() or f"<{tag}>", line - 1,
                             column))


def start_tags(html: str) -> list[Tag]:
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


def _unsafe_reasons(tag: Tag) -> list[str]:
    reasons = []
    if tag.name in UNSAFE_ELEMENTS:
        reasons.append(f"<{tag.name}> can run code or load another page")
    for name, value in tag.attributes:
        if name.startswith("on"):
            reasons.append(f"the event handler {name}= runs script")
        elif name in URL_ATTRIBUTES and value is not None:
            image = tag.name == "img" and name == "src"
            if classify(value, image=image) is TargetKind.UNSAFE:
                reasons.append(f"{name}= holds a {value.split(':', 1)[0].strip().lower()}: URL")
        elif name == "style" and value and ("expression(" in value or "javascript:" in value):
            reasons.append("the style attribute runs script")
    return reasons


def _disallowed_reason(tag: Tag) -> str | None:
    if tag.name not in HTML_ELEMENTS:
        return (f"'{tag.text}' is not an HTML element: the browser hides it as an unknown "
                f"tag. Write it as code (`{tag.text}`) or escape it (\\{tag.text[:-1]}\\>)")
    allowed = ALLOWED_ATTRIBUTES.get(tag.name)
    if allowed is None:
        return (f"raw HTML <{tag.name}> is not in the allowlist (<a name>, <br>, <img>) and "
                "is dropped from the page; use Markdown instead")
    extra = sorted({name for name, _ in tag.attributes} - allowed)
    if extra:
        hint = "; write a Markdown link [text](url)" if "href" in extra else ""
        return f"<{tag.name}> with {', '.join(extra)}= is not in the allowlist{hint}"
    return None


def tag_findings(ctx: BodyContext, tag: Tag, line: int, column: int) -> Iterator[Finding]:
    unsafe = _unsafe_reasons(tag)
    if unsafe:
        yield ctx.finding(Code.HTML_UNSAFE, line, column,
                          f"{'; '.join(unsafe)}: remove it ('{_short(tag.text)}')")
        return
    reason = _disallowed_reason(tag)
    if reason:
        yield ctx.finding(Code.HTML_DISALLOWED, line, column, reason)
    if tag.name == "img":
        src = dict(tag.attributes).get("src")
        if src is None:
            yield ctx.finding(Code.LINK_TARGET_MISSING, line, column, "<img> has no src=")
        else:
            yield from target_findings(ctx, src, line, column, image=True, what="image")


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_html(parsed: ParsedBody, ctx: BodyContext) -> Iterator[Finding]:
    searched_from: dict[int, int] = {}  # per line: where to look for the next tag's column
    for located in parsed.tokens:
        if located.token.type == "html_block":
            for tag in start_tags(located.token.content):
                line = located.line + tag.line
                yield from tag_findings(ctx, tag, line, _column(ctx, line, tag, searched_from))
    for _located, children in iter_inlines(parsed):
        for placed in children:
            if placed.token.type == "html_inline" and not _TRIVIAL.fullmatch(
                placed.token.content
            ):
                for tag in start_tags(placed.token.content):
                    line = placed.line + tag.line
                    yield from tag_findings(ctx, tag, line,
                                            _column(ctx, line, tag, searched_from))


def _column(ctx: BodyContext, line: int, tag: Tag, searched_from: dict[int, int]) -> int:
    """The tag's column; a second identical tag on the line is found after the first."""
    column = ctx.column(line, tag.text, searched_from.get(line, 0))
    searched_from[line] = column
    return column
