"""Markdown links and images: safe targets, some link text, relative files that exist.

Root-relative targets (``/azure/billing/...``) are pages of the live web site the articles
are published on, not files of this tree, so they are left to the link checker; so are
absolute URLs. In-page anchors (``#section``) are not checked here.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

from helpsite.checks.bodyparser import ParsedBody, Placed, iter_inlines
from helpsite.checks.context import BodyContext
from helpsite.checks.linktargets import TargetKind, classify, file_part, scheme_of, shorten
from helpsite.checks.tree import Resolution
from helpsite.findings import Code, Finding


def target_findings(
    ctx: BodyContext, target: str, line: int, column: int, *, image: bool, what: str
) -> Iterator[Finding]:
    """Findings for one link or image target (also used for raw HTML ``href``/``src``)."""
    kind = classify(target, image=image)
    shown = shorten(unquote(target))
    if kind is TargetKind.UNSAFE:
        yield ctx.finding(Code.LINK_UNSAFE_SCHEME, line, column,
                          f"{what} target '{shown}' uses a {scheme_of(target)}: URL, which "
                          "can run code or hide content; it is never published")
    elif kind is TargetKind.EMPTY:
        yield ctx.finding(Code.LINK_TARGET_MISSING, line, column,
                          f"the {what} has no target: write the address between the parentheses")
    elif kind is TargetKind.RELATIVE and ctx.folder is not None:
        path = file_part(target)
        if path:
            yield from _file_findings(ctx, path, shown, line, column, what)


def _file_findings(
    ctx: BodyContext, path: str, shown: str, line: int, column: int, what: str
) -> Iterator[Finding]:
    assert ctx.folder is not None
    resolved = ctx.tree.resolve(ctx.folder, path)
    if resolved.status is Resolution.OUTSIDE:
        yield ctx.finding(Code.LINK_OUTSIDE_TREE, line, column,
                          f"{what} target '{shown}' leads outside the source tree "
                          f"({ctx.tree.root.name}/); only files inside it are published")
    elif resolved.status is Resolution.MISSING:
        yield ctx.finding(Code.LINK_TARGET_MISSING, line, column,
                          f"{what} target '{shown}' does not exist in the source tree")
    elif resolved.status is Resolution.CASE_MISMATCH:
        yield ctx.finding(Code.LINK_CASE_MISMATCH, line, column,
                          f"{what} target '{shown}' exists only as '{resolved.path}' "
                          "(different case); the published site is case-sensitive")


def _has_text(children: list[Placed], start: int) -> bool:
    """True when the link opened at ``children[start]`` shows something before it closes."""
    depth = 0
    for placed in children[start + 1 :]:
        token = placed.token
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            if depth == 0:
                return False
            depth -= 1
        elif token.type == "image" or (token.content.strip() and token.type != "softbreak"):
            return True
    return False


def _column(ctx: BodyContext, line: int, target: str, cursor: dict[int, int]) -> int:
    """Where the link's target is written on its line (1 when it cannot be found).

    ``cursor`` remembers, per line, where the previous link was found, so two links with
    the same target (or two empty ones) on a line each get their own column.
    """
    text = ctx.lines[line] if 0 <= line < len(ctx.lines) else ""
    shown = unquote(target)
    needles = ((f"]({shown}", 2), (f"](<{shown}", 3), (f"]( {shown}", 3), (f"]({target}", 2))
    for start in (cursor.get(line, 0), 0):
        for needle, shift in needles:
            index = text.find(needle, start)
            if index >= 0:
                cursor[line] = index + 1
                return index + 1 + shift
    return 1


def _bracket_column(ctx: BodyContext, line: int, target_column: int) -> int:
    """The column of the '[' that opens the link whose target starts at ``target_column``."""
    text = ctx.lines[line] if 0 <= line < len(ctx.lines) else ""
    close = text.rfind("](", 0, max(target_column - 1, 0))
    return text.rfind("[", 0, close) + 1 if close > 0 else 1


def check_links(parsed: ParsedBody, ctx: BodyContext) -> Iterator[Finding]:
    cursor: dict[int, int] = {}
    for _located, children in iter_inlines(parsed):
        for index, placed in enumerate(children):
            token = placed.token
            if token.type == "link_open":
                target = str(token.attrGet("href") or "")
                column = _column(ctx, placed.line, target, cursor)
                yield from target_findings(ctx, target, placed.line, column, image=False,
                                           what="link")
                if token.markup != "autolink" and not _has_text(children, index):
                    to = f" to '{shorten(unquote(target))}'" if target else ""
                    yield ctx.finding(Code.LINK_EMPTY_TEXT, placed.line,
                                      _bracket_column(ctx, placed.line, column),
                                      f"the link{to} has no text ([](...)): write what the "
                                      "reader will find there between the brackets")
            elif token.type == "image":
                target = str(token.attrGet("src") or "")
                column = _column(ctx, placed.line, target, cursor)
                yield from target_findings(ctx, target, placed.line, column, image=True,
                                           what="image")
