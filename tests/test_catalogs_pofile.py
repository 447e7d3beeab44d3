"""The strict PO reader: every unreadable file is refused with file and line."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from helpers.catalogs import po_entry, po_text
from helpsite.catalogs.pofile import POParseError, parse_catalog
from helpsite.catalogs.writer import render_catalog


def codes_and_lines(text: str) -> list[tuple[str, int]]:
    with pytest.raises(POParseError) as caught:
        parse_catalog(text, "x.po")
    return [(f.code.code, f.line) for f in caught.value.findings]


def test_reads_entries_comments_flags_previous_and_obsolete() -> None:
    text = po_text([
        '# translator note\n#. extracted\n#: a.md:1 b.md:2\n#, fuzzy, python-format\n'
        '#| msgid "Old text"\nmsgctxt "ctx"\nmsgid ""\n"New "\n"text"\nmsgstr "Nieuw"\n',
        po_entry("Gone", "Weg", obsolete=True),
    ])
    catalog = parse_catalog(text, "x.po")
    entry, gone = catalog.entries
    assert entry.msgid == "New text" and entry.msgctxt == "ctx" and entry.msgstr == "Nieuw"
    assert entry.translator_comments == ["translator note"]
    assert entry.extracted_comments == ["extracted"]
    assert entry.references == ["a.md:1", "b.md:2"]
    assert entry.flags == ["fuzzy", "python-format"]
    assert entry.previous_msgid == "Old text"
    assert gone.obsolete and gone.msgstr == "Weg"
    assert catalog.header_value("X-Meta-ms.translationtype") == "HT"


def test_windows_line_endings_read_as_the_same_catalog() -> None:
    text = po_text([
        '#, fuzzy\n#| msgid "Old"\nmsgid ""\n"Two "\n"lines"\nmsgstr ""\n"Twee "\n"regels"\n',
        po_entry("Gone", "Weg", obsolete=True),
    ])
    unix, windows = (parse_catalog(t, "x.po") for t in (text, text.replace("\n", "\r\n")))
    assert [(e.msgid, e.msgstr, e.previous_msgid, e.obsolete) for e in windows.entries] == [
        ("Two lines", "Twee regels", "Old", False), ("Gone", "Weg", None, True)]
    assert windows.entries == unix.entries and windows.header == unix.header


def test_conflict_markers_are_refused_with_their_lines() -> None:
    text = po_text([po_entry("A", "B")]) + '<<<<<<< HEAD\nmsgid "C"\nmsgstr "D"\n=======\n' \
        'msgid "C"\nmsgstr "E"\n>>>>>>> branch\n'
    found = codes_and_lines(text)
    marker_lines = [line for code, line in found if code == "po.conflict-marker"]
    lines = text.split("\n")
    assert marker_lines == [i + 1 for i, line in enumerate(lines) if line[:7] in
                            ("<<<<<<<", "=======", ">>>>>>>")]


def test_duplicate_msgid_is_refused_naming_both_lines() -> None:
    text = po_text([po_entry("Same", "Een"), po_entry("Same", "Twee")])
    with pytest.raises(POParseError) as caught:
        parse_catalog(text, "x.po")
    (finding,) = caught.value.findings
    assert finding.code.code == "po.duplicate"
    first_line = text.split("\n").index('msgid "Same"') + 1
    assert f"line {first_line}" in finding.message
    assert finding.line > first_line


def test_same_msgid_with_different_context_is_not_a_duplicate() -> None:
    text = po_text(['msgctxt "a"\nmsgid "Same"\nmsgstr "X"\n',
                    'msgctxt "b"\nmsgid "Same"\nmsgstr "Y"\n'])
    assert len(parse_catalog(text, "x.po").entries) == 2


def test_unterminated_string_is_refused_at_its_line() -> None:
    text = po_text([po_entry("A", "B")]) + '\nmsgid "Broken\nmsgstr "X"\n'
    line = text.split("\n").index('msgid "Broken') + 1
    assert ("po.syntax", line) in codes_and_lines(text)


@pytest.mark.parametrize("bad", ['msgid "x"\nmsgstr "a\\qb"\n', 'msgid "x"\n',
                                 'msgid "x"\nmsgstr "y" trailing\n', 'msgfoo "x"\n'])
def test_other_syntax_errors_are_refused(bad: str) -> None:
    assert any(code == "po.syntax" for code, _ in codes_and_lines(po_text([bad])))


def test_missing_header_is_refused() -> None:
    assert ("po.header", 1) in codes_and_lines('msgid "A"\nmsgstr "B"\n')


def test_header_without_utf8_charset_is_refused() -> None:
    text = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n'
    assert any(code == "po.header" for code, _ in codes_and_lines(text))


def test_malformed_header_line_is_refused() -> None:
    text = po_text([]).replace('"MIME-Version: 1.0\\n"', '"MIME-Version 1.0\\n"')
    assert any(code == "po.header" for code, _ in codes_and_lines(text))


def test_round_trip_of_a_gnu_written_file_is_byte_identical(tmp_path: Path) -> None:
    text = po_text([
        "# note\n#: a.md:1\n#, fuzzy\n#| msgid \"Short old\"\nmsgid \"\"\n"
        "\"A long source sentence that certainly does not fit on one line of seventy-\"\n"
        "\"nine columns.\"\nmsgstr \"Lang\"\n",
        po_entry("Gone", "Weg", obsolete=True),
    ])
    catalog = parse_catalog(text, "x.po")
    assert render_catalog(catalog) == text
    # polib reads what we wrote and sees the same messages
    path = tmp_path / "x.po"
    path.write_text(render_catalog(catalog), encoding="utf-8")
    entries = {e.msgid: e for e in polib.pofile(str(path))}
    assert entries["Gone"].obsolete
    assert entries[catalog.entries[0].msgid].previous_msgid == "Short old"


def test_msgstr_position_points_inside_the_string() -> None:
    text = po_text(['msgid "x"\nmsgstr ""\n"first line "\n"has <script> here"\n'])
    entry = parse_catalog(text, "x.po").entries[0]
    assert entry.msgstr_pos is not None
    line, column = entry.msgstr_pos.position(entry.msgstr.index("<script>"))
    assert text.split("\n")[line - 1][column - 1:].startswith("<script>")


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU msgfmt not installed")
def test_written_file_passes_msgfmt_check(tmp_path: Path) -> None:
    catalog = parse_catalog(po_text([po_entry('Quote " and \\ backslash', "Aanhalingsteken \" "
                                              "en \\ backslash")]), "x.po")
    path = tmp_path / "x.po"
    path.write_text(render_catalog(catalog), encoding="utf-8")
    done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
