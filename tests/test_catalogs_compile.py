"""compile: .mo files readable by gettext, rebuilt only when the PO content changes."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers.catalogs import po_entry, po_text
from helpsite.catalogs.compile import compile_catalogs


def tree(tmp_path: Path, entries: list[str]) -> tuple[Path, Path]:
    locales = tmp_path / "locales"
    po_path = locales / "nl-NL" / "LC_MESSAGES" / "billing" / "page.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(po_text(entries), encoding="utf-8")
    return locales, po_path


def translations(mo_path: Path) -> gettext.GNUTranslations:
    with mo_path.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_mo_is_readable_and_excludes_fuzzy_and_untranslated(tmp_path: Path) -> None:
    locales, po_path = tree(tmp_path, [
        po_entry("Sign in", "Aanmelden"), po_entry("Sign out", "Afmelden", fuzzy=True),
        po_entry("Empty", ""), 'msgctxt "menu"\nmsgid "File"\nmsgstr "Bestand"\n'])
    result = compile_catalogs(locales, base=tmp_path)
    assert result.compiled == ["locales/nl-NL/LC_MESSAGES/billing/page.po"]
    catalog = translations(po_path.with_suffix(".mo"))
    assert catalog.gettext("Sign in") == "Aanmelden"
    assert catalog.gettext("Sign out") == "Sign out"  # fuzzy: source text
    assert catalog.gettext("Empty") == "Empty"
    assert catalog.pgettext("menu", "File") == "Bestand"
    assert catalog.info()["language"] == "nl_NL"


def test_use_fuzzy_includes_fuzzy_translations(tmp_path: Path) -> None:
    locales, po_path = tree(tmp_path, [po_entry("Sign out", "Afmelden", fuzzy=True)])
    compile_catalogs(locales, use_fuzzy=True)
    assert translations(po_path.with_suffix(".mo")).gettext("Sign out") == "Afmelden"


def test_rebuilt_only_when_content_changes_not_mtime(tmp_path: Path) -> None:
    locales, po_path = tree(tmp_path, [po_entry("Sign in", "Aanmelden")])
    compile_catalogs(locales)
    mo_path = po_path.with_suffix(".mo")
    os.utime(mo_path, (1_000_000, 1_000_000))
    os.utime(po_path, None)  # a git checkout: the PO looks newer, its content is the same
    result = compile_catalogs(locales)
    assert result.compiled == [] and len(result.unchanged) == 1
    assert mo_path.stat().st_mtime == 1_000_000
    po_path.write_text(po_text([po_entry("Sign in", "Inloggen")]), encoding="utf-8")
    os.utime(po_path, (1_000, 1_000))  # older mtime, new content: still rebuilt
    assert len(compile_catalogs(locales).compiled) == 1
    assert translations(mo_path).gettext("Sign in") == "Inloggen"


def test_changed_options_or_tampered_mo_rebuild(tmp_path: Path) -> None:
    locales, po_path = tree(tmp_path, [po_entry("Sign in", "Aanmelden")])
    compile_catalogs(locales)
    assert len(compile_catalogs(locales, use_fuzzy=True).compiled) == 1
    po_path.with_suffix(".mo").write_bytes(b"garbage")
    assert len(compile_catalogs(locales, use_fuzzy=True).compiled) == 1
    assert translations(po_path.with_suffix(".mo")).gettext("Sign in") == "Aanmelden"


def test_unsafe_translation_is_left_out_and_reported_every_time(tmp_path: Path) -> None:
    locales, po_path = tree(tmp_path, [po_entry("Hello", "Hallo <script>x()</script>"),
                                       po_entry("Bye", "Dag")])
    first = compile_catalogs(locales)
    catalog = translations(po_path.with_suffix(".mo"))
    assert catalog.gettext("Hello") == "Hello" and catalog.gettext("Bye") == "Dag"
    assert [f.code.code for f in first.findings] == ["qa.unsafe-html"]
    second = compile_catalogs(locales)  # unchanged: not compiled, still reported
    assert second.compiled == [] and second.findings == first.findings


def test_unparsable_po_gets_a_finding_and_no_mo(tmp_path: Path) -> None:
    locales, po_path = tree(tmp_path, [po_entry("A", "B")])
    po_path.write_text(po_path.read_text(encoding="utf-8") + "<<<<<<< HEAD\n", encoding="utf-8")
    result = compile_catalogs(locales)
    assert [f.code.code for f in result.findings] == ["po.conflict-marker"]
    assert not po_path.with_suffix(".mo").exists()


@pytest.mark.skipif(shutil.which("msgunfmt") is None, reason="GNU gettext not installed")
def test_gnu_msgunfmt_reads_our_mo(tmp_path: Path) -> None:
    locales, po_path = tree(tmp_path, [po_entry("Sign in", "Aanmelden"),
                                       po_entry("Ünïcode ✓", "Ünïcode ✓ nl")])
    compile_catalogs(locales)
    done = subprocess.run(["msgunfmt", str(po_path.with_suffix(".mo"))], capture_output=True,
                          text=True, check=True)
    assert 'msgid "Ünïcode ✓"\nmsgstr "Ünïcode ✓ nl"' in done.stdout
