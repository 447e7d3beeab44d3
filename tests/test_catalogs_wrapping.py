"""Wrapping matches GNU gettext (msgmerge/msgcat, which Poedit uses) so diffs stay small."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpsite.catalogs.pofile import Catalog, Entry, parse_catalog
from helpsite.catalogs.wrapping import wrap_string
from helpsite.catalogs.writer import render_catalog

needs_msgcat = pytest.mark.skipif(shutil.which("msgcat") is None,
                                  reason="GNU gettext (msgcat) not installed")

SAMPLES = [
    "aaaa " * 20,
    "word-" * 20,
    "See [the settings page](../billing/change-payment-method.md#update-card) for more "
    "details about things",
    'Open **Settings** > **Billing** and `select the (payment) method` then click "Save" now',
    "これは日本語のテキストです。" * 4,
    "number 123-456-789-123-456-789 and more words here to get to the limit of the line",
    "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q",
    "first line\nsecond line that is long enough to need wrapping on its own at the page width\n",
    "https://contoso.example/very/long/path/without/any/space/at/all/for/wrapping/purposes/x",
    "مرحبا بك في مركز مساعدة Contoso Cloud. " * 3,
]


def test_short_string_stays_on_one_line() -> None:
    assert wrap_string("msgstr", "Hallo") == ['msgstr "Hallo"']


def test_long_string_starts_with_empty_line_and_fits_79_columns() -> None:
    lines = wrap_string("msgid", "word " * 40)
    assert lines[0] == 'msgid ""'
    assert all(len(line) <= 79 for line in lines)
    assert "".join(line.strip('"') for line in lines[1:]) == "word " * 40


def test_no_wrap_breaks_only_after_newlines() -> None:
    lines = wrap_string("msgid", "x " * 100 + "\nnext", width=None)
    assert lines == ['msgid ""', f'"{"x " * 100}\\n"', '"next"']


def test_wide_characters_count_two_columns() -> None:
    lines = wrap_string("msgstr", "日本語" * 30)
    assert all(sum(2 if ord(c) > 0x2E80 else 1 for c in line) <= 79 for line in lines)


def _catalog(messages: list[str]) -> Catalog:
    catalog = Catalog(header=[("Content-Type", "text/plain; charset=UTF-8")])
    for index, text in enumerate(messages):
        catalog.entries.append(Entry(msgid=f"m{index}", msgstr=text))
    return catalog


def _msgcat(text: str, tmp_path: Path, *options: str) -> str:
    path = tmp_path / "in.po"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(["msgcat", *options, str(path)], capture_output=True, text=True,
                          check=True)
    return done.stdout


@needs_msgcat
@pytest.mark.parametrize("width", [79, 60])
def test_samples_wrap_exactly_as_msgcat(tmp_path: Path, width: int) -> None:
    catalog = _catalog(SAMPLES)
    gnu = _msgcat(render_catalog(catalog, width=None), tmp_path, f"--width={width}")
    assert render_catalog(parse_catalog(gnu, "gnu.po"), width=width) == gnu


@needs_msgcat
def test_no_wrap_matches_msgcat_no_wrap(tmp_path: Path) -> None:
    catalog = _catalog(SAMPLES)
    gnu = _msgcat(render_catalog(catalog), tmp_path, "--no-wrap")
    assert render_catalog(parse_catalog(gnu, "gnu.po"), width=None) == gnu


SXS_PAIR = re.compile(r'<span data-ttu-id="([^"]+)">(.*?)</span><span class="sxs-lookup">'
                      r'<span data-stu-id="\1">(.*?)</span></span>', re.S)


@pytest.mark.corpus
@needs_msgcat
def test_real_sentences_wrap_exactly_as_msgcat(corpus: Path, tmp_path: Path) -> None:
    """Thousands of real Dutch/English sentence pairs: byte-identical to msgcat's output."""
    catalog = Catalog(header=[("Content-Type", "text/plain; charset=UTF-8")])
    seen: set[str] = set()
    files = sorted((corpus / "alchemy-sxs" / "nl-NL").glob("*.md"))[:400]
    for path in files:
        for match in SXS_PAIR.finditer(path.read_text(encoding="utf-8")):
            if match.group(3) not in seen:
                seen.add(match.group(3))
                catalog.entries.append(Entry(msgid=match.group(3), msgstr=match.group(2)))
    assert len(catalog.entries) > 1000
    gnu = _msgcat(render_catalog(catalog, width=None), tmp_path)
    ours = render_catalog(parse_catalog(gnu, "gnu.po"))
    differing = [a for a, b in zip(gnu.split("\n\n"), ours.split("\n\n"), strict=True)
                 if a != b]
    assert differing == []
