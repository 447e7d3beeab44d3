"""XLIFF 2.0 and 1.2 of handoff packages (helpsite.handoff.xliff): what helpsite writes is
read back by helpsite and by translate-toolkit (what Weblate and Pootle read XLIFF with),
survives translate-toolkit's xliff2po and po2xliff, and bad packages are refused with the
line, never half read.

The OASIS XML Schemas of XLIFF are shipped by no package on the registries this project
uses (translate-toolkit 3.20 has none; moz-xliff-linter, l10n-lint, vexy-markliff and the
npm packages xliff and ilib-xliff neither), so the tests check the schema's structural
rules that matter to readers (namespaces, required attributes, element order, unique ids)
directly with lxml.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpsite.handoff.xliff import (
    MDA,
    MTC,
    XLIFF2,
    XLIFF12,
    Alternative,
    Package,
    PackageFile,
    Unit,
    XliffError,
    read_xliff,
    write_xliff,
)
from lxml import etree
from translate.convert import po2xliff, xliff2po
from translate.storage import pypo, xliff, xliff2


def sample_package() -> Package:
    units = [
        Unit("u1", "Select **Save**.", "", notes=[("article", "account/a"),
                                                  ("heading", "Save a file")],
             alternatives=[Alternative("Select **Open**.", "Selecteer **Openen**.", 87.5,
                                       "locales/nl-NL/LC_MESSAGES/b.po")],
             record={"kind": "new", "base": "abc"}),
        Unit("u2", "Line one\nline two with <b>bold</b> & \"quotes\"",
             "Regel een\nregel twee met <b>vet</b> & \"aanhalingstekens\"",
             record={"kind": "fuzzy", "base": "def", "msgctxt": "menu"}),
        Unit("u3", "  Leading and trailing spaces  ", "  Spaties voor en achter  ",
             confirmed=True, record={"kind": "stale", "base": "ghi"}),
    ]
    return Package("en", "nl-NL", "2026-05-04",
                   [PackageFile("account/a", units[:2]), PackageFile("billing/b", units[2:])])


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_helpsite_reads_back_what_it_writes(version: str) -> None:
    written = sample_package()
    package, read_version = read_xliff(write_xliff(written, version))
    assert read_version == version
    assert (package.source_language, package.target_language, package.date) == (
        "en", "nl-NL", "2026-05-04")
    assert [f.original for f in package.files] == ["account/a", "billing/b"]
    for (doc_a, a), (doc_b, b) in zip(written.units, package.units, strict=True):
        assert (doc_a, a.id, a.source, a.target, a.confirmed, a.record) == (
            doc_b, b.id, b.source, b.target, b.confirmed, b.record)
        assert b.notes == a.notes and b.line > 1


def test_xliff2_structure_follows_the_schema() -> None:
    root = etree.fromstring(write_xliff(sample_package(), "2.0"))
    assert root.tag == f"{{{XLIFF2}}}xliff" and root.get("version") == "2.0"
    assert root.get("srcLang") == "en" and root.get("trgLang") == "nl-NL"
    files = root.findall(f"{{{XLIFF2}}}file")
    assert len({f.get("id") for f in files}) == len(files) == 2
    for unit in root.iter(f"{{{XLIFF2}}}unit"):
        children = [etree.QName(c) for c in unit]
        # modules (other namespaces) first, then <notes>, then the segment(s)
        order = [0 if q.namespace in (MTC, MDA) else 1 if q.localname == "notes" else 2
                 for q in children]
        assert order == sorted(order) and order[-1] == 2
        segment = unit.find(f"{{{XLIFF2}}}segment")
        assert segment.get("state") in {"initial", "translated"}
        if segment.get("state") == "translated":
            assert segment.find(f"{{{XLIFF2}}}target") is not None
    match = root.find(f".//{{{MTC}}}match")
    assert match.get("ref") == "#s1" and float(match.get("similarity")) == 87.5


def test_xliff12_structure_follows_the_schema() -> None:
    root = etree.fromstring(write_xliff(sample_package(), "1.2"))
    assert root.tag == f"{{{XLIFF12}}}xliff" and root.get("version") == "1.2"
    for file_element in root.findall(f"{{{XLIFF12}}}file"):
        for required in ("original", "source-language", "datatype"):
            assert file_element.get(required)
        assert file_element.get("target-language") == "nl-NL"
        body = file_element.find(f"{{{XLIFF12}}}body")
        for unit in body.findall(f"{{{XLIFF12}}}trans-unit"):
            names = [etree.QName(c).localname for c in unit]
            assert names[0] == "source"  # then target, then notes/contexts/alt-trans
            assert "source" not in names[1:] and names.count("target") <= 1
    alt = root.find(f".//{{{XLIFF12}}}alt-trans")
    assert alt.get("match-quality") == "88%"


def test_translate_toolkit_reads_xliff2() -> None:
    store = xliff2.Xliff2File.parsestring(write_xliff(sample_package(), "2.0"))
    units = [u for u in store.units if not u.isheader()]
    assert store.gettargetlanguage() == "nl-NL"
    assert [u.source for u in units] == [u.source for _d, u in sample_package().units]
    assert units[1].target == "Regel een\nregel twee met <b>vet</b> & \"aanhalingstekens\""
    assert units[2].target == "  Spaties voor en achter  "
    assert units[2].istranslated() and not units[0].istranslated()


def test_translate_toolkit_reads_xliff12_with_alternatives_and_notes() -> None:
    store = xliff.xlifffile.parsestring(write_xliff(sample_package(), "1.2"))
    units = [u for u in store.units if not u.isheader()]
    assert store.getfilenames() == ["account/a", "billing/b"]
    assert [u.source for u in units] == [u.source for _d, u in sample_package().units]
    assert [(a.source, a.target) for a in units[0].getalttrans()] == [
        ("Select **Open**.", "Selecteer **Openen**.")]
    assert "Save a file" in units[0].getnotes()
    assert units[1].isfuzzy() and not units[2].isfuzzy() and units[2].istranslated()


def test_xliff2po_and_po2xliff_lose_nothing() -> None:
    package = sample_package()
    as_po = io.BytesIO()
    xliff2po.convertxliff(io.BytesIO(write_xliff(package, "1.2")), as_po, None)
    po = pypo.pofile.parsestring(as_po.getvalue())
    pairs = [(u.source, u.target) for u in po.units if not u.isheader()]
    assert pairs == [(u.source, u.target) for _d, u in package.units]
    back = io.BytesIO()
    po2xliff.convertpo(io.BytesIO(as_po.getvalue()), back, None)
    again = xliff.xlifffile.parsestring(back.getvalue())
    assert [(u.source, u.target) for u in again.units if not u.isheader()] == pairs


@pytest.mark.parametrize(("data", "line", "says"), [
    (b"<xliff version='2.0' xmlns='urn:oasis:names:tc:xliff:document:2.0'\n srcLang='en'>"
     b"\n<file id='f1' original='a'><unit id='u1'><segment><source>x</sourc></segment>",
     3, "not well-formed"),
    (b"<?xml version='1.0'?>\n<html/>", 2, "not an XLIFF"),
    (b"<xliff version='2.0' xmlns='urn:oasis:names:tc:xliff:document:2.0' srcLang='en'/>",
     1, "trgLang"),
    (b"<xliff version='2.0' xmlns='urn:oasis:names:tc:xliff:document:2.0' srcLang='en' "
     b"trgLang='nl'>\n<file id='f1' original='a'>\n<unit id='u1'><segment><source>x"
     b"</source><target>a <pc id='1'>b</pc></target></segment></unit></file></xliff>",
     3, "inline markup"),
])
def test_unreadable_packages_are_refused_with_the_line(data: bytes, line: int,
                                                       says: str) -> None:
    with pytest.raises(XliffError) as raised:
        read_xliff(data)
    assert says in str(raised.value) and raised.value.line == line


def test_a_doctype_with_entities_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("canary-1234", encoding="utf-8")
    data = (f"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM '{secret.as_uri()}'>]>"
            "<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'>"
            "<file original='a' source-language='en' target-language='nl' datatype='plaintext'>"
            "<body><trans-unit id='u1'><source>x</source><target>&e;</target></trans-unit>"
            "</body></file></xliff>").encode()
    with pytest.raises(XliffError, match="DOCTYPE") as raised:
        read_xliff(data)
    assert "canary" not in str(raised.value)
