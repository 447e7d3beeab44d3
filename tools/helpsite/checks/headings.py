"""Headings: an article has exactly one H1, and heading levels never skip one."""

from __future__ import annotations

from collections.abc import Iterator

from helpsite.checks.bodyparser import ParsedBody
from helpsite.checks.context import BodyContext
from helpsite.findings import Code, Finding
from helpsite.metadata.schema import PageKind


def heading_text(parsed: ParsedBody, index: int) -> str:
    """The plain text of the heading whose ``heading_open`` is ``parsed.tokens[index]``."""
    inline = parsed.tokens[index + 1].token if index + 1 < len(parsed.tokens) else None
    if inline is None or inline.type != "inline":
        return ""
    return "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))


def check_headings(parsed: ParsedBody, ctx: BodyContext) -> Iterator[Finding]:
    # Headings inside directives (a note's own title) are not part of the outline.
    headings = [
        (index, int(located.token.tag[1:]), located.line)
        for index, located in enumerate(parsed.tokens)
        if located.token.type == "heading_open" and not located.nested
    ]
    h1_lines = [line for _, level, line in headings if level == 1]
    if ctx.kind is not PageKind.INCLUDE and not h1_lines:
        yield ctx.finding(Code.BODY_H1_MISSING, 0, 1,
                          "the article has no H1: start the body with '# Title'")
    for line in h1_lines[1:]:
        yield ctx.finding(Code.BODY_H1_MULTIPLE, line, 1,
                          f"a second H1 (the first is on line {ctx.file_line(h1_lines[0])}); "
                          "an article has one H1, make this one an H2 ('## ')")
    previous: int | None = None
    for index, level, line in headings:
        if previous is not None and level > previous + 1:
            text = heading_text(parsed, index)
            yield ctx.finding(Code.BODY_HEADING_SKIP, line, 1,
                              f"H{level} '{text}' follows an H{previous}: "
                              f"make it an H{previous + 1} ({'#' * (previous + 1)} )")
        previous = level
