"""check-po: one test per QA case, the finding form, and the sample catalogs pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.catalogs import po_text
from helpsite.catalogs.qa import check_catalog_file, check_pair, unsafe_translation_problems
from helpsite.commands import main

REPO = Path(__file__).resolve().parents[1]


def codes(msgid: str, msgstr: str) -> list[str]:
    return [p.code.code for p in check_pair(msgid, msgstr)]


def test_good_translation_has_no_problems() -> None:
    msgid = "Select **Save**. See [Invoices](invoices.md#read) and run `cc login` <br>"
    msgstr = "Selecteer **Opslaan**. Zie [Facturen](invoices.md#read) en voer `cc login` uit <br>"
    assert codes(msgid, msgstr) == []


def test_dropped_link_is_a_link_count_error() -> None:
    assert "qa.link-count" in codes("See [Invoices](invoices.md).", "Zie Facturen.")


def test_changed_relative_target_is_a_link_target_error() -> None:
    assert codes("See [Invoices](invoices.md#read).", "Zie [Facturen](facturen.md#lezen).") == \
        ["qa.link-target"]


def test_localized_absolute_url_is_accepted() -> None:
    assert codes("See [docs](https://contoso.example/en-us/x).",
                 "Zie [docs](https://contoso.example/nl-nl/x).") == []


def test_changed_inline_code_is_an_error() -> None:
    assert codes("Run `cc login`.", "Voer `cc aanmelden` uit.") == ["qa.inline-code"]


def test_lost_bold_markers_are_a_markup_warning() -> None:
    assert codes("Select **Save** and *then* close.", "Selecteer Opslaan en *dan* sluiten.") \
        == ["qa.markup"]


def test_escaped_asterisks_are_not_emphasis_markers() -> None:
    """The bold lost is reported once; the literal asterisks are no emphasis added."""
    problems = check_pair("Select **Share**.", "選取 [共用]\\*\\*\\*\\*。")
    assert [p.message for p in problems] == [
        "strong markers: 2 in the source, 0 in the translation"]
    assert codes("Type \\*.txt or *all*.", "輸入 \\*.txt 或*全部*。") == []


def test_different_html_tags_are_an_error() -> None:
    assert codes('<a name="x"></a>Title', '<a name="y"></a>Titel') == ["qa.html-tags"]
    assert codes("Line<br>break", "Regel<b>break</b>") == ["qa.html-tags"]


@pytest.mark.parametrize("msgstr", [
    "Hallo <script>alert(1)</script>",
    'Hallo <img src="x.png" onerror="alert(1)">',
    "Zie [dit](javascript:alert(1))",
    "Zie [dit](JavaScript:alert(1)) en [dat](https://example.com)",
    "Zie [dit](data:text/html;base64,PHNjcmlwdD4=)",
    '<a href="javascript:alert(1)">klik</a>',
])
def test_unsafe_html_is_an_error_and_refused_for_the_build(msgstr: str) -> None:
    assert "qa.unsafe-html" in codes("Hello", msgstr)
    assert unsafe_translation_problems("Hello", msgstr)


@pytest.mark.parametrize("msgstr", ["```{raw} html\n<b>x</b>\n```", ":::{include} /etc/passwd",
                                    "Zie {include}`x`", "{raw}`<b>`", ".. raw:: html"])
def test_smuggled_directive_is_an_error_and_refused(msgstr: str) -> None:
    assert "qa.directive" in codes("See this", msgstr)
    assert unsafe_translation_problems("See this", msgstr)


def test_safe_translation_is_not_refused() -> None:
    assert unsafe_translation_problems("Run `cc`", "Voer `cc` uit") == []
    # an element the source already has is not the translation's fault; a handler still is
    video = '<iframe src="https://video.contoso.example/1"></iframe> Watch'
    assert unsafe_translation_problems(video, video.replace("Watch", "Kijk")) == []
    assert unsafe_translation_problems(video, video.replace("<iframe ", "<iframe onload=x "))


def test_raster_data_image_is_safe_only_as_an_image() -> None:
    icon = '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">'
    # the same rule as the validator and the build's sanitizer (helpsite.checks.linktargets)
    assert unsafe_translation_problems(f"Select {icon}.", f"Selecteer {icon}.") == []
    assert unsafe_translation_problems("A", "![x](data:image/png;base64,iVBORw0KGgo=)") == []
    assert unsafe_translation_problems("A", "[x](data:image/png;base64,iVBORw0KGgo=)")
    assert unsafe_translation_problems("A", '<img src="data:text/html;base64,PHNjcmlwdD4=">')


def test_substitution_dropped_or_renamed_is_an_error() -> None:
    assert codes("Welcome to {{ product }}", "Welkom bij Contoso") == ["qa.substitution"]
    assert codes("Welcome to {{ product }}", "Welkom bij {{ produkt }}") == ["qa.substitution"]
    assert codes("Welcome to {{ product }}", "Welkom bij {{product}}") == []


def test_long_unchanged_translation_is_a_warning_short_or_code_is_not() -> None:
    long = "Select the subscription you want to change"
    assert codes(long, long) == ["qa.unchanged"]
    assert codes("Contoso", "Contoso") == []
    assert codes("`cc export --all --format json`", "`cc export --all --format json`") == []


@pytest.mark.parametrize(("msgid", "msgstr"), [("Hello\n", "Hallo"), ("Hello", "Hallo\n"),
                                               ("\nHello", "Hallo"), ("Hello", "\nHallo")])
def test_leading_and_trailing_newlines_follow_msgfmt_c(msgid: str, msgstr: str) -> None:
    assert codes(msgid, msgstr) == ["qa.newline"]


def write_po(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "page.po"
    path.write_text(po_text([body]), encoding="utf-8")
    return path


def test_finding_points_at_the_place_in_the_msgstr(tmp_path: Path) -> None:
    path = write_po(tmp_path, 'msgid "Hello there"\nmsgstr ""\n"Hallo daar, "\n'
                              '"<script>alert(1)</script>"\n')
    findings = check_catalog_file(path, "page.po")
    (finding,) = [f for f in findings if f.code.code == "qa.unsafe-html"]
    lines = path.read_text(encoding="utf-8").split("\n")
    assert finding.code.code == "qa.unsafe-html"
    assert lines[finding.line - 1][finding.column - 1:].startswith("<script>")
    assert finding.format().startswith(f"page.po:{finding.line}:{finding.column}: error "
                                       "qa.unsafe-html:")


def test_fuzzy_entries_are_skipped_unless_asked(tmp_path: Path) -> None:
    path = write_po(tmp_path, '#, fuzzy\nmsgid "See [a](a.md)"\nmsgstr "Zie a"\n')
    assert check_catalog_file(path) == []
    assert [f.code.code for f in check_catalog_file(path, include_fuzzy=True)] == \
        ["qa.link-count"]


def test_unparsable_catalog_is_reported(tmp_path: Path) -> None:
    path = write_po(tmp_path, 'msgid "A"\nmsgstr "unterminated\n')
    assert [f.code.code for f in check_catalog_file(path)] == ["po.syntax"]


def test_cli_json_and_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_po(tmp_path, 'msgid "Run `cc`"\nmsgstr "Voer `dd` uit"\n')
    assert main(["check-po", "--format", "json", str(path)]) == 1
    (record,) = json.loads(capsys.readouterr().out)
    assert record["code"] == "qa.inline-code" and record["severity"] == "error"
    assert record["line"] == path.read_text(encoding="utf-8").split("\n").index(
        'msgstr "Voer `dd` uit"') + 1


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    long = "Select the subscription you want to change"
    path = write_po(tmp_path, f'msgid "{long}"\nmsgstr "{long}"\n')
    assert main(["check-po", str(path)]) == 0
    assert main(["check-po", "--strict", str(path)]) == 1


def test_sample_catalogs_pass() -> None:
    files = sorted((REPO / "locales").rglob("*.po"))
    assert files, "the sample catalogs are missing"
    findings = [f for path in files for f in check_catalog_file(path)]
    assert [f.format() for f in findings] == []
