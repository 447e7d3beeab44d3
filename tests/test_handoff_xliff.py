"""XLIFF 2.0 and 1.2 of handoff packages (helpsite.handoff.xliff): what helpsite writes is
read back by helpsite and by translate-toolkit (what Weblate and Pootle read XLIFF with),
survives translate-toolkit's xliff2po and po2xliff, and bad packages are refused with the
line, never half read.

Every package helpsite writes is validated against the OASIS XML Schemas (XLIFF 2.0 core,
XLIFF 1.2 strict). They come from Debian's php-symfony-translation, the one package on the
registries this project uses that ships them (Symfony validates XLIFF with them);
`make test` installs it. Their imports of xml.xsd are resolved to the copy beside them:
nothing is fetched.
"""

from __future__ import annotations

import io
import os
import random
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, REPO, require_shared
from helpsite.handoff.package import export_packages
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

#: where Debian's php-symfony-translation puts the OASIS schemas
SCHEMA_DIR = Path("/usr/share/php/Symfony/Component/Translation/Resources/schemas")
SCHEMA_FILES = {"2.0": "xliff-core-2.0.xsd", "1.2": "xliff-core-1.2-strict.xsd"}


class _LocalXmlSchema(etree.Resolver):
    """Both schemas import xml.xsd from the web or a sub-folder: the copy beside them."""

    def resolve(self, url: str, pubid: str | None, context: object) -> object:
        if url.endswith("xml.xsd"):
            return self.resolve_filename(str(SCHEMA_DIR / "xml.xsd"), context)
        return None


@pytest.fixture(scope="module")
def oasis_schemas() -> dict[str, etree.XMLSchema]:
    if not all((SCHEMA_DIR / name).is_file() for name in [*SCHEMA_FILES.values(), "xml.xsd"]):
        message = (f"the OASIS XLIFF schemas are not in {SCHEMA_DIR}: "
                   "apt-get install php-symfony-translation (make test does)")
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    schemas = {}
    for version, name in SCHEMA_FILES.items():
        parser = etree.XMLParser(no_network=True)
        parser.resolvers.add(_LocalXmlSchema())
        schemas[version] = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name), parser))
    return schemas


def assert_schema_valid(schema: etree.XMLSchema, data: bytes) -> None:
    document = etree.fromstring(data)
    assert schema.validate(document), "\n".join(str(e) for e in schema.error_log[:5])


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


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_written_xliff_is_valid_against_the_oasis_schema(
        version: str, oasis_schemas: dict[str, etree.XMLSchema]) -> None:
    assert_schema_valid(oasis_schemas[version], write_xliff(sample_package(), version))


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_the_schema_check_rejects_what_the_standard_forbids(
        version: str, oasis_schemas: dict[str, etree.XMLSchema]) -> None:
    # the check is live: a package without its source language is invalid
    root = etree.fromstring(write_xliff(sample_package(), version))
    if version == "2.0":
        del root.attrib["srcLang"]
    else:
        del root.find(f"{{{XLIFF12}}}file").attrib["source-language"]
    assert not oasis_schemas[version].validate(root)


@pytest.mark.parametrize(("fmt", "version"), [("xliff2", "2.0"), ("xliff12", "1.2")])
def test_sample_repository_packages_are_schema_valid(
        fmt: str, version: str, tmp_path: Path,
        oasis_schemas: dict[str, etree.XMLSchema]) -> None:
    from helpsite.handoff.memory import memory_from_catalogs

    shutil.copytree(REPO / "locales", tmp_path / "locales")
    results, findings = export_packages(
        tmp_path / "locales", tmp_path / "out", source_dir=REPO / "source", fmt=fmt,
        memory_for=lambda tag: memory_from_catalogs(tmp_path / "locales", tag))
    written = [result for result in results if result.units]  # a complete locale has none
    assert findings == [] and written
    for result in written:  # every locale with work to send, TM alternatives included
        assert_schema_valid(oasis_schemas[version], result.path.read_bytes())


@pytest.mark.corpus
@pytest.mark.parametrize("locale", ["th-TH", "zh-TW", "ru-RU"])
def test_real_sentences_make_schema_valid_packages(
        locale: str, oasis_schemas: dict[str, etree.XMLSchema]) -> None:
    from helpsite.importers.sxs import sentence_pairs

    folder = require_shared(CORPUS / "alchemy-sxs" / locale)
    files = sorted(folder.rglob("*.md"))
    picked = random.Random(19).sample(files, min(40, len(files)))
    units = [Unit(f"u{index}", source, target, confirmed=bool(target))
             for index, (source, target) in enumerate(
                 pair for path in picked
                 for pair in sentence_pairs(path.read_text(encoding="utf-8")))]
    assert len(units) > 100
    package = Package("en", locale, "2026-05-04", [PackageFile("corpus", units)])
    for version in ("2.0", "1.2"):
        data = write_xliff(package, version)
        assert_schema_valid(oasis_schemas[version], data)
        back, _ = read_xliff(data)
        assert [(u.source, u.target) for _d, u in back.units] == [
            (u.source, u.target) for u in units]
