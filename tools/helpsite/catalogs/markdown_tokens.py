"""The Markdown pieces of one message that a translation must keep: links, code, tags.

Messages are single paragraphs or headings (Sphinx's gettext builder extracts one per
block), so light regular expressions are enough; the same functions run on msgid and
msgstr, so both are read the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^\s)>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^\s<>]+)>")
HTML_TAG = re.compile(r"(?<!\\)<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
ATTRIBUTE = re.compile(r"([^\s=/\"'<>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
SUBSTITUTION = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# CommonMark: a backslash before ASCII punctuation makes it a literal character
ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")


@dataclass(frozen=True)
class Link:
    image: bool
    text: str
    target: str
    offset: int

    @property
    def relative(self) -> bool:
        """A target inside the site (``page.md``, ``../x.md#a``, ``#anchor``)."""
        return not SCHEME.match(self.target) and not self.target.startswith("//")


@dataclass(frozen=True)
class Tag:
    closing: bool
    name: str
    attributes: tuple[tuple[str, str], ...]
    offset: int
    text: str


def mask_code(text: str) -> str:
    """``text`` with inline code blanked out (same length), so code is not read as markup."""
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)


def code_spans(text: str) -> list[str]:
    return [m.group(2) for m in CODE_SPAN.finditer(text)]


def links(text: str) -> list[Link]:
    masked = mask_code(text)
    found = [Link(bool(m.group(1)), m.group(2), m.group(3), m.start())
             for m in LINK.finditer(masked)]
    found += [Link(False, m.group(1), m.group(1), m.start()) for m in AUTOLINK.finditer(masked)]
    return sorted(found, key=lambda link: link.offset)


def _unquote(value: str) -> str:
    return value[1:-1] if value[:1] in "\"'" and value[-1:] == value[:1] else value


def tags(text: str) -> list[Tag]:
    masked = mask_code(text)
    masked = AUTOLINK.sub(lambda m: " " * len(m.group(0)), masked)
    found = []
    for match in HTML_TAG.finditer(masked):
        attributes = tuple(
            (a.group(1).lower(), _unquote(a.group(2) or "")) for a in
            ATTRIBUTE.finditer(match.group(3)))
        found.append(Tag(bool(match.group(1)), match.group(2).lower(), attributes,
                         match.start(), match.group(0)))
    return found


def substitutions(text: str) -> list[str]:
    return [m.group(1) for m in SUBSTITUTION.finditer(mask_code(text))]


def emphasis_markers(text: str) -> dict[str, int]:
    """How many strong, emphasis and strikethrough markers the text has (code ignored).

    An escaped ``\\*``, ``\\_`` or ``\\~`` is a literal character, not a marker: machine
    translation writes ``**Share**`` as ``[共用]\\*\\*\\*\\*`` (zh-TW, th-TH of the real corpus),
    which loses the bold but adds no emphasis."""
    masked = mask_code(text)
    masked = LINK.sub(lambda m: "[" + m.group(2) + "]", masked)  # URLs hold '_' and '*'
    masked = ESCAPED.sub("  ", masked)
    masked = AUTOLINK.sub("", masked)
    strong = len(re.findall(r"\*\*|__(?!\w)|(?<!\w)__", masked))
    rest = re.sub(r"\*\*|__", "", masked)
    emphasis = len(re.findall(r"\*|(?<![\w\\])_|_(?![\w])", rest))
    return {"strong": strong, "emphasis": emphasis, "strikethrough": masked.count("~~")}
