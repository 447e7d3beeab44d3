"""Helpers shared by the catalog tests: small POT/PO trees written to tmp_path."""

from __future__ import annotations

from pathlib import Path

import polib
from helpsite.catalogs.pofile import escape

POT_HEADER = """\
# SOME DESCRIPTIVE TITLE.
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: Contoso Cloud Help \\n"
"POT-Creation-Date: {date}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"""

PO_HEADER = """\
# Dutch translation of a Contoso Cloud help article.
msgid ""
msgstr ""
"Project-Id-Version: Contoso Cloud Help \\n"
"POT-Creation-Date: 2025-01-01 00:00+0000\\n"
"PO-Revision-Date: 2025-01-02 10:00+0100\\n"
"Last-Translator: Test Translator <t@contoso.example>\\n"
"Language: {language}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"X-Meta-ms.translationtype: HT\\n"
"""


def pot_text(messages: list[str], date: str = "2026-01-01 00:00+0000",
             source: str = "../../source/page.md") -> str:
    blocks = [POT_HEADER.format(date=date)]
    for line, msgid in enumerate(messages, start=1):
        blocks.append(f'#: {source}:{line}\nmsgid "{escape(msgid)}"\nmsgstr ""\n')
    return "\n".join(blocks)


def po_entry(msgid: str, msgstr: str, *, comment: str = "", fuzzy: bool = False,
             obsolete: bool = False) -> str:
    lines = [f"# {comment}"] if comment else []
    if fuzzy:
        lines.append("#, fuzzy")
    prefix = "#~ " if obsolete else ""
    lines.append(f'{prefix}msgid "{escape(msgid)}"')
    lines.append(f'{prefix}msgstr "{escape(msgstr)}"')
    return "\n".join(lines) + "\n"


def po_text(entries: list[str], language: str = "nl_NL") -> str:
    return "\n".join([PO_HEADER.format(language=language), *entries])


def make_tree(root: Path, pot: str, po: str | None, *, locale: str = "nl-NL",
              docname: str = "page") -> tuple[Path, Path, Path]:
    """build/gettext/<docname>.pot and locales/<locale>/LC_MESSAGES/<docname>.po."""
    pot_dir = root / "build" / "gettext"
    locales = root / "locales"
    pot_path = pot_dir / f"{docname}.pot"
    pot_path.parent.mkdir(parents=True, exist_ok=True)
    pot_path.write_text(pot, encoding="utf-8")
    po_path = locales / locale / "LC_MESSAGES" / f"{docname}.po"
    po_path.parent.mkdir(parents=True, exist_ok=True)
    if po is not None:
        po_path.write_text(po, encoding="utf-8")
    return pot_dir, locales, po_path


def polib_entries(path: Path) -> dict[str, polib.POEntry]:
    """Active entries by msgid, read with polib (an independent reader)."""
    return {e.msgid: e for e in polib.pofile(str(path)) if not e.obsolete}


def polib_obsolete(path: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(path)) if e.obsolete}

