"""Fidelity of an sxs import: does the built translated site say what the sxs files say?

Two HTML builds with the same Sphinx setup are compared block by block:

* the reference: the translated side of every sxs file, built as an ordinary site;
* the candidate: the imported source articles built in the target language with the
  imported catalogs, which is what readers of the helpsite site will get.

A block is a paragraph, heading, list item, table cell, definition or code block. Texts
are compared after whitespace normalisation; the share of reference blocks reproduced
exactly is the fidelity, and every block that differs is listed with a reason.

    python -m bench.fidelity [SXS_DIR] --locale nl-NL [--limit N] [--out OUT] [--work DIR]

``make bench-import`` runs it (``SXS_DIR`` defaults to the locale's folder of the shared
sxs corpus). Exit status: 0 at or above ``--min-share``, 1 below it, 2 bad usage.
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from helpsite.catalogs.pofile import POParseError, read_catalog
from helpsite.catalogs.qa import unsafe_problems
from helpsite.commands.import_ import RichProgress, locale_tag, print_report
from helpsite.findings import Code
from helpsite.importers.extract import ROOT_DOC, sphinx_extensions
from helpsite.importers.inputs import ARTICLE_SUFFIX, INCLUDES_DIR, MEDIA_DIR, read_sxs_folder
from helpsite.importers.pipeline import LOCALES_DIR, SOURCE_DIR, ImportReport, run_import
from helpsite.importers.sxs import split_sxs
from helpsite.locales import sphinx_language
from rich.console import Console
from sphinx.application import Sphinx

from bench import goals
from bench.data import SXS_CORPUS, corpus_dir

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "pre",
              "caption", "figcaption", "blockquote"}
CONTAINER_TAGS = BLOCK_TAGS | {"ul", "ol", "dl", "table", "div", "section", "tr", "tbody",
                               "thead", "figure"}
# What the build adds around an article (helpsite.sphinx: date line, machine-translation
# and fallback notes) is page chrome, not the article's text.
CHROME_SELECTOR = ".helpsite-note, .helpsite-date, .headerlink"
ProgressFn = Any  # a helpsite.importers.pipeline.ProgressSink


@dataclass
class BlockDifference:
    docname: str
    index: int
    reference: str
    built: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class FidelityReport:
    locale: str
    articles: int = 0
    blocks: int = 0
    identical: int = 0
    differences: list[BlockDifference] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.identical / self.blocks if self.blocks else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"locale": self.locale, "articles": self.articles, "blocks": self.blocks,
                "identical": self.identical, "share": round(self.share, 6),
                "differences": [d.to_dict() for d in self.differences]}


def _own_text(element: Tag) -> str:
    """The text of a block without the text of blocks nested in it."""
    parts: list[str] = []
    for child in element.children:
        if isinstance(child, NavigableString):
            parts.append(str(child))
        elif isinstance(child, Tag):
            if child.name in CONTAINER_TAGS:
                continue
            if child.name == "br":
                parts.append(" ")
            elif "headerlink" not in (child.get("class") or []):
                parts.append(_own_text(child))
    return "".join(parts)


def page_blocks(html: str) -> list[str]:
    """The block texts of a built page's main content, whitespace-normalised, in order."""
    soup = BeautifulSoup(html, "lxml")
    main = soup.select_one('[role="main"]') or soup.select_one("div.body") or soup.body
    if main is None:
        return []
    for chrome in main.select(CHROME_SELECTOR):
        chrome.decompose()
    blocks = []
    for element in main.find_all(BLOCK_TAGS):
        text = " ".join(_own_text(element).split())
        if text:
            blocks.append(text)
    return blocks


def _conf(extra: dict[str, Any]) -> dict[str, Any]:
    conf = {"extensions": sphinx_extensions(), "root_doc": ROOT_DOC,
            "gettext_compact": False, "html_copy_source": False, "html_show_sourcelink": False,
            "exclude_patterns": ["_build"], **extra}
    if conf["extensions"] == ["myst_parser"]:
        conf["html_theme"] = "basic"  # plain Sphinx: the lightest theme (helpsite's is Furo)
    return conf


def build_html(srcdir: Path, outdir: Path, overrides: dict[str, Any],
               progress: ProgressFn = None) -> None:
    """One HTML build with helpsite's Sphinx setup (quiet; warnings are not findings here)."""
    (srcdir / f"{ROOT_DOC}.md").write_text("# Fidelity\n", encoding="utf-8")
    app = Sphinx(str(srcdir), None, str(outdir), str(outdir / ".doctrees"), "html",
                 confoverrides=_conf(overrides), status=None, warning=io.StringIO(),
                 freshenv=True)
    if progress is not None:
        app.connect("doctree-read", lambda _app, _tree: progress.advance())
        app.connect("doctree-resolved", lambda _app, _tree, _doc: progress.advance())
    app.build(force_all=True)


def write_reference_tree(sxs_dir: Path, target: Path, docnames: list[str]) -> None:
    """The translated side of each sxs article, as a plain Markdown tree (with media)."""
    for docname in docnames:
        text = (sxs_dir / f"{docname}{ARTICLE_SUFFIX}").read_text(encoding="utf-8-sig")
        path = target / f"{docname}{ARTICLE_SUFFIX}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(split_sxs(text.replace("\r\n", "\n"), str(path)).translated,
                        encoding="utf-8")
    if (sxs_dir / MEDIA_DIR).is_dir():
        shutil.copytree(sxs_dir / MEDIA_DIR, target / MEDIA_DIR, dirs_exist_ok=True)


def sxs_docnames(sxs_dir: Path) -> list[str]:
    names = []
    for path in sorted(sxs_dir.rglob(f"*{ARTICLE_SUFFIX}")):
        relative = path.relative_to(sxs_dir)
        if relative.parts[0] in (INCLUDES_DIR, MEDIA_DIR) or relative.parts[0].startswith("."):
            continue
        names.append(relative.with_suffix("").as_posix())
    return names


def candidate_overrides(out: Path, locale: str, work: Path) -> dict[str, Any]:
    """Build settings for the target locale, reading the catalogs imported into ``out``."""
    if sphinx_extensions() == ["helpsite.sphinx"]:
        return {"language": sphinx_language(locale), "helpsite_locales": [locale],
                "helpsite_locale_dir": str((out / LOCALES_DIR).resolve()),
                "helpsite_show_date": False}
    # Plain Sphinx compiles .mo files beside the .po files, and Babel reads only nl_NL as
    # a language: build from a copy in <dir>/nl_NL/LC_MESSAGES (as helpsite.sphinx does).
    language = sphinx_language(locale)
    copy = work / "locales"
    if (out / LOCALES_DIR / locale).is_dir():
        shutil.copytree(out / LOCALES_DIR / locale, copy / language, dirs_exist_ok=True)
    return {"language": language, "locale_dirs": [str(copy.resolve())]}


def _reasons(report: ImportReport | None, sxs_dir: Path) -> dict[str, str]:
    """Per article, what the import said about it (the likely reason of a difference)."""
    if report is None:
        return {}
    catalogs = report.out / LOCALES_DIR / report.locale / "LC_MESSAGES"
    reasons: dict[str, list[str]] = {}
    for finding in report.findings:
        if not finding.code.code.startswith("import.") or finding.code is Code.IMPORT_INCLUDE:
            continue
        path = Path(finding.path)
        docname = finding.path
        for root in (sxs_dir, catalogs):
            if path.is_relative_to(root):
                docname = path.relative_to(root).with_suffix("").as_posix()
        reasons.setdefault(docname, []).append(f"{finding.code.code}: {finding.message}")
    return {name: "; ".join(texts) for name, texts in reasons.items()}


def _refusals(out: Path, locale: str, docname: str) -> str:
    """Translations the build leaves out as unsafe (helpsite.catalogs.qa), if any."""
    path = out / LOCALES_DIR / locale / "LC_MESSAGES" / f"{docname}.po"
    try:
        catalog = read_catalog(path)
    except POParseError as error:
        return "; ".join(f.format() for f in error.findings)
    problems = [f"{problem.code.code}: {problem.message}" for entry in catalog.active
                if entry.msgstr for problem in unsafe_problems(entry.msgid, entry.msgstr)]
    if not problems:
        return ""
    return ("the build leaves out a translation it finds unsafe (the page shows the source "
            f"text): {'; '.join(sorted(set(problems)))}")


def compare_pages(
    docname: str, reference: list[str], built: list[str], reason: str, report: FidelityReport
) -> None:
    report.articles += 1
    report.blocks += len(reference)
    matcher = difflib.SequenceMatcher(a=reference, b=built, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            report.identical += i2 - i1
            continue
        for offset in range(max(i2 - i1, j2 - j1)):
            ref = reference[i1 + offset] if i1 + offset < i2 else ""
            got = built[j1 + offset] if j1 + offset < j2 else ""
            if not ref:
                reason_here = "block only in the built page"
            else:
                reason_here = reason or "the built text differs (translation not applied "\
                    "or rendered differently)"
            report.differences.append(BlockDifference(docname, i1 + offset, ref, got,
                                                      reason_here))


def measure(
    sxs_dir: Path, out: Path, locale: str, work: Path, docnames: list[str],
    import_report: ImportReport | None = None, progress: ProgressFn = None,
) -> FidelityReport:
    """Build reference and candidate sites under ``work`` and compare them."""
    reference_src, site_src = work / "reference-src", work / "site-src"
    write_reference_tree(sxs_dir, reference_src, docnames)
    shutil.copytree(out / SOURCE_DIR, site_src, dirs_exist_ok=True)
    if progress is not None:
        progress.phase("building the reference (sxs translated side)", 2 * len(docnames) + 2)
    # Same language for both builds, so the page chrome (dates, labels) is the same; the
    # reference just has no catalogs.
    empty = work / "no-catalogs"
    (empty / LOCALES_DIR / locale).mkdir(parents=True, exist_ok=True)
    build_html(reference_src, work / "reference-html",
               candidate_overrides(empty, locale, work / "reference-locales"), progress)
    if progress is not None:
        progress.phase(f"building the {locale} site from the import", 4 * len(docnames) + 2)
    build_html(site_src, work / "site-html", candidate_overrides(out, locale, work), progress)
    reasons = _reasons(import_report, sxs_dir)
    report = FidelityReport(locale)
    for docname in docnames:
        ref_page = work / "reference-html" / f"{docname}.html"
        got_page = work / "site-html" / f"{docname}.html"
        reference = page_blocks(ref_page.read_text(encoding="utf-8")) if ref_page.exists() else []
        built = page_blocks(got_page.read_text(encoding="utf-8")) if got_page.exists() else []
        reason = reasons.get(docname, "") or _refusals(out, locale, docname)
        if not got_page.exists():
            reason = reason or "article not in the imported site"
        compare_pages(docname, reference, built, reason, report)
    return report


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fidelity",
        description="Import a folder of sxs files into OUT, build the translated site from "
                    "OUT and the translated side of the sxs files as a reference, and compare "
                    "their blocks (paragraphs, headings, list items, cells) after whitespace "
                    "normalisation. Lists every differing block with its reason. Exit 1 when "
                    "the share is below --min-share.")
    parser.add_argument("folder", type=Path, nargs="?", default=None,
                        help="folder of sxs .md files (default: the locale's folder of "
                             "../shared/corpus/alchemy-sxs, or under $HELPSITE_SHARED)")
    parser.add_argument("--locale", required=True, type=locale_tag, help="nl-NL, de-DE, ...")
    parser.add_argument("--out", type=Path, default=None,
                        help="project folder to import into (default: a temporary one)")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for the two builds (default: a temporary one)")
    parser.add_argument("--limit", type=int, default=0,
                        help="only the first N articles (sorted by path); 0 = all")
    parser.add_argument("--min-share", type=float, default=goals.FIDELITY_MIN_SHARE,
                        help="lowest acceptable share of identical blocks "
                             f"(default {goals.FIDELITY_MIN_SHARE})")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    args.folder = args.folder or corpus_dir(SXS_CORPUS) / args.locale
    return args


def copy_subset(folder: Path, docnames: list[str], target: Path) -> None:
    """The sxs files of ``docnames`` and the media folder, for a ``--limit`` run."""
    for docname in docnames:
        path = target / f"{docname}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / f"{docname}.md", path)
    if (folder / MEDIA_DIR).is_dir():
        shutil.copytree(folder / MEDIA_DIR, target / MEDIA_DIR, dirs_exist_ok=True)


def import_and_measure(args: argparse.Namespace, scratch: Path,
                       console: Console) -> FidelityReport | None:
    """Import the sxs folder (or its first ``--limit`` articles) and measure the result;
    None when the import stopped (its report is printed)."""
    out, work = args.out or scratch / "out", args.work or scratch / "work"
    docnames, folder = sxs_docnames(args.folder), args.folder
    if args.limit:
        docnames, folder = docnames[: args.limit], scratch / "sxs"
        copy_subset(args.folder, docnames, folder)
    with RichProgress(console) as progress:
        imported = run_import(read_sxs_folder(folder), locale=args.locale, out=out,
                              skip_invalid=True, progress=progress)
        if imported.stopped:
            print_report(imported, "text")
            return None
        return measure(folder, out, args.locale, work, docnames, imported, progress)


def print_result(result: FidelityReport, output_format: str, console: Console) -> None:
    if output_format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    for diff in result.differences:
        print(f"{diff.docname} block {diff.index + 1}: {diff.reason}\n"
              f"    sxs:   {diff.reference}\n    built: {diff.built}")
    console.print(f"{result.locale}: {result.identical:,} of {result.blocks:,} blocks "
                  f"identical ({result.share:.2%}) in {result.articles:,} articles; "
                  f"{len(result.differences)} differ")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.folder.is_dir():
        print(f"bench-import: no such folder: {args.folder}", file=sys.stderr)
        return 2
    console = Console(stderr=True)
    with tempfile.TemporaryDirectory(prefix="helpsite-fidelity-") as scratch:
        result = import_and_measure(args, Path(scratch), console)
    if result is None:
        return 1
    print_result(result, args.format, console)
    return 0 if result.share >= args.min_share else 1


if __name__ == "__main__":
    sys.exit(main())
