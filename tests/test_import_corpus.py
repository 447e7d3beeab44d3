"""The import on real side-by-side files from the shared corpus (a handful of articles)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from helpsite.importers.inputs import read_markdown_trees, read_sxs_folder
from helpsite.importers.pipeline import ImportReport, run_import
from helpsite.importers.sxs import split_sxs

from bench import fidelity

pytestmark = pytest.mark.corpus

ARTICLES = [
    "commercial-dialogues/aad-security-and-identity",  # bulleted list, bold and links
    "get-a-copy-of-your-bill-azure",  # numbered lists, hard line breaks
    "Alchemy-Insight-Template",  # nested list, a DocFX note, code
    "error-code-0x15",  # a table, front-matter description
    "workflow-email-not-being-sent",  # a <span> inside a sentence
    "azure-subscription-payment-change",  # the translation made run-in steps a list
]
_PAIR = re.compile(
    r'<span data-ttu-id="(?P<id>[^"]+)">(?P<t>.*?)</span><span class="sxs-lookup">'
    r'<span data-stu-id="(?P=id)">(?P<s>.*?)</span></span>', re.DOTALL)


def copy_articles(corpus: Path, locale: str, names: list[str], target: Path) -> Path:
    folder = corpus / "alchemy-sxs" / locale
    for name in names:
        path = target / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / f"{name}.md", path)
    shutil.copytree(folder / "media", target / "media")
    return target


def normal(text: str) -> str:
    return " ".join(text.split())


def substitute(msgid: str, pairs: list[tuple[str, str]]) -> str:
    """``msgid`` with its English sentences replaced by their Dutch pairs (longest first,
    never overlapping, so a short sentence is not found inside a longer one)."""
    text = normal(msgid)
    claimed: list[tuple[int, int, str]] = []
    for source, translated in sorted(pairs, key=lambda p: -len(normal(p[0]))):
        needle, start = normal(source), 0
        while needle and (found := text.find(needle, start)) >= 0:
            end = found + len(needle)
            if all(end <= a or found >= b for a, b, _t in claimed):
                claimed.append((found, end, normal(translated)))
                break
            start = found + 1
    parts, cursor = [], 0
    for begin, end, translated in sorted(claimed):
        parts += [text[cursor:begin], translated]
        cursor = end
    return normal("".join(parts) + text[cursor:])


def catalogs(out: Path, locale: str) -> dict[str, polib.POFile]:
    folder = out / "locales" / locale / "LC_MESSAGES"
    return {p.relative_to(folder).with_suffix("").as_posix(): polib.pofile(str(p))
            for p in sorted(folder.rglob("*.po"))}


def docs_with(report: ImportReport, prefix: str) -> set[str]:
    return {Path(f.path).stem for f in report.findings if f.code.code.startswith(prefix)}


@pytest.fixture(scope="module")
def nl_import(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path,
                                                                                ImportReport]:
    base = tmp_path_factory.mktemp("nl")
    sxs = copy_articles(corpus, "nl-NL", ARTICLES, base / "sxs")
    report = run_import(read_sxs_folder(sxs), locale="nl-NL", out=base / "out")
    return sxs, base / "out", report


def test_every_message_has_the_dutch_of_its_span_pairs(
    nl_import: tuple[Path, Path, ImportReport],
) -> None:
    """Independent oracle: a msgid with each English sentence replaced by its Dutch pair."""
    sxs, out, report = nl_import
    assert not report.stopped and report.totals["articles"] == len(ARTICLES)
    mismatched = docs_with(report, "import.structure") | docs_with(report, "import.block")
    checked = 0
    for docname, po in catalogs(out, "nl-NL").items():
        pairs = [(m["s"], m["t"]) for m in _PAIR.finditer(
            (sxs / f"{docname}.md").read_text(encoding="utf-8"))]
        for entry in po:
            if not entry.msgstr:
                assert Path(docname).name in mismatched, (docname, entry.msgid)
                continue
            assert normal(entry.msgstr) == substitute(entry.msgid, pairs), (docname, entry.msgid)
            checked += 1
    assert checked > 60


def test_per_translation_fields_are_in_the_header(
    nl_import: tuple[Path, Path, ImportReport],
) -> None:
    sxs, out, _report = nl_import
    po = catalogs(out, "nl-NL")["error-code-0x15"]
    sxs_text = (sxs / "error-code-0x15.md").read_text(encoding="utf-8")
    for key in ("ms.translationtype", "ms.contentlocale", "ms.lasthandoff",
                "ms.openlocfilehash", "ms.sourcegitcommit"):
        value = re.search(rf"^{re.escape(key)}: (.*)$", sxs_text, re.MULTILINE)[1]  # type: ignore[index]
        assert po.metadata[f"X-Meta-{key}"] == value.strip('"')
    assert po.metadata["X-Meta-ms.contentlocale"] == "nl-NL"
    assert po.metadata["X-Meta-description"].startswith("Als u een foutbericht")
    source = (out / "source" / "error-code-0x15.md").read_text(encoding="utf-8")
    assert "ms.contentlocale" not in source and "description:" not in source
    assert source.count('<a name="') >= 1  # the H1 keeps its DocFX anchor


def test_structure_changed_by_the_translation_is_reported(
    nl_import: tuple[Path, Path, ImportReport],
) -> None:
    _sxs, out, report = nl_import
    found = [f for f in report.findings if f.path.endswith("azure-subscription-payment-change.md")
             and f.code.code.startswith(("import.structure", "import.block"))]
    assert found
    for finding in found:
        assert re.search(r"source \S+:\d+", finding.message)
        assert re.search(r"translation line \d+", finding.message)
    po = catalogs(out, "nl-NL")["azure-subscription-payment-change"]
    untranslated = [e.msgid for e in po if not e.msgstr]
    assert any(msgid.startswith("1.Sign in") for msgid in untranslated)


def test_markdown_import_of_the_two_sides_gives_the_same_catalogs(
    nl_import: tuple[Path, Path, ImportReport], tmp_path: Path,
) -> None:
    sxs, out, _report = nl_import
    translated = tmp_path / "nl"
    for docname in ARTICLES:
        text = (sxs / f"{docname}.md").read_text(encoding="utf-8")
        path = translated / f"{docname}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(split_sxs(text, str(path)).translated, encoding="utf-8")
    again = run_import(read_markdown_trees(out / "source", translated), locale="nl-NL",
                       out=tmp_path / "out")
    assert not again.stopped
    sxs_catalogs = out / "locales" / "nl-NL" / "LC_MESSAGES"
    md_catalogs = tmp_path / "out" / "locales" / "nl-NL" / "LC_MESSAGES"
    names = sorted(p.relative_to(sxs_catalogs) for p in sxs_catalogs.rglob("*.po"))
    assert names == sorted(p.relative_to(md_catalogs) for p in md_catalogs.rglob("*.po"))
    for name in names:
        assert (md_catalogs / name).read_bytes() == (sxs_catalogs / name).read_bytes(), name


def test_second_locale_with_another_source_version(
    corpus: Path, tmp_path: Path,
) -> None:
    name = "were-here-to-help"  # de-DE's sxs has a newer English text of this article
    out = tmp_path / "out"
    nl = copy_articles(corpus, "nl-NL", [name], tmp_path / "nl")
    run_import(read_sxs_folder(nl), locale="nl-NL", out=out)
    kept = (out / "source" / f"{name}.md").read_bytes()
    de = copy_articles(corpus, "de-DE", [name], tmp_path / "de")
    report = run_import(read_sxs_folder(de), locale="de-DE", out=out)
    assert [f.code.code for f in report.findings].count("import.source-differs") == 1
    assert (out / "source" / f"{name}.md").read_bytes() == kept
    de_english = normal(split_sxs((de / f"{name}.md").read_text(encoding="utf-8"), "x").source)
    po = catalogs(out, "de-DE")[name]
    translated = [e for e in po if e.msgstr and not e.fuzzy]
    assert translated and len(translated) < len(po)
    for entry in translated:  # only sentences whose English is the same in both versions
        assert normal(entry.msgid) in de_english
    for entry in po.fuzzy_entries():  # a changed sentence: a suggestion, its English kept
        assert entry.previous_msgid and normal(entry.previous_msgid) in de_english


@pytest.mark.slow
def test_fidelity_of_a_handful_of_articles(
    nl_import: tuple[Path, Path, ImportReport], tmp_path: Path,
) -> None:
    sxs, out, report = nl_import
    result = fidelity.measure(sxs, out, "nl-NL", tmp_path / "work", ARTICLES, report)
    assert result.articles == len(ARTICLES) and result.blocks > 50
    for difference in result.differences:  # only where the import said why
        assert difference.docname == "azure-subscription-payment-change", difference
        assert difference.reason.startswith("import.")
    assert result.share > 0.9
