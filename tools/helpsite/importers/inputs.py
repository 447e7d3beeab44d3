"""Reading what is imported: a folder of sxs files, or a source and a localized tree.

Both readers give the same thing: for each article its source text, its translated text
and where each came from, plus the images to copy and the findings about the input.
Nothing is written here; a reader only reads files inside the folders it was given.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from helpsite.article import decode_article, parse_article
from helpsite.findings import Code, Finding, Severity
from helpsite.importers.sxs import source_article, split_sxs

MEDIA_DIR = "media"
INCLUDES_DIR = "includes"
ARTICLE_SUFFIX = ".md"


@dataclass
class ArticleInput:
    """One article to import: the source as this input has it, and its translation."""

    docname: str
    source_text: str
    source_path: str  # where source line numbers point (a file the user can open)
    translated_text: str | None
    translated_path: str


@dataclass
class MediaFile:
    relpath: str  # under media/, with '/' separators
    data: bytes


@dataclass
class ImportInput:
    articles: list[ArticleInput] = field(default_factory=list)
    media: list[MediaFile] = field(default_factory=list)  # the source's images
    locale_media: list[MediaFile] = field(default_factory=list)  # the translation's images
    # sxs folders have only the translation's images: they stand in for the source's.
    locale_media_is_source: bool = False
    findings: list[Finding] = field(default_factory=list)
    invalid: set[str] = field(default_factory=set)  # docnames that cannot be imported
    ignored: list[str] = field(default_factory=list)  # DocFX files (docfx.json, TOC.yml, ...)


def docname_of(relpath: Path) -> str:
    return relpath.with_suffix("").as_posix()


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` (sorted, no hidden ones, no symlinks leaving the tree)."""
    root = folder.resolve()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if root not in path.resolve().parents:
            continue  # a link out of the tree: never read files outside it
        yield path


def _read_text(path: Path, shown: str) -> tuple[str | None, list[Finding]]:
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Finding.of(Code.FILE_UNREADABLE, shown, 1, 1,
                                 f"cannot read the file: {error.strerror}")]
    return decode_article(data, shown)


def _classify(folder: Path, result: ImportInput) -> list[Path]:
    """Articles of ``folder``; media collected, includes and DocFX files reported."""
    articles = []
    for path in _walk(folder):
        relative = path.relative_to(folder)
        first = relative.parts[0]
        if first == MEDIA_DIR:
            result.media.append(MediaFile(relative.relative_to(MEDIA_DIR).as_posix(),
                                          path.read_bytes()))
        elif first == INCLUDES_DIR:
            if path.suffix == ARTICLE_SUFFIX:
                result.findings.append(Finding.of(
                    Code.IMPORT_INCLUDE, str(path), 1, 1,
                    "includes are not imported: no article in a helpsite project can use a "
                    "DocFX [!INCLUDE]; paste the text where it is used",
                ))
        elif path.suffix == ARTICLE_SUFFIX:
            articles.append(path)
        else:
            result.ignored.append(relative.as_posix())
    return articles


def read_sxs_folder(folder: Path) -> ImportInput:
    """Every article of an sxs folder split into source and translation."""
    result = ImportInput(locale_media_is_source=True)
    articles = _classify(folder, result)
    result.locale_media, result.media = result.media, []
    for path in articles:
        shown = str(path)
        docname = docname_of(path.relative_to(folder))
        text, findings = _read_text(path, shown)
        if text is None:
            result.findings.extend(findings)
            result.invalid.add(docname)
            continue
        split = split_sxs(text, shown)
        source, problems = source_article(split.source, shown)
        problems = split.findings + problems
        result.findings.extend(problems)
        if source is None or any(f.severity is Severity.ERROR for f in problems):
            result.invalid.add(docname)
            continue
        result.articles.append(ArticleInput(docname, source, shown, split.translated, shown))
    return result


def _front_matter_errors(text: str, shown: str) -> list[Finding]:
    article = parse_article(text, Path(shown), shown)
    return [f for f in article.findings if f.severity is Severity.ERROR]


def read_markdown_trees(source_dir: Path, translated_dir: Path) -> ImportInput:
    """Source articles paired with the translated articles of the same path."""
    result = ImportInput()
    translated_media = ImportInput()
    sources = {docname_of(p.relative_to(source_dir)): p for p in _classify(source_dir, result)}
    translations = {
        docname_of(p.relative_to(translated_dir)): p
        for p in _classify(translated_dir, translated_media)
    }
    result.findings.extend(translated_media.findings)
    for docname in sorted(set(translations) - set(sources)):
        result.findings.append(Finding.of(
            Code.IMPORT_NO_SOURCE, str(translations[docname]), 1, 1,
            f"no source article {docname}{ARTICLE_SUFFIX} in {source_dir}; not imported",
        ))
    for docname, path in sorted(sources.items()):
        text, findings = _read_text(path, str(path))
        findings += _front_matter_errors(text, str(path)) if text is not None else []
        translated_text = None
        translated_shown = ""
        if docname in translations:
            translated_shown = str(translations[docname])
            translated_text, more = _read_text(translations[docname], translated_shown)
            findings += more
            if translated_text is not None:
                findings += _front_matter_errors(translated_text, translated_shown)
        else:
            findings.append(Finding.of(
                Code.IMPORT_NO_TRANSLATION, str(path), 1, 1,
                f"no translated article {docname}{ARTICLE_SUFFIX} in {translated_dir}; "
                "its catalog is left untranslated",
            ))
        result.findings.extend(findings)
        if text is None or any(f.severity is Severity.ERROR for f in findings):
            result.invalid.add(docname)
            continue
        result.articles.append(
            ArticleInput(docname, text, str(path), translated_text, translated_shown))
    result.locale_media = translated_media.media
    return result
