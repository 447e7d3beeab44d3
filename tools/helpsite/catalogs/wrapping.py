"""Line wrapping of PO strings the way GNU gettext (msgmerge, msgcat, Poedit) does it.

Poedit saves through gettext's own writer at page width 79 by default, and Weblate's
default ("77 characters", counted without the quotes) gives the same lines. So catalogs
written here diff cleanly against files the translators' tools wrote.

The algorithm follows gettext's ``wrap()``: a string is cut after every ``\\n``; each
piece is escaped and broken at Unicode line-break opportunities (a reduced UAX #14 pair
table, as gnulib's ``unilbrk`` uses) so no line passes the page width; a string that
needs more than one line starts with an empty ``""`` line. East Asian wide characters
count two columns.
"""

from __future__ import annotations

import itertools
import unicodedata
from functools import lru_cache

from helpsite.catalogs.pofile import escape

DEFAULT_PAGE_WIDTH = 79

# Break classes (UAX #14) reduced to what help text uses.
_CLASSES = ("GL", "B2", "BA", "BB", "HY", "CL", "CP", "EX", "IN", "NS", "OP", "QU", "IS",
            "NU", "PO", "PR", "SY", "AL", "ID")
_P, _I, _D = 0, 1, 2
# Rows: class before the opportunity; columns: class after it (gnulib's table, reduced).
_TABLE_TEXT = {
    "GL": "IIIIIPPPIIIIPIIIPII",
    "B2": "IPIDIPPPIIDIPDDDPDD",
    "BA": "DDIDIPPPIIDIPDDDPDD",
    "BB": "IIIIIPPPIIIIPIIIPII",
    "HY": "DDIDIPPPIIDIPIDDPDD",
    "CL": "IDIDIPPPIPDIPDIIPDD",
    "CP": "IDIDIPPPIIDIPIIIPID",
    "EX": "IDIDIPPPIIDIPDDDPDD",
    "IN": "IDIDIPPPIIDIPDDDPDD",
    "NS": "IDIDIPPPIIDIPDDDPDD",
    "OP": "PPPPPPPPPPPPPPPPPPP",
    "QU": "IIIIIPPPIIPIPIIIPII",
    "IS": "IDIDIPPPIIDIPIDDPDD",
    "NU": "IDIDIPPPIIIIPIIIPID",
    "PO": "IDIDIPPPIIIIPIDDPID",
    "PR": "IDIDIPPPIIIIPIDDPII",
    "SY": "IDIDIPPPIIDIPIDDPDD",
    "AL": "IDIDIPPPIIIIPIIIPID",
    "ID": "IDIDIPPPIIDIPDIDPDD",
}
_VALUE = {"P": _P, "I": _I, "D": _D}
_INDEX = {name: i for i, name in enumerate(_CLASSES)}
_TABLE = [[_VALUE[c] for c in _TABLE_TEXT[name]] for name in _CLASSES]

_ASCII = {
    "!": "EX", '"': "QU", "$": "PR", "%": "PO", "'": "QU", "(": "OP", ")": "CP", "+": "PR",
    ",": "IS", "-": "HY", ".": "IS", "/": "SY", ":": "IS", ";": "IS", "?": "EX", "[": "OP",
    "\\": "PR", "]": "CP", "{": "OP", "|": "BA", "}": "CL", "\t": "BA",
}
_SPECIAL = {
    "\u00a0": "GL", "\u202f": "GL", "\u2007": "GL", "\u2011": "GL", "\u2014": "B2",
    "\u2010": "BA", "\u2012": "BA", "\u2013": "BA", "\u2026": "IN", "\u00ab": "QU",
    "\u00bb": "QU", "\u3001": "CL", "\u3002": "CL", "\uff0c": "CL", "\uff0e": "CL",
    "\u30fc": "NS", "\u30fb": "NS", "\u3005": "NS", "\u00b4": "BB", "\u20ac": "PR",
    "\u00a3": "PR", "\u00a5": "PR", "\u00b0": "PO", "\u2030": "PO",
}
_SMALL_KANA = set(
    "ぁぃぅぇぉっゃゅょゎゕゖ"
    "ァィゥェォッャュョヮヵヶ"
    "ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
)


def _is_ideographic(code: int) -> bool:
    return (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7A3 or 0xF900 <= code <= 0xFAFF
            or 0xFE30 <= code <= 0xFE4F or 0xFF01 <= code <= 0xFF60
            or 0x20000 <= code <= 0x3FFFD)


@lru_cache(maxsize=4096)
def break_class(char: str) -> str:
    """The (reduced) UAX #14 line-break class of one character; "SP" and "CM" are special."""
    if char == " ":
        return "SP"
    if char in _ASCII:
        return _ASCII[char]
    if char.isascii():
        return "NU" if char.isdigit() else "AL"
    if char in _SPECIAL:
        return _SPECIAL[char]
    if char == "\u200b":
        return "ZW"
    if char in "\u2060\ufeff":
        return "WJ"
    category = unicodedata.category(char)
    if category in ("Mn", "Mc", "Me") or char in "\u200c\u200d":
        return "CM"
    if char in _SMALL_KANA:
        return "NS"
    if category == "Ps":
        return "OP"
    if category == "Pe":
        return "CL"
    if category in ("Pi", "Pf"):
        return "QU"
    if category == "Nd":
        return "NU"
    if category == "Zs":
        return "BA"
    if _is_ideographic(ord(char)):
        return "ID"
    return "AL"


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


_SP, _ZW, _CM, _WJ, _BK = -1, -2, -3, -4, -5
_SPECIAL_CLASSES = {"SP": _SP, "ZW": _ZW, "CM": _CM, "WJ": _WJ}
_DIRECT = [[rule == _D for rule in row] for row in _TABLE]
_SPACED = [[rule != _P for rule in row] for row in _TABLE]
_GL, _AL = _INDEX["GL"], _INDEX["AL"]
_CLASS_OF: dict[str, int] = {}
_WIDTH_OF: dict[str, int] = {}


def _class_index(char: str) -> int:
    cls = break_class(char)
    index = _SPECIAL_CLASSES.get(cls, _INDEX.get(cls, _AL))
    _CLASS_OF[char] = index
    return index


def _break_opportunities(text: str, prohibited: list[bool]) -> list[bool]:
    """``result[i]`` is True when a line may start at ``text[i]`` (gnulib's algorithm)."""
    known = _CLASS_OF
    classes = [known[c] if c in known else _class_index(c) for c in text]
    result = [False] * len(text)
    last = _BK
    seen_space = False
    for index, cls in enumerate(classes):
        if cls >= 0:
            if last >= 0:
                table = _SPACED if seen_space else _DIRECT
                result[index] = table[last][cls] and not prohibited[index]
            elif last == _ZW:
                result[index] = not prohibited[index]
            last, seen_space = cls, False
        elif cls == _SP:
            seen_space = True
        elif cls == _CM:
            if last == _BK:
                last = _AL
            elif last == _ZW or seen_space:
                result[index] = not prohibited[index]
                last, seen_space = _AL, False
        elif cls == _ZW:
            last, seen_space = _ZW, False
        else:  # word joiner: no break before or after it
            last, seen_space = _GL, False
    return result


def _escaped_pieces(portion: str) -> tuple[str, list[bool]]:
    """Escape a portion; breaking inside an escape sequence is prohibited."""
    text = escape(portion)
    if len(text) == len(portion):
        prohibited = [False] * len(text)
    else:
        prohibited = []
        for char in portion:
            prohibited.extend([False] + [True] * (len(escape(char)) - 1))
    if portion.endswith("\n"):
        prohibited[-2] = True  # never break just before the final "\n"
    return text, prohibited


def _display_width(text: str) -> int:
    return len(text) if text.isascii() else sum(char_width(c) for c in text)


def _line_breaks(text: str, prohibited: list[bool], width: int, start_column: int) -> list[int]:
    """Indexes where a new line starts, choosing the last opportunity that still fits."""
    possible = _break_opportunities(text, prohibited)
    breaks: list[int] = []
    last_break: int | None = None
    column = start_column
    piece = 0
    widths = [1] * len(text) if text.isascii() else [
        _WIDTH_OF[c] if c in _WIDTH_OF else _WIDTH_OF.setdefault(c, char_width(c))
        for c in text]
    for index, is_possible in enumerate(possible):
        if is_possible:
            if last_break is not None and column + piece > width:
                breaks.append(last_break)
                column = 0
            last_break = index
            column += piece
            piece = 0
        piece += widths[index]
    if last_break is not None and column + piece > width:
        breaks.append(last_break)
    return breaks


def wrap_string(keyword: str, value: str, *, width: int | None = DEFAULT_PAGE_WIDTH,
                prefix: str = "") -> list[str]:
    """The file lines for ``keyword "value"``; ``width=None`` wraps only after ``\\n``."""
    portions = [p + "\n" for p in value.split("\n")]
    portions[-1] = portions[-1][:-1]
    if len(portions) > 1 and portions[-1] == "":
        portions.pop()
    after_break = len(prefix) + 1
    limit = (width if width else 10**9) - 1 - after_break
    lines: list[str] = []
    first = True
    for number, portion in enumerate(portions):
        text, prohibited = _escaped_pieces(portion)
        start = len(prefix) + len(keyword) + 2 - after_break if first else 0
        fits = start + _display_width(text) <= limit
        breaks = [] if fits else _line_breaks(text, prohibited, limit, start)
        more = number + 1 < len(portions)
        if first and text and (more or start > limit or breaks):
            lines.append(f'{prefix}{keyword} ""')
            first = False
            breaks = [] if _display_width(text) <= limit else _line_breaks(
                text, prohibited, limit, 0)
        bounds = [0, *breaks, len(text)]
        for begin, end in itertools.pairwise(bounds):
            lead = f"{prefix}{keyword} " if first else prefix
            lines.append(f'{lead}"{text[begin:end]}"')
            first = False
    if first:
        lines.append(f'{prefix}{keyword} ""')
    return lines
