"""Write a :class:`~helpsite.catalogs.pofile.Catalog` as PO text, in GNU gettext's layout.

The order of the parts, the blank lines and the wrapping are those of msgmerge and Poedit,
so a file that went through a translator's tool and then through ``update-po`` differs
only where the content changed. The output is a pure function of the catalog: writing
the same catalog twice gives the same bytes, which is what makes updates idempotent.
"""

from __future__ import annotations

from helpsite.catalogs.pofile import Catalog, Entry, header_text
from helpsite.catalogs.wrapping import DEFAULT_PAGE_WIDTH, wrap_string


def _comment_lines(marker: str, texts: list[str]) -> list[str]:
    lines = []
    for text in texts:
        for part in text.split("\n"):
            lines.append(f"{marker} {part}" if part else marker)
    return lines


def _reference_lines(references: list[str], page_width: int) -> list[str]:
    """``#:`` lines filled up to the page width, as gettext does (also when not wrapping)."""
    if not references:
        return []
    lines = []
    current = "#:"
    for reference in references:
        if len(current) > 2 and len(current) + len(reference) + 1 > page_width:
            lines.append(current)
            current = "#:"
        current += " " + reference
    lines.append(current)
    return lines


def _entry_lines(entry: Entry, width: int | None, page_width: int) -> list[str]:
    prefix = "#~ " if entry.obsolete else ""
    previous = "#~| " if entry.obsolete else "#| "
    lines = _comment_lines("#", entry.translator_comments)
    lines += _comment_lines("#.", entry.extracted_comments)
    lines += _reference_lines(entry.references, page_width)
    flags = [f for f in entry.flags if f != "fuzzy" or entry.translated]
    if entry.obsolete:
        flags = [f for f in flags if f == "fuzzy"]
    if flags:
        lines.append("#, " + ", ".join(flags))
    for keyword in ("msgctxt", "msgid", "msgid_plural"):
        value = getattr(entry, "previous_" + keyword)
        if value is not None:
            lines += wrap_string(keyword, value, width=width, prefix=previous)
    if entry.msgctxt is not None:
        lines += wrap_string("msgctxt", entry.msgctxt, width=width, prefix=prefix)
    lines += wrap_string("msgid", entry.msgid, width=width, prefix=prefix)
    if entry.msgid_plural is not None:
        lines += wrap_string("msgid_plural", entry.msgid_plural, width=width, prefix=prefix)
        for index in sorted(entry.msgstr_plural):
            lines += wrap_string(f"msgstr[{index}]", entry.msgstr_plural[index], width=width,
                                 prefix=prefix)
    else:
        lines += wrap_string("msgstr", entry.msgstr, width=width, prefix=prefix)
    return lines


def header_lines(catalog: Catalog, width: int | None) -> list[str]:
    lines = _comment_lines("#", catalog.header_comments)
    if catalog.header_flags:
        lines.append("#, " + ", ".join(catalog.header_flags))
    lines.append('msgid ""')
    lines += wrap_string("msgstr", header_text(catalog.header), width=width)
    return lines


def render_catalog(catalog: Catalog, *, width: int | None = DEFAULT_PAGE_WIDTH) -> str:
    """The PO text of ``catalog``; ``width=None`` breaks strings only after ``\\n``."""
    page_width = width or DEFAULT_PAGE_WIDTH
    blocks = [header_lines(catalog, width)]
    blocks += [_entry_lines(e, width, page_width) for e in catalog.entries if not e.obsolete]
    blocks += [_entry_lines(e, width, page_width) for e in catalog.entries if e.obsolete]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
