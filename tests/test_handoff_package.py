"""Handoff packages (helpsite.handoff.package): export what needs translation, a vendor
edits it, import merges it back with nothing lost; merged catalogs split back losslessly;
the Weblate component discovery pattern of docs/handoff.md fits the sample layout."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from helpsite.catalogs.pofile import Catalog, read_catalog
from helpsite.commands import main
from helpsite.handoff.package import (
    LASTHANDOFF_FIELD,
    export_packages,
    import_package,
    read_package,
    unit_id,
)
from helpsite.handoff.xliff import XLIFF2, read_xliff, write_xliff
from lxml import etree
from translate.storage import pypo

REPO = Path(__file__).resolve().parents[1]
HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Language: nl_NL\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')
SOURCE = "---\ntitle: Save files\n---\n\n# Save files\n\nOpen the menu.\n\n## Saving\n\n" \
         "Select **Save**.\n\nThe file is saved.\n"
CATALOG = HEADER + """\
#: ../../source/files/save.md:5
msgid "Save files"
msgstr "Bestanden opslaan"

#: ../../source/files/save.md:7
msgid "Open the menu."
msgstr "Open het menu."

#: ../../source/files/save.md:9
msgid "Saving"
msgstr ""

#: ../../source/files/save.md:11
msgid "Select **Save**."
msgstr ""

#, fuzzy
#| msgid "The file is stored."
#: ../../source/files/save.md:13
msgid "The file is saved."
msgstr "Het bestand is bewaard."
"""
OTHER = HEADER + """\
#: ../../source/files/other.md:5
msgid "Select **Save**."
msgstr "Selecteer **Opslaan**."
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "source" / "files").mkdir(parents=True)
    (tmp_path / "source" / "files" / "save.md").write_text(SOURCE, encoding="utf-8")
    folder = tmp_path / "locales" / "nl-NL" / "LC_MESSAGES" / "files"
    folder.mkdir(parents=True)
    (folder / "save.po").write_text(CATALOG, encoding="utf-8")
    (folder / "other.po").write_text(OTHER, encoding="utf-8")
    return tmp_path


def catalog_of(project: Path, name: str = "save") -> Catalog:
    return read_catalog(project / "locales" / "nl-NL" / "LC_MESSAGES" / "files" / f"{name}.po")


def entry(catalog: Catalog, msgid: str):
    return next(e for e in catalog.entries if e.msgid == msgid)


def export(project: Path, fmt: str = "xliff2", **options) -> Path:
    from helpsite.handoff.memory import memory_from_catalogs

    results, findings = export_packages(
        project / "locales", project / "out", source_dir=project / "source", fmt=fmt,
        date="2026-05-04", memory_for=lambda tag: memory_from_catalogs(project / "locales", tag),
        **options)
    assert findings == []
    return results[0].path


def set_target(data: bytes, source: str, target: str, state: str = "translated") -> bytes:
    root = etree.fromstring(data)
    for segment in root.iter(f"{{{XLIFF2}}}segment"):
        if segment.findtext(f"{{{XLIFF2}}}source") == source:
            old = segment.find(f"{{{XLIFF2}}}target")
            if old is None:
                old = etree.SubElement(segment, f"{{{XLIFF2}}}target")
            old.text = target
            segment.set("state", state)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_export_holds_new_and_fuzzy_with_context_and_tm_matches(project: Path) -> None:
    package, version = read_xliff(export(project).read_bytes())
    assert version == "2.0" and package.target_language == "nl-NL"
    units = {u.source: u for doc, u in package.units if doc == "files/save"}
    assert set(units) == {"Saving", "Select **Save**.", "The file is saved."}
    save = units["Select **Save**."]
    notes = dict(save.notes)
    assert notes["heading"] == "Saving" and notes["previous-sentence"] == "Saving"
    assert notes["next-sentence"] == "The file is saved." and notes["article"] == "files/save"
    assert save.record["kind"] == "new"
    root = etree.fromstring(export(project).read_bytes())
    matches = [m for m in root.iter("{urn:oasis:names:tc:xliff:matches:2.0}match")]
    assert any(m.findtext(f"{{{XLIFF2}}}target") == "Selecteer **Opslaan**." and
               float(m.get("similarity")) == 100 for m in matches)
    fuzzy = units["The file is saved."]
    assert not fuzzy.confirmed and fuzzy.target == "Het bestand is bewaard."
    assert dict(fuzzy.notes)["previous-source"] == "The file is stored."


def test_stale_article_sends_its_translations_for_review(project: Path) -> None:
    path = project / "locales" / "nl-NL" / "LC_MESSAGES" / "files" / "other.po"
    path.write_text(OTHER.replace('"Plural', '"X-Source-Hash: 0000\\n"\n"Plural'), "utf-8")
    (project / "source" / "files" / "other.md").write_text("changed", encoding="utf-8")
    package, _ = read_xliff(export(project).read_bytes())
    stale = [u for doc, u in package.units if doc == "files/other"]
    assert [(u.source, u.record["kind"], u.confirmed) for u in stale] == [
        ("Select **Save**.", "stale", True)]


def test_round_trip_vendor_edits_adds_and_conflicts_nothing_lost(project: Path) -> None:
    path = export(project)
    data = path.read_bytes()
    data = set_target(data, "Saving", "Opslaan")                           # adds
    data = set_target(data, "Select **Save**.", "Selecteer **Opslaan**.")  # adds
    data = set_target(data, "The file is saved.", "Het bestand is opgeslagen.")  # changes
    returned = project / "returned.xlf"
    returned.write_bytes(data)
    # meanwhile a translator confirms another text for the fuzzy entry in the PO
    po = project / "locales" / "nl-NL" / "LC_MESSAGES" / "files" / "save.po"
    po.write_text(CATALOG.replace('#, fuzzy\n', '').replace(
        "Het bestand is bewaard.", "Het bestand werd opgeslagen."), encoding="utf-8")

    report = import_package(returned, project / "locales", source_dir=project / "source")

    assert not report.stopped and report.applied == 2 and report.conflicts == 1
    assert [f.code.code for f in report.findings] == ["handoff.conflict"]
    catalog = catalog_of(project)
    assert entry(catalog, "Saving").msgstr == "Opslaan" and not entry(catalog, "Saving").fuzzy
    assert entry(catalog, "Select **Save**.").msgstr == "Selecteer **Opslaan**."
    conflict = entry(catalog, "The file is saved.")
    assert conflict.msgstr == "Het bestand werd opgeslagen." and not conflict.fuzzy
    assert conflict.translator_comments == [
        'handoff conflict 2026-05-04: vendor "Het bestand is opgeslagen."']
    assert entry(catalog, "Open the menu.").msgstr == "Open het menu."  # untouched
    assert catalog.header_value(LASTHANDOFF_FIELD) == "05/04/2026"
    assert catalog.header_value("X-Source-Hash")  # complete now: the hash is recorded
    assert catalog_of(project, "other").header_value(LASTHANDOFF_FIELD) is None
    # importing the same package again changes nothing
    before = po.read_bytes()
    again = import_package(returned, project / "locales", source_dir=project / "source")
    assert again.written == [] and po.read_bytes() == before


def test_conflict_with_an_unconfirmed_catalog_text_takes_the_vendors(project: Path) -> None:
    data = set_target(export(project).read_bytes(), "The file is saved.", "Opgeslagen.")
    (project / "r.xlf").write_bytes(data)
    po = project / "locales" / "nl-NL" / "LC_MESSAGES" / "files" / "save.po"
    po.write_text(CATALOG.replace("Het bestand is bewaard.", "Bewaard?"), encoding="utf-8")
    report = import_package(project / "r.xlf", project / "locales")
    assert report.conflicts == 1
    changed = entry(catalog_of(project), "The file is saved.")
    assert changed.msgstr == "Opgeslagen." and not changed.fuzzy
    assert changed.translator_comments == ['handoff conflict 2026-05-04: before import '
                                           '"Bewaard?"']


def test_a_unit_whose_source_is_gone_is_kept_obsolete(project: Path) -> None:
    data = set_target(export(project).read_bytes(), "Saving", "Opslaan")
    (project / "r.xlf").write_bytes(data)
    po = project / "locales" / "nl-NL" / "LC_MESSAGES" / "files" / "save.po"
    po.write_text(CATALOG.replace('msgid "Saving"', 'msgid "Saving files"'), encoding="utf-8")
    report = import_package(project / "r.xlf", project / "locales")
    assert [f.code.code for f in report.findings] == ["handoff.source-changed"]
    kept = [e for e in catalog_of(project).obsolete if e.msgid == "Saving"]
    assert [(e.msgstr, e.fuzzy) for e in kept] == [("Opslaan", False)]


@pytest.mark.parametrize(("change", "code"), [
    (lambda data: data.replace(b"</xliff>", b""), "handoff.invalid"),
    (lambda data: set_target(data, "Select **Save**.", "Selecteer <script>x</script>"),
     "qa.unsafe-html"),
    (lambda data: set_target(data, "Select **Save**.", "Selecteer `Opslaan`."),
     "qa.inline-code"),
])
def test_bad_packages_stop_before_anything_is_written(project: Path, change, code) -> None:
    data = set_target(export(project).read_bytes(), "Saving", "Opslaan")
    (project / "r.xlf").write_bytes(change(data))
    folder = project / "locales"
    before = {p: p.read_bytes() for p in folder.rglob("*.po")}
    report = import_package(project / "r.xlf", folder)
    assert report.stopped and code in {f.code.code for f in report.findings}
    assert {p: p.read_bytes() for p in folder.rglob("*.po")} == before


def test_qa_warnings_are_reported_and_the_import_goes_on(project: Path) -> None:
    data = set_target(export(project).read_bytes(), "Select **Save**.", "Selecteer Opslaan.")
    (project / "r.xlf").write_bytes(data)
    report = import_package(project / "r.xlf", project / "locales")
    assert not report.stopped and [f.code.code for f in report.findings] == ["qa.markup"]
    assert entry(catalog_of(project), "Select **Save**.").msgstr == "Selecteer Opslaan."


def test_an_unreadable_catalog_stops_the_import(project: Path) -> None:
    (project / "r.xlf").write_bytes(set_target(export(project).read_bytes(), "Saving", "Opslaan"))
    po = project / "locales" / "nl-NL" / "LC_MESSAGES" / "files" / "save.po"
    po.write_text(CATALOG + "<<<<<<< HEAD\n", encoding="utf-8")
    before = po.read_bytes()
    report = import_package(project / "r.xlf", project / "locales")
    assert report.stopped and report.findings[0].code.code == "po.conflict-marker"
    assert po.read_bytes() == before


def test_xliff12_package_round_trips(project: Path) -> None:
    path = export(project, "xliff12")
    package, version = read_xliff(path.read_bytes())
    assert version == "1.2"
    for _doc, unit in package.units:
        if unit.source == "Saving":
            unit.target, unit.confirmed = "Opslaan", True
    (project / "r.xliff").write_bytes(write_xliff(package, "1.2"))
    report = import_package(project / "r.xliff", project / "locales")
    assert report.applied == 1 and report.unchanged == 1  # the fuzzy one came back as it was
    saved = catalog_of(project)
    assert entry(saved, "Saving").msgstr == "Opslaan"
    assert entry(saved, "The file is saved.").fuzzy


def test_merged_catalog_splits_back_losslessly(project: Path) -> None:
    before = {p: p.read_bytes() for p in (project / "locales").rglob("*.po")}
    merged = export(project, "po", merged=True)
    assert merged.name == "nl-NL-merged.po"
    catalog = polib.pofile(str(merged))
    contexts = {(e.msgctxt, e.msgid) for e in catalog}
    assert ("files/save", "Open the menu.") in contexts
    assert ("files/other", "Select **Save**.") in contexts and len(catalog) == 6
    assert "../../source/files/save.md:7" in " ".join(
        f"{path}:{line}" for e in catalog for path, line in e.occurrences)
    toolkit = pypo.pofile.parsestring(merged.read_bytes())
    assert sorted((u.getcontext(), u.source, u.target) for u in toolkit.units
                  if not u.isheader()) == sorted((e.msgctxt, e.msgid, e.msgstr) for e in catalog)
    # unchanged, the split back writes nothing
    report = import_package(merged, project / "locales")
    assert report.written == [] and not report.stopped
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*.po")} == before
    # a platform translates one entry and confirms the fuzzy one
    for item in catalog:
        if item.msgid == "Saving":
            item.msgstr = "Opslaan"
        if item.msgid == "The file is saved.":
            item.flags.remove("fuzzy")
    catalog.save(str(merged))
    report = import_package(merged, project / "locales")
    assert report.applied == 2 and report.findings == []
    saved = catalog_of(project)
    assert entry(saved, "Saving").msgstr == "Opslaan"
    confirmed = entry(saved, "The file is saved.")
    assert not confirmed.fuzzy and confirmed.previous_msgid is None
    assert catalog_of(project, "other").entries[0].msgstr == "Selecteer **Opslaan**."


def test_po_package_ids_match_the_catalog(project: Path) -> None:
    package = read_package(export(project, "po"), "nl-NL.po")
    assert {u.id for _d, u in package.units} == {
        unit_id(None, "Saving"), unit_id(None, "Select **Save**."),
        unit_id(None, "The file is saved.")}


def test_cli_export_and_import(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locales = str(project / "locales")
    assert main(["handoff", "export", "--locales-dir", locales, "--source",
                 str(project / "source"), "--out", str(project / "out"),
                 "--xliff-version", "1.2", "--no-tm"]) == 0
    assert (project / "out" / "nl-NL.xliff").is_file()
    assert main(["handoff", "import", str(project / "out" / "nl-NL.xliff"),
                 "--locales-dir", locales]) == 0
    (project / "bad.xlf").write_text("<xliff", encoding="utf-8")
    assert main(["handoff", "import", str(project / "bad.xlf"), "--locales-dir", locales]) == 1
    assert "handoff.invalid" in capsys.readouterr().err
    assert main(["handoff", "import", str(project / "none.xlf")]) == 2
    with pytest.raises(SystemExit) as usage:
        main(["handoff", "export", "--locales-dir", locales, "--date", "04/05/2026"])
    assert usage.value.code == 2 and "not a date" in capsys.readouterr().err


def test_a_package_with_a_bad_date_is_refused(project: Path) -> None:
    data = export(project).read_bytes().replace(b">2026-05-04<", b">someday<")
    (project / "r.xlf").write_bytes(set_target(data, "Saving", "Opslaan"))
    report = import_package(project / "r.xlf", project / "locales")
    assert report.stopped and report.findings[0].code.code == "handoff.invalid"
    assert entry(catalog_of(project), "Saving").msgstr == ""


# -- Weblate's component discovery (the pattern docs/handoff.md gives) ------------------

def discovery_pattern() -> re.Pattern[str]:
    text = (REPO / "docs" / "handoff.md").read_text(encoding="utf-8")
    match = re.search(r"^match: (.+)$", text, re.M)
    assert match, "docs/handoff.md names the discovery 'match:' pattern"
    return re.compile(match.group(1).strip())


def test_weblate_discovery_pattern_gives_one_component_per_article() -> None:
    pattern = discovery_pattern()
    catalogs = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "locales").rglob("*.po"))
    found = [pattern.fullmatch(path) for path in catalogs]
    assert all(found), [p for p, m in zip(catalogs, found, strict=True) if not m]
    articles = {p.relative_to(REPO / "source").with_suffix("").as_posix()
                for p in (REPO / "source").rglob("*.md")}
    components = {m.group("component") for m in found}
    assert components == articles
    languages = {m.group("language") for m in found}
    assert languages == {p.name for p in (REPO / "locales").iterdir() if p.is_dir()}
    # one file per component and language, as Weblate needs
    assert len({(m.group("component"), m.group("language")) for m in found}) == len(found)
    # the category folder before the article groups the components, one group per category
    categories = {c.partition("/")[0] for c in components if "/" in c}
    assert categories == {p.name for p in (REPO / "source").iterdir()
                          if p.is_dir() and p.name != "media"}
    for path in catalogs:  # and translate-toolkit reads each of them
        assert pypo.pofile.parsestring((REPO / path).read_bytes()).units


def test_sample_repository_exports_a_package_translate_toolkit_reads(tmp_path: Path) -> None:
    shutil.copytree(REPO / "locales", tmp_path / "locales")
    results, findings = export_packages(tmp_path / "locales", tmp_path / "out",
                                        source_dir=REPO / "source", locales=["ja-JP"])
    assert findings == [] and results[0].units > 0
    from translate.storage import xliff2

    store = xliff2.Xliff2File.parsestring(results[0].path.read_bytes())
    assert len([u for u in store.units if not u.isheader()]) == results[0].units
