"""Step numbers run into a paragraph: ``... in 4. Als u ...``, ``details 4.To make``.

A number followed by a full stop is everywhere in prose ("Windows 10. The", "version 80.",
German dates "am 1. Juli"), so a candidate counts as a step only when the numbering
says so:

* inside step k of a numbered list, numbers continuing the count (k+1, k+2, ...) are
  steps that lost their line break;
* outside a list, a run of at least three numbers counting up from 1 is a list written
  inside one paragraph;
* a line that starts with ``4.Text`` (no space) is a step that Markdown did not number,
  wherever it is.

A candidate is a number of one or two digits, after white space, followed by a full stop
and (after optional spaces) a capital letter, bold text or a link. A number after the
word "step" ("see step 4. Then ...") is a reference, not a step, and so is a day before
a month name ("am 3. Juni", "den 3. juni"): languages that write a day as an ordinal
number with a full stop have their month names from Babel's CLDR data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from babel import Locale
from markdown_it.token import Token

from helpsite.checks.bodyparser import ParsedBody, Placed
from helpsite.checks.context import BodyContext
from helpsite.findings import Code, Finding

_MID = re.compile(r"(?<=\s)(\d{1,2})\.(?=\s*(\*\*|__|\[|[^\W\d_]))")
_LINE_START = re.compile(r"^(\d{1,2})\.(?=[^\W\d_])")
_STEP_WORDS = frozenset({
    "step", "steps", "stap", "stappen", "schritt", "schritte", "schritten", "étape",
    "étapes", "paso", "pasos", "passo", "passaggio",
})
_PLACEHOLDER = {"code_inline": "§", "image": "¤", "html_inline": " "}
# Languages that write "3. Juni": a day is an ordinal number, with a full stop.
_ORDINAL_DAY_LANGUAGES = ("de", "da", "nb", "nn", "fi", "cs", "sk", "sl", "hr", "et",
                          "is", "fo", "sr_Latn", "bs")


@cache
def month_names() -> frozenset[str]:
    """Month names, wide and abbreviated (without their full stop), case-folded."""
    names: set[str] = set()
    for language in _ORDINAL_DAY_LANGUAGES:
        locale = Locale.parse(language)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                names.update(n.rstrip(".").casefold()
                             for n in locale.months[context][width].values())
    return frozenset(names)


def _before_month(text: str, end: int) -> bool:
    words = text[end:].split(maxsplit=1)
    return bool(words) and words[0].strip("*_[],.").casefold() in month_names()


@dataclass(frozen=True)
class Candidate:
    number: int
    line: int  # body line
    start: int  # offset in the flattened line
    end: int
    no_space: bool  # '4.To' at the start of a line
    text: str  # the flattened line


def _flatten(children: list[Placed]) -> list[tuple[int, str]]:
    """(body line, text) per source line, markup kept only where it marks bold or links."""
    lines: list[tuple[int, list[str]]] = []
    for placed in children:
        token = placed.token
        if not lines or lines[-1][0] != placed.line:
            lines.append((placed.line, []))
        if token.type == "text":
            lines[-1][1].append(token.content)
        elif token.type in ("strong_open", "strong_close", "em_open", "em_close"):
            lines[-1][1].append(token.markup)
        elif token.type == "link_open":
            lines[-1][1].append("[")
        elif token.type == "link_close":
            lines[-1][1].append("]")
        elif token.type in _PLACEHOLDER:
            lines[-1][1].append(_PLACEHOLDER[token.type] * max(len(token.content), 1))
    return [(line, "".join(parts)) for line, parts in lines]


def _starts_with_capital(text: str, at: int) -> bool:
    rest = text[at:].lstrip()
    if rest.startswith(("**", "__", "[")):
        return True
    return bool(rest) and rest[0].isupper()


def _after_step_word(text: str, start: int) -> bool:
    words = text[:start].rstrip(" *_").split()
    return bool(words) and words[-1].strip("*_([").casefold() in _STEP_WORDS


def _candidates(flat: list[tuple[int, str]]) -> Iterator[Candidate]:
    for line, text in flat:
        stripped = text.lstrip(" *_")
        head = _LINE_START.match(stripped)
        if head and stripped[head.end()].isupper():
            offset = len(text) - len(stripped)
            yield Candidate(int(head.group(1)), line, offset + head.start(),
                            offset + head.end(), True, text)
        for match in _MID.finditer(text):
            if _starts_with_capital(text, match.end()) and not _after_step_word(
                text, match.start()
            ) and not _before_month(text, match.end()):
                yield Candidate(int(match.group(1)), line, match.start(), match.end(), False,
                                text)


def run_in_steps(children: list[Placed], item: frozenset[int]) -> list[Candidate]:
    """The candidates of one paragraph that are steps.

    ``item`` holds the number of the list item the paragraph is in: both the number the
    writer typed and the number Markdown shows, which differ when a list skips or repeats
    numbers ("1. 2. 4." shows 1, 2, 3). Empty outside numbered lists.
    """
    candidates = list(_candidates(_flatten(children)))
    accepted: list[Candidate] = []
    previous = set(item)
    for index, candidate in enumerate(candidates):
        counts_on = candidate.number - 1 in previous
        starts = not item and candidate.number == 1 and _counts_on(candidates, index)
        if candidate.no_space or counts_on or starts:
            accepted.append(candidate)
            previous = {candidate.number}
    return accepted


def _counts_on(candidates: list[Candidate], index: int) -> bool:
    """True when later candidates of the paragraph count on to 3 (1, 2, 3).

    Two are not enough outside a list: "am 1. Juli ... am 2. August" is prose.
    """
    expected = candidates[index].number + 1
    for candidate in candidates[index + 1 :]:
        if candidate.number == expected:
            expected += 1
    return expected > candidates[index].number + 2


def _list_item_numbers(tokens: list[Token]) -> dict[int, frozenset[int]]:
    """For each paragraph's inline token index: the numbers of its enclosing ordered item."""
    numbers: dict[int, frozenset[int]] = {}
    lists: list[list[int]] = []  # per open list: [is_ordered, next number shown]
    items: list[frozenset[int]] = []
    for index, token in enumerate(tokens):
        if token.type in ("ordered_list_open", "bullet_list_open"):
            ordered = token.type == "ordered_list_open"
            start = int(token.attrGet("start") or 1) if ordered else 0
            lists.append([int(ordered), start])
        elif token.type in ("ordered_list_close", "bullet_list_close"):
            lists.pop()
        elif token.type == "list_item_open" and lists:
            ordered, shown = lists[-1]
            typed = int(token.info) if token.info.isdigit() else shown
            items.append(frozenset({shown, typed}) if ordered else frozenset())
            lists[-1][1] += 1
        elif token.type == "list_item_close" and items:
            items.pop()
        elif token.type == "inline" and index and tokens[index - 1].type == "paragraph_open":
            numbers[index] = items[-1] if items else frozenset()
    return numbers


def _raw_column(ctx: BodyContext, candidate: Candidate) -> int:
    """The candidate's column in the source line, matching it by occurrence."""
    pattern = re.compile(rf"(?<![\d.]){candidate.number}\.(?!\d)")
    before = len(pattern.findall(candidate.text[: candidate.start]))
    raw = ctx.lines[candidate.line] if 0 <= candidate.line < len(ctx.lines) else ""
    matches = list(pattern.finditer(raw))
    return matches[before].start() + 1 if before < len(matches) else 1


def _excerpt(candidate: Candidate) -> str:
    before = candidate.text[max(candidate.start - 20, 0) : candidate.start].lstrip()
    after = candidate.text[candidate.end : candidate.end + 12].rstrip()
    return f"{'…' if candidate.start > 20 else ''}{before}{candidate.number}.{after}…"


def check_steps(parsed: ParsedBody, ctx: BodyContext) -> Iterator[Finding]:
    tokens = [located.token for located in parsed.tokens]
    numbers = _list_item_numbers(tokens)
    for index, item in numbers.items():
        for candidate in run_in_steps(parsed.children(index), item):
            yield _finding(ctx, candidate)


def _finding(ctx: BodyContext, candidate: Candidate) -> Finding:
    column = _raw_column(ctx, candidate)
    if candidate.no_space:
        word = candidate.text[candidate.end :].split(" ", 1)[0]
        return ctx.finding(Code.STEP_RUN_IN, candidate.line, column,
                           f"'{candidate.number}.{word}' has no space after the number, so "
                           f"Markdown does not number it: write '{candidate.number}. {word}' "
                           "on its own line")
    return ctx.finding(Code.STEP_RUN_IN, candidate.line, column,
                       f"step {candidate.number} is run into the paragraph ('{_excerpt(candidate)}'"
                       f"): start it on a new line as '{candidate.number}. ...' so it is numbered")
