"""The PO catalog model and its strict reader.

Translations are the team's most expensive asset, so the reader refuses anything it
cannot read with certainty instead of guessing as lenient readers do: git conflict
markers, a duplicate msgid, an unterminated string, an unknown keyword, a missing or
malformed header. Every refusal is a :class:`~helpsite.findings.Finding` naming the
file and line; callers stop before writing anything when a file does not parse.

Each string keeps where it sits in the file (line and column of every quoted segment),
so translation QA can point at the exact place inside a msgstr.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from helpsite.findings import Code, Finding

CONFLICT_MARKERS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9._-]*):[ \t]?(.*)$")
# What a reader cannot see: whitespace (str.isspace, NBSP included) and the zero-width
# characters, which str.strip leaves. A msgstr of nothing else is no translation.
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]*")


def is_blank(text: str) -> bool:
    """True when ``text`` shows nothing: empty, or only whitespace and zero-width characters.

    Such a msgstr counts as untranslated everywhere (statistics, compiling, the build's
    fallback marking); ``check-po`` reports it (``qa.blank-translation``)."""
    return _INVISIBLE.fullmatch(text) is not None


class POParseError(Exception):
    """A catalog that cannot be read; ``findings`` say where and why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.format() for f in findings))
        self.findings = findings


@dataclass
class Segment:
    """One quoted piece of a string as it sits in the file."""

    line: int
    column: int  # column of the character after the opening quote
    raw: str  # escaped text between the quotes
    value: str  # the same text unescaped


@dataclass
class PoString:
    """A msgid/msgstr value and the segments it was read from (empty when built in code)."""

    value: str = ""
    line: int = 0
    segments: list[Segment] = field(default_factory=list)

    def position(self, offset: int) -> tuple[int, int]:
        """File line and column of the character at ``offset`` of the unescaped value."""
        if not self.segments:
            return self.line or 1, 1
        remaining = offset
        for segment in self.segments:
            if remaining < len(segment.value) or segment is self.segments[-1]:
                prefix = escape(segment.value[:remaining])
                return segment.line, segment.column + len(prefix)
            remaining -= len(segment.value)
        return self.line, 1  # pragma: no cover - loop always returns


@dataclass
class Entry:
    """One message. ``obsolete`` entries are the ``#~`` ones kept for their translation."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    line: int = 0  # line of the entry's first line
    msgstr_pos: PoString | None = None  # where the (first) msgstr sits in the file

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]
        return [self.msgstr]

    @property
    def translated(self) -> bool:
        """Every form has a translation (fuzzy or not); a blank one (only spaces) is none."""
        forms = self.translations
        return bool(forms) and not any(is_blank(text) for text in forms)

    def set_fuzzy(self, fuzzy: bool) -> None:
        if fuzzy and "fuzzy" not in self.flags:
            self.flags.insert(0, "fuzzy")
        elif not fuzzy:
            self.flags = [f for f in self.flags if f != "fuzzy"]


@dataclass
class Catalog:
    """A PO or POT file: header comments, header fields in file order, entries."""

    header_comments: list[str] = field(default_factory=list)
    header_flags: list[str] = field(default_factory=list)
    header: list[tuple[str, str]] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    path: str = ""
    header_line: int = 0
    # file line of each header field, by lowercased name (for findings about one field)
    header_lines: dict[str, int] = field(default_factory=dict)

    def header_value(self, name: str) -> str | None:
        for key, value in self.header:
            if key.lower() == name.lower():
                return value
        return None

    def set_header(self, name: str, value: str) -> None:
        for index, (key, _old) in enumerate(self.header):
            if key.lower() == name.lower():
                self.header[index] = (key, value)
                return
        self.header.append((name, value))

    @property
    def active(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]

    @property
    def obsolete(self) -> list[Entry]:
        return [e for e in self.entries if e.obsolete]


_ESCAPE_TABLE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t",
                               "\r": "\\r", "\a": "\\a", "\b": "\\b", "\f": "\\f",
                               "\v": "\\v"})
# A quoted string: characters other than quote and backslash, and escapes (the unrolled
# form of "(?:[^"\\]|\\.)*", five times faster; catalogs have ~60 strings per page).
_QUOTED = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"[ \t]*$')
_ESCAPE_SEQUENCE = re.compile(r"\\(.)")


def escape(text: str) -> str:
    """The PO escaped form of ``text`` (backslash, quote, and control characters)."""
    return text.translate(_ESCAPE_TABLE)


def unescape(raw: str) -> str:
    return _ESCAPE_SEQUENCE.sub(lambda m: _ESCAPES[m.group(1)], raw) if "\\" in raw else raw


def header_text(header: list[tuple[str, str]]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in header)


# ----------------------------------------------------------------------------- reading


class _Reader:
    """Line-by-line PO reader; collects findings instead of stopping at the first."""

    def __init__(self, text: str, path: str) -> None:
        # Catalogs saved on Windows end their lines with CR LF, as msgfmt accepts.
        self.lines = text.replace("\r\n", "\n").split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.path = path
        self.findings: list[Finding] = []
        self.index = 0

    def error(self, code: Code, line: int, column: int, message: str) -> None:
        self.findings.append(Finding.of(code, self.path, line, column, message))

    # -- strings

    def parse_quoted(self, text: str, line: int, column: int) -> Segment | None:
        """``text`` starts with the opening quote; return the segment or report the error."""
        match = _QUOTED.match(text)
        if match is None:
            self._report_bad_string(text, line, column)
            return None
        raw = match.group(1)
        if "\\" not in raw:  # most strings: nothing to check or unescape
            return Segment(line, column + 1, raw, raw)
        for escape_match in _ESCAPE_SEQUENCE.finditer(raw):
            if escape_match.group(1) not in _ESCAPES:
                self.error(Code.PO_SYNTAX, line, column + 1 + escape_match.start(),
                           f"unknown escape sequence '\\{escape_match.group(1)}' in a string")
                return None
        return Segment(line, column + 1, raw, unescape(raw))

    def _report_bad_string(self, text: str, line: int, column: int) -> None:
        """Say why a quoted string did not match: unterminated, or text after it."""
        position = 1
        while position < len(text):
            if text[position] == "\\":
                position += 2
                continue
            if text[position] == '"':
                rest = text[position + 1:].strip()
                self.error(Code.PO_SYNTAX, line, column + position + 1,
                           f"unexpected text after the closing quote: {rest[:30]!r}")
                return
            position += 1
        self.error(Code.PO_SYNTAX, line, column,
                   "unterminated string: the closing '\"' is missing on this line")

    def read_string(self, first: str, first_line: int, first_col: int,
                    prefix: str) -> PoString | None:
        """A keyword's first quoted segment plus continuation lines (``"..."``, each
        after ``prefix`` when the entry is obsolete or a previous-msgid comment)."""
        segment = self.parse_quoted(first, first_line, first_col)
        if segment is None:
            return None
        segments = [segment]
        lines, index, count = self.lines, self.index, len(self.lines)
        while index < count:
            raw = lines[index]
            if prefix and not raw.startswith(prefix):
                break
            stripped = raw[len(prefix):].lstrip()
            if not stripped.startswith('"'):
                break
            index += 1
            column = len(raw) - len(stripped) + 1
            match = _QUOTED.match(stripped)
            if match is not None and "\\" not in (text := match.group(1)):
                segments.append(Segment(index, column + 1, text, text))  # parse_quoted's
                continue  # common case, inline: most strings run over several lines
            segment = self.parse_quoted(stripped, index, column)
            if segment is None:
                self.index = index
                return None
            segments.append(segment)
        self.index = index
        value = segments[0].value if len(segments) == 1 else "".join(
            s.value for s in segments)
        return PoString(value, first_line, segments)


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr\[(\d+)\]|msgstr)\s+(?=\")")


def _conflict_marker(line: str) -> bool:
    if line[:1] not in ("<", "=", ">", "|"):
        return False
    return any(line.startswith(marker) for marker in CONFLICT_MARKERS) and (
        len(line) == 7 or line[7] in " \t"
    )


def _parse_entries(reader: _Reader) -> list[Entry]:
    entries: list[Entry] = []
    pending = Entry(msgid="")
    pending_started = 0
    have_msgid = False
    have_msgstr = False
    last_keyword = ""

    def finish() -> None:
        nonlocal pending, have_msgid, have_msgstr, pending_started, last_keyword
        if have_msgid:
            if not have_msgstr:
                reader.error(Code.PO_SYNTAX, pending.line, 1,
                             "this message has a msgid but no msgstr")
            else:
                entries.append(pending)
        elif pending_started and (pending.msgctxt is not None or have_msgstr):
            reader.error(Code.PO_SYNTAX, pending_started, 1, "msgstr or msgctxt without a msgid")
        pending = Entry(msgid="")
        have_msgid = have_msgstr = False
        pending_started = 0
        last_keyword = ""

    def note_line(number: int, obsolete: bool) -> None:
        """A comment or keyword line of the entry being read: the entry starts at its first
        such line, and one obsolete (``#~``) line makes it obsolete."""
        nonlocal pending_started
        if not pending_started:
            pending_started = number
            pending.line = number
        if obsolete:
            pending.obsolete = True

    while reader.index < len(reader.lines):
        raw = reader.lines[reader.index]
        reader.index += 1
        number = reader.index
        if _conflict_marker(raw):
            reader.error(Code.PO_CONFLICT_MARKER, number, 1,
                         f"git conflict marker '{raw[:7]}': resolve the merge conflict "
                         "(keep one side of each conflicting entry) before running again")
            continue
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped:
            if have_msgstr:
                finish()
            continue
        obsolete = stripped.startswith("#~")
        body = stripped[2:].lstrip() if obsolete else stripped
        prefix = "#~" if obsolete else ""
        if obsolete and body.startswith("|"):
            body = "#|" + body[1:]
            obsolete_prev = True
        else:
            obsolete_prev = False
        if body.startswith("#") or (obsolete and not body):
            if have_msgstr:
                finish()
            note_line(number, obsolete)
            _read_comment(reader, pending, body, number, prefix if obsolete_prev else "")
            continue
        match = _KEYWORD.match(body)
        if not match:
            reader.error(Code.PO_SYNTAX, number, 1,
                         f"unexpected line {stripped[:40]!r}: expected a comment, "
                         "msgctxt, msgid, msgstr or a quoted continuation")
            continue
        keyword = match.group(1)
        column = len(line) - len(body) + match.end() + 1
        string = reader.read_string(body[match.end():], number, column, prefix)
        if string is None:  # already reported; do not cascade into "msgid without msgstr"
            have_msgstr = have_msgstr or keyword.startswith("msgstr")
            continue
        if keyword in ("msgctxt", "msgid") and have_msgstr:
            finish()
        note_line(number, obsolete)
        if keyword == "msgctxt":
            if have_msgid or pending.msgctxt is not None:
                reader.error(Code.PO_SYNTAX, number, 1, "msgctxt in the wrong place")
            pending.msgctxt = string.value
        elif keyword == "msgid":
            if have_msgid:
                reader.error(Code.PO_SYNTAX, number, 1, "a second msgid without a msgstr")
            pending.msgid = string.value
            have_msgid = True
        elif keyword == "msgid_plural":
            if not have_msgid or last_keyword != "msgid":
                reader.error(Code.PO_SYNTAX, number, 1, "msgid_plural must follow a msgid")
            pending.msgid_plural = string.value
        elif keyword == "msgstr":
            if not have_msgid or have_msgstr or pending.msgid_plural is not None:
                reader.error(Code.PO_SYNTAX, number, 1, "msgstr in the wrong place")
            pending.msgstr = string.value
            pending.msgstr_pos = string
            have_msgstr = True
        else:
            index = int(match.group(2))
            if not have_msgid or pending.msgid_plural is None or index in pending.msgstr_plural:
                reader.error(Code.PO_SYNTAX, number, 1, f"{keyword} in the wrong place")
            pending.msgstr_plural[index] = string.value
            if pending.msgstr_pos is None:
                pending.msgstr_pos = string
            have_msgstr = True
        last_keyword = keyword
    finish()
    return entries


def _read_comment(reader: _Reader, entry: Entry, body: str, number: int, prefix: str) -> None:
    if body.startswith("#|"):
        rest = body[2:].lstrip()
        match = re.match(r"^(msgctxt|msgid_plural|msgid)\s+(?=\")", rest)
        if not match:
            reader.error(Code.PO_SYNTAX, number, 1, "a '#|' line must hold a previous "
                         "msgctxt, msgid or msgid_plural")
            return
        line = reader.lines[number - 1]
        column = line.find(rest) + match.end() + 1
        string = reader.read_string(rest[match.end():], number, column,
                                    "#~|" if prefix else "#|")
        if string is None:
            return
        setattr(entry, "previous_" + match.group(1), string.value)
    elif body.startswith("#."):
        entry.extracted_comments.append(body[2:].removeprefix(" "))
    elif body.startswith("#:"):
        entry.references.extend(body[2:].split())
    elif body.startswith("#,"):
        for flag in body[2:].split(","):
            if flag.strip() and flag.strip() not in entry.flags:
                entry.flags.append(flag.strip())
    elif body.startswith("#"):
        entry.translator_comments.append(body[1:].removeprefix(" "))


def _parse_header(reader: _Reader, entry: Entry, catalog: Catalog, *, template: bool) -> None:
    catalog.header_line = entry.line
    catalog.header_comments = entry.translator_comments
    catalog.header_flags = entry.flags
    start = 0
    for offset, raw in enumerate(entry.msgstr.split("\n")):
        at, start = start, start + len(raw) + 1
        if not raw:
            continue
        match = _HEADER_LINE.match(raw)
        if not match:
            line = entry.msgstr_pos.line + offset + 1 if entry.msgstr_pos else entry.line
            reader.error(Code.PO_HEADER, line, 1,
                         f"header line {raw[:40]!r} is not 'Name: value'")
            continue
        catalog.header.append((match.group(1), match.group(2)))
        catalog.header_lines.setdefault(match.group(1).lower(), entry.msgstr_pos.position(at)[0]
                                        if entry.msgstr_pos else entry.line)
    content_type = catalog.header_value("Content-Type") or ""
    charset = re.search(r"charset=([\w-]+)", content_type)
    accepted = ("UTF-8", "CHARSET") if template else ("UTF-8",)
    if not charset or charset.group(1).upper() not in accepted:
        reader.error(Code.PO_HEADER, entry.line, 1,
                     "the header must declare 'Content-Type: text/plain; charset=UTF-8'")


def parse_catalog(text: str, path: str, *, template: bool = False) -> Catalog:
    """Parse PO (or POT, ``template=True``) text strictly; raise :class:`POParseError`."""
    reader = _Reader(text.removeprefix("\ufeff"), path)
    entries = _parse_entries(reader)
    catalog = Catalog(path=path)
    if not entries or entries[0].msgid != "" or entries[0].msgctxt is not None \
            or entries[0].obsolete:
        reader.error(Code.PO_HEADER, 1, 1, "the file has no header entry (msgid \"\" with the "
                     "Content-Type and Language fields) at the top")
    else:
        _parse_header(reader, entries[0], catalog, template=template)
        entries = entries[1:]
    seen: dict[tuple[bool, str | None, str], int] = {}
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None:
            reader.error(Code.PO_SYNTAX, entry.line, 1,
                         "an empty msgid is only allowed once, as the header")
            continue
        key = (entry.obsolete, entry.msgctxt, entry.msgid)
        if key in seen:
            context = f" (msgctxt {entry.msgctxt!r})" if entry.msgctxt is not None else ""
            reader.error(Code.PO_DUPLICATE, entry.line, 1,
                         f"duplicate message{context}: the same msgid is already on line "
                         f"{seen[key]}; keep one of them (Sphinx would silently use the first)")
            continue
        seen[key] = entry.line
        catalog.entries.append(entry)
    if reader.findings:
        raise POParseError(reader.findings)
    return catalog


def read_catalog(path: Path, display: str | None = None, *, template: bool = False) -> Catalog:
    """Read and parse a file; decoding and I/O problems become :class:`POParseError`."""
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise POParseError([Finding.of(Code.PO_UNREADABLE, shown, 1, 1,
                                       f"cannot read the file: {error.strerror}")]) from error
    return parse_catalog_bytes(data, shown, template=template)


def parse_catalog_bytes(data: bytes, display: str, *, template: bool = False) -> Catalog:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        raise POParseError([Finding.of(
            Code.PO_ENCODING, display, before.count(b"\n") + 1,
            error.start - (before.rfind(b"\n") + 1) + 1,
            f"byte 0x{data[error.start]:02x} is not UTF-8; catalogs must be saved as UTF-8",
        )]) from error
    return parse_catalog(text, display, template=template)
