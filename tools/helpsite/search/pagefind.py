"""One locale's built folder indexed with Pagefind into ``<folder>/pagefind/``.

Called at the end of each locale's HTML build (``helpsite_search = "pagefind"``,
:mod:`helpsite.sphinx.search`) and by the search benchmark on any built folder. Only
pages whose HTML carries ``data-pagefind-body`` (the article body of article pages) are
indexed; the 404, search, help-ID, category and status pages do not carry it.

What is done here rather than by Pagefind, because Pagefind alone misses it:

- **Chinese, Japanese, Thai**: Pagefind splits queries with the browser's
  ``Intl.Segmenter`` (ICU), but its extended binary segments pages with jieba/lindera,
  and Thai not at all, so a query's words often are not the page's words. Here the page
  text is split with ICU's word breaker (PyICU) — the same algorithm as the browser's —
  and the words are joined with U+3000 (ideographic space; Pagefind splits at white
  space, and U+200B is not white space to it: a run stayed one word, found only by its
  first word as a prefix; the search page drops U+3000 from the excerpts). Chinese
  and Japanese are indexed under Pagefind's language ``th`` so that it does not segment
  a second time (:func:`index_language`); ``helpsite-search.js`` and Pagefind split the
  query with ``Intl.Segmenter``.
- **Arabic, Hebrew**: diacritics, tatweel and alef forms are normalized in the indexed
  text and in the query (:func:`normalize`, mirrored in ``helpsite-search.js``), so a
  vowelled query finds an unvowelled page; Arabic "و"/"ف" before the article is split
  off (index) or dropped (query): Pagefind's stemmer removes "ال" but not "وال".

Pagefind indexes every article again on every run (about 2 s of CPU for 2,900 articles);
when the prepared articles are the same as last time (their digest is in
``pagefind/helpsite-digest.txt``), it is not run. The output is written to a fresh folder
and swapped in whole: chunk files are named by
their content hash, so indexing into the old folder would leave the previous build's
chunks behind and an incremental build would differ from a fresh one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import itertools
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from helpsite.locales import primary_language

OUTPUT = "pagefind"
# What the index was made from (prepared_articles): an unchanged digest skips Pagefind.
DIGEST = "helpsite-digest.txt"
BODY_MARK = "data-pagefind-body"
SEGMENTED = frozenset({"zh", "ja", "th"})
# The languages Pagefind's extended binary segments itself (jieba, lindera), differently
# from ICU: indexed as "th" so that it does not (index_language).
OWN_SEGMENTER = frozenset({"zh", "ja"})
SEPARATOR = "\u3000"
# Runs of the scripts written without spaces: Thai, Han, kana (Japanese).
UNSPACED_RUNS = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u30fc]+")
_TEXT = re.compile(r">([^<]+)<")
_INDEXED = re.compile(r"Indexed (\d+) pages?")
# Arabic harakat, Quranic marks, superscript alef, tatweel; Hebrew points and cantillation.
MARKS = {"ar": "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]",
         "he": "[\u0591-\u05bd\u05bf-\u05c7]"}
# "و"/"ف" (and, so) written onto a word with the article: split off in the index, dropped
# from the query (Pagefind's Arabic stemmer removes "ال" but not "وال").
ARABIC_CONJUNCTION = re.compile(r"(^|[^\w])([وف])(?=ال\w)")
_ARABIC_LETTERS = str.maketrans({"\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627",
                                 "\u0671": "\u0627"})


class PagefindError(Exception):
    """Pagefind could not index the folder (no binary, a failed run)."""


@dataclasses.dataclass(frozen=True)
class PagefindIndex:
    """What indexing one locale folder made (``pages`` is -1 when the articles were
    unchanged and the index was kept)."""

    pages: int
    files: int
    bytes: int
    seconds: float


def index_language(language: str) -> str:
    """The language Pagefind indexes under: the page's (its stemmer), or ``th`` for
    Chinese and Japanese — the one code for which Pagefind splits the query with
    ``Intl.Segmenter`` but does not segment pages itself (ICU's word breaks depend on the
    script, not the locale, so Han and kana are split as for ``zh``/``ja``). Measured:
    with ``zh`` (jieba) or ``und``, 3 of 6 real Chinese titles were not found."""
    primary = primary_language(language).lower()
    return "th" if primary in OWN_SEGMENTER else primary


def needs_preparing(language: str) -> bool:
    primary = primary_language(language).lower()
    return primary in SEGMENTED or primary in MARKS


def segmenter(language: str) -> Any:  # PyICU has no type stubs
    import icu  # PyICU (the pyicu-wheels distribution); only segmented languages need it

    return icu.BreakIterator.createWordInstance(icu.Locale(primary_language(language)))


def segment(text: str, breaker: object) -> str:
    """``text`` with each run of unspaced script split into ICU words by U+3000."""
    def split(match: re.Match[str]) -> str:
        run = match.group(0)
        breaker.setText(run)  # type: ignore[attr-defined]
        bounds = [0, *breaker]  # type: ignore[misc]
        return SEPARATOR.join(run[a:b] for a, b in itertools.pairwise(bounds))
    return UNSPACED_RUNS.sub(split, text)


def normalize(text: str, language: str) -> str:
    """Marks removed (Arabic, Hebrew) and Arabic alef forms unified; other text as is."""
    primary = primary_language(language).lower()
    if primary not in MARKS:
        return text
    text = re.sub(MARKS[primary], "", text)
    if primary != "ar":
        return text
    return ARABIC_CONJUNCTION.sub("\\1\\2" + SEPARATOR, text.translate(_ARABIC_LETTERS))


def query_text(query: str, language: str) -> str:
    """What ``helpsitePrepareQuery`` in ``helpsite-search.js`` makes of a query (the
    browser tests compare the two): normalized, Arabic conjunctions dropped, unspaced
    scripts split into ICU words joined by spaces."""
    text = normalize(query, language).replace("و" + SEPARATOR, "").replace("ف" + SEPARATOR, "")
    if primary_language(language).lower() in SEGMENTED:
        text = segment(text, segmenter(language)).replace(SEPARATOR, " ")
    return " ".join(text.split())


def prepared(html: str, language: str, breaker: object | None) -> str:
    """The page as Pagefind should read it: text (not tags) segmented and normalized."""
    def text(match: re.Match[str]) -> str:
        value = normalize(match.group(1), language)
        return ">" + (segment(value, breaker) if breaker is not None else value) + "<"
    return _TEXT.sub(text, html)


def article_pages(folder: Path) -> Iterator[tuple[str, str]]:
    """(URL relative to the folder, HTML) of every page marked for the index, in a
    stable order."""
    for path in sorted(folder.rglob("*.html")):
        relative = path.relative_to(folder).as_posix()
        if relative.startswith(OUTPUT + "/"):
            continue
        html = path.read_text(encoding="utf-8", errors="replace")
        if BODY_MARK in html:
            yield relative, html


def binary() -> Path:
    """Pagefind's executable, as the ``pagefind`` package finds it (the extended binary
    of ``pagefind[extended]``, or ``$PAGEFIND_BINARY_PATH``)."""
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise PagefindError("no Pagefind binary: pip install 'pagefind[extended]'")
    return Path(found)


def article_only(html: str, language: str) -> str:
    """The marked ``<article>`` of a page in a page of its own: Pagefind parses a fifth
    of the bytes (no head, header, sidebar, footer) and indexes the same words."""
    start = html.find(BODY_MARK)
    start = html.rfind("<", 0, start)
    end = html.find("</article>", start)
    body = html[start:end + len("</article>")] if start >= 0 and end >= 0 else html
    return f'<!DOCTYPE html><html lang="{language}"><body>{body}</body></html>'


def prepared_articles(folder: Path, language: str) -> tuple[list[tuple[str, str]], str]:
    """The marked articles of ``folder`` as Pagefind should read them, and the digest of
    all of it (the same digest: the same index)."""
    breaker = segmenter(language) if primary_language(language).lower() in SEGMENTED else None
    digest = hashlib.sha256(f"{index_language(language)} {pagefind_version()}".encode())
    articles = []
    for relative, html in article_pages(folder):
        text = article_only(html, language)
        if needs_preparing(language):
            text = prepared(text, language, breaker)
        digest.update(f"\0{relative}\0{text}".encode())
        articles.append((relative, text))
    return articles, digest.hexdigest()


def write_articles(articles: list[tuple[str, str]], target: Path) -> None:
    for relative, text in articles:
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def pagefind_version() -> str:
    """The installed Pagefind (in the digest, never a path: shards built in other
    checkouts must write the same bytes)."""
    try:
        return importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def run_pagefind(site: Path, language: str, output: Path) -> int:
    """One run of the binary over ``site`` (the Python service answers one request per
    0.1 s: 2,900 pages would take five minutes); the number of pages it indexed."""
    command = [str(binary()), "--site", str(site), "--output-path", str(output),
               "--force-language", index_language(language), "--keep-index-url",
               "--glob", "**/*.html"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PagefindError((done.stdout + done.stderr).strip()[-2000:])
    counts = [int(m) for m in _INDEXED.findall(done.stdout)]
    return counts[0] if counts else 0


def index_site(folder: Path, language: str) -> PagefindIndex:
    """Index the built locale ``folder`` (articles only) into ``folder/pagefind/``."""
    start = time.perf_counter()
    folder = Path(folder).resolve()
    target, staging = folder / OUTPUT, folder / f".{OUTPUT}.new"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        articles, digest = prepared_articles(folder, language)
        if _read(target / DIGEST) == digest:  # no article changed: the index stands
            return _summary(target, -1, start)
        with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=folder.parent) as temp:
            write_articles(articles, Path(temp))
            pages = run_pagefind(Path(temp), language, staging)
            (staging / DIGEST).write_text(digest, encoding="utf-8")
    except (OSError, PagefindError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise PagefindError(f"Pagefind could not index {folder}: {error}") from error
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return _summary(target, pages, start)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _summary(target: Path, pages: int, start: float) -> PagefindIndex:
    files = [p for p in target.rglob("*") if p.is_file()]
    return PagefindIndex(pages=pages, files=len(files),
                         bytes=sum(p.stat().st_size for p in files),
                         seconds=round(time.perf_counter() - start, 3))
