"""The generated reference pages are committed up to date, and say what the code does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpsite.commands import main
from helpsite.docgen import PAGES, finding_codes, metadata_reference, stale_pages, write_pages
from helpsite.findings import Code
from helpsite.metadata import known_keys

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_committed_generated_pages_are_up_to_date() -> None:
    assert stale_pages(DOCS) == [], "run 'make docs' and commit docs/"


def test_every_code_is_documented_once() -> None:
    page = finding_codes()
    for code in Code:
        assert page.count(f"| `{code.code}` |") == 1, code.code


def test_every_schema_key_is_documented() -> None:
    page = metadata_reference()
    rows = re.findall(r"^\| `([^`]+)` \|", page, flags=re.MULTILINE)
    assert set(rows) == set(known_keys())
    assert "- **Article**: `title`, `author`, `ms.author`, `ms.topic`." in page


def test_docs_command_writes_and_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["docs", "--docs", str(tmp_path), "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert main(["docs", "--docs", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(PAGES)
    assert main(["docs", "--docs", str(tmp_path), "--check"]) == 0
    assert write_pages(tmp_path) == []  # nothing changed, nothing written


def test_validating_guide_names_only_real_codes() -> None:
    guide = (DOCS / "validating.md").read_text(encoding="utf-8")
    groups = {code.group for code in Code}
    named = {name for name in re.findall(r"`([a-z]+\.[a-z-]+)`", guide)
             if name.split(".")[0] in groups}
    assert named <= {code.code for code in Code}
    assert {"step.run-in", "link.case-mismatch", "meta.misspelled-key"} <= named
