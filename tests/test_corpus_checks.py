"""Corpus checks: a shared help ID or title is one finding naming every file; odd file names."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.site import write_files
from helpsite.checks.corpus import file_name_problems
from helpsite.findings import Finding
from helpsite.validation import validate_paths


def article(title: str, ids: list[str] | None = None) -> str:
    custom = "".join(f'- "{i}"\n' for i in ids or [])
    return (f"---\ntitle: {title}\nauthor: a\nms.author: b\nms.topic: article\n"
            + (f"ms.custom:\n{custom}" if ids else "") + f"---\n# {title}\n")


def write(root: Path, files: dict[str, str]) -> None:
    write_files(root, files, dedent=False)


def corpus_findings(root: Path, group: str = "corpus") -> list[Finding]:
    report = validate_paths([root], root=root)
    return [f for f in report.findings if f.code.group == group]


def test_shared_help_id_is_one_finding_naming_all_files(tmp_path: Path) -> None:
    write(tmp_path, {
        "a.md": article("Alpha", ["7001001", "7001002"]),
        "b/b.md": article("Beta", ["7001001"]),
        "c.md": article("Gamma", ["7001001", "7009999"]),
        "d.md": article("Delta", ["7001002"]),
    })
    found = corpus_findings(tmp_path)
    assert [(f.code.code, f.path, f.line) for f in found] == [
        ("corpus.help-id-shared", str(tmp_path / "a.md"), 6),
        ("corpus.help-id-shared", str(tmp_path / "a.md"), 6),
    ]
    by_id = {f.message.split()[2]: f.message for f in found}
    assert "used by 3 articles" in by_id["7001001"]
    assert "a.md, b/b.md, c.md" in by_id["7001001"]
    assert "used by 2 articles" in by_id["7001002"] and "a.md, d.md" in by_id["7001002"]


def test_tags_in_ms_custom_are_not_help_ids(tmp_path: Path) -> None:
    write(tmp_path, {
        "a.md": article("Alpha", ["commerce_billing", "7001001"]),
        "b.md": article("Beta", ["commerce_billing", "0ba5e44e-f0ae-4978-98a3-90065447af08"]),
        "c.md": article("Gamma", ["0ba5e44e-f0ae-4978-98a3-90065447af08"]),
    })
    assert corpus_findings(tmp_path) == []


def test_one_article_repeating_its_own_id_is_not_shared(tmp_path: Path) -> None:
    write(tmp_path, {"a.md": article("Alpha", ["7001001", "7001001"])})
    assert corpus_findings(tmp_path) == []


def test_normalised_shapes_count_as_help_ids(tmp_path: Path) -> None:
    bare = article("Beta").replace("---\n# Beta", "ms.custom: 7001001\n---\n# Beta")
    write(tmp_path, {"a.md": article("Alpha", ["7001001"]), "b.md": bare})
    found = corpus_findings(tmp_path)
    assert [f.code.code for f in found] == ["corpus.help-id-shared"]


def test_duplicate_titles_ignore_case_and_spacing(tmp_path: Path) -> None:
    write(tmp_path, {
        "a.md": article("Reset your password"),
        "b.md": article("Reset  your Password"),
        "c.md": article("Reset a password"),
    })
    found = corpus_findings(tmp_path)
    assert [(f.code.code, f.line) for f in found] == [("corpus.title-duplicate", 2)]
    assert "used by 2 articles" in found[0].message
    assert "a.md, b.md" in found[0].message


def test_corpus_findings_can_be_suppressed(tmp_path: Path) -> None:
    write(tmp_path, {"a.md": article("Same"), "b.md": article("Same")})
    report = validate_paths([tmp_path], root=tmp_path, suppress=["corpus"])
    assert report.findings == []


# -- file names


@pytest.mark.parametrize("name,fragment", [
    ("cant-access-user data-teams.md", "a space"),
    ("subscription\u2013based.md", "U+2013 en dash"),
    ("restore-group-using-eac\u200b\u200b\u200b.md", "3 x an invisible character (U+200B"),
    ("odd\u00a0space.md", "U+00A0"),
    ("what#now.md", "'#'"),
])
def test_odd_file_names(tmp_path: Path, name: str, fragment: str) -> None:
    write(tmp_path, {name: article("Odd")})
    found = corpus_findings(tmp_path, group="file")
    assert [(f.code.code, f.line, f.severity.value) for f in found] == [
        ("file.name", 1, "warning")
    ]
    assert fragment in found[0].message


@pytest.mark.parametrize("name", [
    "change-payment-method.md", "Change-your-password-in-Outlook.com.md",
    "outlook-won't-accept-your-gmail-pwd.md", "5-1-90-daily-limit.md",
])
def test_ordinary_file_names(name: str) -> None:
    assert file_name_problems([name]) == []


def test_folder_names_count_too() -> None:
    assert file_name_problems(["billing area", "a.md"]) == ["a space"]
