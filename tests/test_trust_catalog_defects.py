"""Catalog and metadata defects found by trying the tool as an attacker would (issue 15):
blank translations, a catalog in another language than its folder, Plural-Forms that
disagree with CLDR, and front-matter values without a length bound."""

from __future__ import annotations

import gettext
import io
import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers.site import write_files
from helpsite.article import parse_article, read_article
from helpsite.catalogs.compile import compile_file, mo_bytes
from helpsite.catalogs.plurals import plural_forms_problem
from helpsite.catalogs.pofile import parse_catalog, read_catalog
from helpsite.catalogs.qa import check_catalog_file, language_mismatch
from helpsite.catalogs.stats import PageStats, collect_stats, count_catalog
from helpsite.catalogs.update import update_catalogs
from helpsite.catalogs.writer import render_catalog
from helpsite.cli import main
from helpsite.findings import Code, Finding
from helpsite.metadata import MetadataChecker, PageKind
from helpsite.sitebuild.localeprocess import run_locale
from helpsite.sitebuild.plan import make_plan

REPO = Path(__file__).resolve().parents[1]
CHECKER = MetadataChecker()

# The formula the ar-SA sample catalogs had: forms 4 and 5 swapped against CLDR for
# n % 100 in 0..2 and 11..99 (100 files took the "11 files" form and back).
SWAPPED_AR = ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
              "n%100<=10 ? 3 : n%100>=0 && n%100<=2 ? 4 : 5);")
CLDR_AR = ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
           "n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5);")


def po_text(body: str, language: str = "nl_NL", plural_forms: str | None = None) -> str:
    header = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
              f'"Language: {language}\\n"']
    if plural_forms is not None:
        header.append(f'"Plural-Forms: {plural_forms}\\n"')
    return "\n".join(header) + "\n\n" + body


# Line 6 holds the first msgstr below (the header takes lines 1-4, line 5 is empty).
BLANKS = '''msgid "Open the page."
msgstr "   "

msgid "Close the page."
msgstr "\u00a0\\t"

msgid "Save the file."
msgstr "\u200b"

msgid "Sign in."
msgstr "Meld u aan."

msgid "One file"
msgid_plural "{n} files"
msgstr[0] "Eén bestand"
msgstr[1] "  "
'''


def findings_of(findings: list[Finding], code: Code) -> list[Finding]:
    return [f for f in findings if f.code is code]


# ------------------------------------------------------------------ blank translations


def test_blank_msgstr_counts_as_untranslated_in_stats() -> None:
    stats = PageStats("nl-NL", "page", "page.po")
    count_catalog(parse_catalog(po_text(BLANKS), "page.po"), stats)
    assert (stats.translated, stats.fuzzy, stats.untranslated) == (1, 0, 4)
    assert stats.translated_words == 2  # "Sign in." only


def test_blank_msgstr_is_left_out_of_the_compiled_catalog(tmp_path: Path) -> None:
    catalog = parse_catalog(po_text(BLANKS), "page.po")
    compiled = gettext.GNUTranslations(io.BytesIO(mo_bytes(catalog)))
    assert compiled.gettext("Sign in.") == "Meld u aan."
    for msgid in ("Open the page.", "Close the page.", "Save the file."):
        assert compiled.gettext(msgid) == msgid  # the source text, not spaces
    assert compiled.ngettext("One file", "{n} files", 5) == "{n} files"
    # and through the command's compile, which writes the .mo beside the .po
    po = tmp_path / "page.po"
    po.write_text(po_text(BLANKS), encoding="utf-8")
    assert compile_file(po, "page.po").compiled == ["page.po"]
    with po.with_suffix(".mo").open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("Open the page.") == "Open the page."


def test_check_po_reports_each_blank_translation_where_it_is(tmp_path: Path) -> None:
    po = tmp_path / "page.po"
    po.write_text(po_text(BLANKS), encoding="utf-8")
    blank = findings_of(check_catalog_file(po, "page.po"), Code.QA_BLANK)
    assert [(f.line, f.column) for f in blank] == [(7, 9), (10, 9), (13, 9), (20, 12)]
    assert all("counts as untranslated" in f.message for f in blank)
    # a warning: the build shows the source text; the JSON form carries the code
    assert main(["check-po", "--format", "json", "--strict", str(po)]) == 1
    assert main(["check-po", str(po)]) == 0


# ------------------------------------------------------- Language against its folder


@pytest.mark.parametrize(("language", "fits"), [
    ("nl", True), ("nl_NL", True), ("nl-NL", True), ("NL_nl", True), ("nl_NL.UTF-8", True),
    ("fr", False), ("de_DE", False), ("nl_BE", False), ("fr_NL", False), ("../fr", False),
])
def test_language_header_must_name_the_folders_language(language: str, fits: bool) -> None:
    assert (language_mismatch(language, "nl-NL") is None) is fits


def locale_catalog(root: Path, language: str) -> Path:
    path = root / "locales" / "nl-NL" / "LC_MESSAGES" / "page.po"
    write_files(root, {"locales/nl-NL/LC_MESSAGES/page.po":
                       po_text('msgid "Hello"\nmsgstr "Bonjour"\n', language)}, dedent=False)
    return path


@pytest.mark.parametrize("language", ["fr", "de_DE"])
def test_check_po_reports_a_catalog_in_another_language(tmp_path: Path, language: str) -> None:
    path = locale_catalog(tmp_path, language)
    found = findings_of(check_catalog_file(path, "page.po"), Code.PO_LANGUAGE)
    assert [(f.line, f.severity.value) for f in found] == [(4, "error")]
    assert f"'Language: {language}'" in found[0].message and "nl-NL" in found[0].message
    assert main(["check-po", str(tmp_path / "locales")]) == 1


@pytest.mark.parametrize("language", ["nl", "nl_NL"])
def test_check_po_accepts_the_folders_language(tmp_path: Path, language: str) -> None:
    path = locale_catalog(tmp_path, language)
    assert check_catalog_file(path, "page.po") == []


# ------------------------------------------------------------------ Plural-Forms


def test_swapped_arabic_plural_forms_are_reported() -> None:
    problem = plural_forms_problem(SWAPPED_AR, "ar-SA")
    assert problem is not None
    assert "for n = 11 the formula picks form 5 where CLDR's rule for ar-SA picks form 4" \
        in problem
    assert "n % 100 >= 11 && n % 100 <= 99 ? 4 : 5" in problem  # the line to copy
    assert plural_forms_problem(CLDR_AR, "ar-SA") is None
    assert plural_forms_problem(CLDR_AR, "ar") is None


@pytest.mark.parametrize(("value", "language", "expected"), [
    ("nplurals=2; plural=(n != 1);", "nl-NL", None),
    ("nplurals=2; plural=n != 1", "de_DE", None),
    ("nplurals=1; plural=0;", "ja-JP", None),
    ("nplurals=1; plural=0;", "nl-NL", "nplurals=1, but nl-NL has 2 plural forms"),
    ("nplurals=2; plural=(n > 1);", "nl-NL", "for n = 0 the formula picks form 0 where"),
    ("nplurals=2; plural=(n % 3);", "nl-NL", "for n = 2 the formula gives 2, not a form"),
    ("nplurals=2; plural=(n / 0);", "nl-NL", "for n = 0 the formula gives an error"),
    ("nplurals=2; plural=__import__('os');", "nl-NL", "cannot be evaluated"),
    ("nplurals=two", "nl-NL", "is not 'nplurals=N; plural=EXPRESSION;'"),
])
def test_plural_forms_against_cldr(value: str, language: str, expected: str | None) -> None:
    problem = plural_forms_problem(value, language)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in problem


def test_check_po_reports_plural_forms_on_their_header_line(tmp_path: Path) -> None:
    folder = tmp_path / "locales" / "ar-SA" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    path = folder / "page.po"
    path.write_text(po_text('msgid "Hi"\nmsgstr "مرحبا"\n', "ar_SA", SWAPPED_AR),
                    encoding="utf-8")
    found = findings_of(check_catalog_file(path, "page.po"), Code.PO_PLURAL_FORMS)
    assert [(f.line, f.severity.value) for f in found] == [(5, "error")]


def test_sample_catalogs_use_the_cldr_plural_forms_and_keep_their_translations() -> None:
    locales = REPO / "locales"
    findings = [f for path in sorted(locales.rglob("*.po"))
                for f in check_catalog_file(path, str(path.relative_to(REPO)))]
    assert findings_of(findings, Code.PO_PLURAL_FORMS) == []
    assert findings_of(findings, Code.PO_LANGUAGE) == []
    arabic = sorted((locales / "ar-SA").rglob("*.po"))
    assert len(arabic) == 15
    for path in arabic:
        catalog = read_catalog(path)
        assert plural_forms_problem(catalog.header_value("Plural-Forms") or "", "ar-SA") is None
        # the header edit left each file as helpsite writes it: update-po rewrites nothing
        assert render_catalog(catalog) == path.read_text(encoding="utf-8"), path
    translated = {p.name: sum(e.translated for e in read_catalog(p).active) for p in arabic}
    assert translated["sign-in.po"] == 21 and translated["two-step-verification.po"] == 24


# ------------------------------------------------------------------ the build


CONF = '''
project = "Trust"
extensions = ["helpsite.sphinx"]
helpsite_source_locale = "en-US"
helpsite_locales = ["nl-NL"]
'''

ARTICLE = """\
---
title: {title}
---
# {title}

First paragraph of {name}.

Second paragraph of {name}.
"""


def article_po(name: str, language: str, second: str,
               first: str = "Eerste alinea van {name}.") -> str:
    return po_text(f'msgid "{name.title()}"\nmsgstr "Titel {name}"\n\n'
                   f'msgid "First paragraph of {name}."\nmsgstr "{first.format(name=name)}"\n\n'
                   f'msgid "Second paragraph of {name}."\nmsgstr "{second}"\n', language)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("trust")
    files = {"conf.py": CONF, "source/index.md": "---\ntitle: Trust\n---\n# Trust\n\nHi.\n"}
    for name in ("blank", "french", "dutch"):
        files[f"source/{name}.md"] = ARTICLE.format(title=name.title(), name=name)
    # spaces, and a zero-width space (which Sphinx's own check, msgstr.strip(), lets by)
    files["locales/nl-NL/LC_MESSAGES/blank.po"] = article_po("blank", "nl_NL", "   ",
                                                             first="\u200b \u200b")
    files["locales/nl-NL/LC_MESSAGES/french.po"] = article_po("french", "fr", "Deuxième.")
    files["locales/nl-NL/LC_MESSAGES/dutch.po"] = article_po("dutch", "nl", "Tweede.")
    write_files(root, files, dedent=False)
    plan = make_plan(root, root / "source", root / "build", locales="nl-NL")
    [build] = [b for b in plan.builds if b.tag == "nl-NL"]
    result = run_locale(plan, build)
    assert result.ok, result.output
    return plan.html_root / "nl-nl", result.output


def paragraphs(folder: Path, page: str) -> list[tuple[str, str | None]]:
    soup = BeautifulSoup((folder / f"{page}.html").read_text(encoding="utf-8"), "lxml")
    article = soup.find("article")
    assert article is not None
    return [(" ".join(p.get_text(" ").split()), p.get("lang")) for p in article.find_all("p")
            if p.find_parent("div", class_="helpsite-note") is None]


def test_build_shows_the_source_text_marked_for_a_blank_translation(built: tuple) -> None:
    folder, _output = built
    assert paragraphs(folder, "blank") == [  # the source text, marked as such
        ("First paragraph of blank.", "en-US"),
        ("Second paragraph of blank.", "en-US"),
    ]


def test_build_does_not_use_a_catalog_in_another_language(built: tuple) -> None:
    folder, output = built
    soup = BeautifulSoup((folder / "french.html").read_text(encoding="utf-8"), "lxml")
    assert soup.find("div", class_="helpsite-note-fallback") is not None
    text = " ".join(soup.find("article").get_text(" ").split())
    assert "First paragraph of french." in text and "Deuxième" not in text
    warnings = [line for line in output.splitlines() if "french.po" in line]
    assert any("build.catalog-invalid" in line and "'Language: fr'" in line
               and "po.language" in line for line in warnings), output
    # a catalog that says "nl" in locales/nl-NL/ is used
    assert paragraphs(folder, "dutch") == [("Eerste alinea van dutch.", None),
                                           ("Tweede.", None)]


# ------------------------------------------------------------------ metadata bounds


def metadata_findings(lines: str) -> list[Finding]:
    text = f"---\ntitle: T\nauthor: a\nms.author: b\nms.topic: article\n{lines}---\n# T\n"
    article = parse_article(text, Path("a.md"), "a.md")
    assert article.findings == []
    return CHECKER.check(article.front_matter, "a.md", PageKind.ARTICLE).findings


def test_a_6000_character_title_is_reported_with_its_bound() -> None:
    text = f"---\ntitle: {'A' * 6000}\nauthor: a\nms.author: b\nms.topic: article\n---\n# T\n"
    article = parse_article(text, Path("a.md"), "a.md")
    [finding] = CHECKER.check(article.front_matter, "a.md", PageKind.ARTICLE).findings
    assert (finding.code, finding.line, finding.severity.value) == (Code.META_TOO_LONG, 2,
                                                                     "error")
    assert "6000 characters, more than the 200 allowed; shorten it" in finding.message


@pytest.mark.parametrize(("line", "key", "bound"), [
    (f"description: {'d' * 301}\n", "description", 300),
    (f"manager: {'m' * 101}\n", "manager", 100),
    (f"ms.collection: {'c' * 101}\n", "ms.collection", 100),
    (f"ms.collection:\n- {'c' * 101}\n", "ms.collection", 100),
    (f'ms.custom:\n- "{"7" * 101}"\n', "ms.custom", 100),
])
def test_other_short_text_keys_have_bounds(line: str, key: str, bound: int) -> None:
    [finding] = metadata_findings(line)
    assert finding.code is Code.META_TOO_LONG
    assert finding.message.startswith(f"{key}: ") and f"the {bound} allowed" in finding.message


def test_values_at_the_bound_pass() -> None:
    assert metadata_findings(f"description: {'d' * 300}\nmanager: {'m' * 100}\n") == []


def test_no_real_article_is_too_long(corpus: Path) -> None:
    checked, too_long = 0, []
    for folder in sorted((corpus / "alchemy").iterdir()):
        for path in sorted(folder.glob("**/*.md")):
            article = read_article(path)
            if not article.front_matter.ok or "includes" in path.parts:
                continue
            result = CHECKER.check(article.front_matter, str(path), PageKind.ARTICLE)
            too_long += findings_of(result.findings, Code.META_TOO_LONG)
            checked += 1
    assert checked > 5000
    assert too_long == []


def test_json_form_carries_the_new_codes(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = locale_catalog(tmp_path, "fr")
    assert main(["check-po", "--format", "json", str(path)]) == 1
    codes = {item["code"] for item in json.loads(capsys.readouterr().out)}
    assert codes == {"po.language"}


def test_cached_statistics_of_older_counting_are_not_reused(tmp_path: Path) -> None:
    folder = tmp_path / "locales" / "nl-NL" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "page.po").write_text(po_text(BLANKS), encoding="utf-8")
    cache: dict[str, Any] = {}
    first = collect_stats(tmp_path / "locales", cache=cache)
    assert first.locales[0].pages[0].untranslated == 4
    # a cache written by the counting before blanks were untranslated, file unchanged
    entry = cache["nl-NL/page"]
    entry["key"] = [entry["key"][0], *entry["key"][2:]]
    entry["stats"] = {**entry["stats"], "translated": 5, "untranslated": 0}
    again = collect_stats(tmp_path / "locales", cache=cache)
    assert (again.locales[0].pages[0].translated, again.locales[0].pages[0].untranslated) \
        == (1, 4)


def test_compile_writes_no_catalog_for_another_language(tmp_path: Path) -> None:
    path = locale_catalog(tmp_path, "nl_NL")
    assert compile_file(path, "page.po").compiled == ["page.po"]
    assert path.with_suffix(".mo").is_file()
    locale_catalog(tmp_path, "fr")  # the same file, now saying it is French
    result = compile_file(path, "page.po")
    assert result.compiled == [] and [f.code for f in result.findings] == [Code.PO_LANGUAGE]
    assert not path.with_suffix(".mo").exists()  # the Dutch-site .mo of before is gone
    assert main(["compile", "--locales-dir", str(tmp_path / "locales")]) == 1


@pytest.mark.parametrize(("language", "accepted"), [("nl", True), ("nl_NL", True),
                                                    ("fr", False), ("de_DE", False)])
def test_update_po_follows_the_same_language_rule(tmp_path: Path, language: str,
                                                  accepted: bool) -> None:
    pot_dir = tmp_path / "pot"
    pot_dir.mkdir()
    (pot_dir / "page.pot").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hello"\nmsgstr ""\n', encoding="utf-8")
    path = locale_catalog(tmp_path, language)
    report = update_catalogs(pot_dir, tmp_path / "locales", base=tmp_path)
    assert [f.code for f in report.findings] == ([] if accepted else [Code.PO_LANGUAGE])
    assert ("Bonjour" in path.read_text(encoding="utf-8")) is True  # kept either way
