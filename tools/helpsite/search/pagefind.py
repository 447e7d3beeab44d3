"""One locale's built folder indexed with Pagefind into ``<folder>/pagefind/``.

Called at the end of each locale's HTML build (``helpsite_search = "pagefind"``,
:mod:`helpsite.sphinx.search`) and by the search benchmark on any built folder. Only
pages whose HTML carries ``data-pagefind-body`` (the article body of article pages) are
indexed; the 404, search, help-ID, category and status pages do not carry it.

What is done here rather than by Pagefind, because Pagefind alone misses it:

- **Japanese, Thai**: Pagefind splits queries with the browser's ``Intl.Segmenter``
  (ICU), but its extended binary segments pages with lindera/charabia, so a query's
  words often are not the page's words. Here the page text is split with ICU's word
  breaker (PyICU) — the same algorithm as the browser's — and the words are joined with
  U+3000 (ideographic space; Pagefind splits at white space, and U+200B is not white
  space to it: a run stayed one word, found only by its first word as a prefix; the
  search page drops U+3000 from the excerpts). They are indexed under Pagefind's
  language ``und`` (:func:`index_language`), which it neither segments nor stems, and
  ``helpsite-search.js`` splits the query with ``Intl.Segmenter`` itself. Measured on
  th-TH (``make bench-search``): under ``th``, where Pagefind's charabia split ICU words
  again, first-paragraph recall@5 was 0.70; under ``und`` 0.74.
- **Traditional and Simplified Chinese**: indexed as overlapping pairs of Han characters
  (``使用者`` → ``使用 用者``), in the page and in the query (:func:`han_bigrams`), as
  Lucene's CJKAnalyzer and helpsite's Sphinx ``zh`` language do; under Pagefind's
  language ``und`` (no stemmer, no segmenter). ICU words were not enough: Pagefind's
  extended binary segments every page of ``th``/``zh``/``ja`` again with charabia (jieba
  for Han), which splits Traditional words it does not know into single characters (the
  index had ``使用`` and ``者``, never ``使用者``), so the browser's ICU words of a query
  were missing from the index. A pair is found whatever the dictionary: a paragraph
  window's pairs are the page's pairs, and its last, cut-off word is a prefix. The search
  page joins the pairs again for titles and excerpts (``helpsite-search.js``).
- **French, Italian, Catalan**: an elided article or pronoun is split from its word
  (``l’adresse`` → ``l’ adresse``, :func:`split_elisions`) and dropped from the query:
  Pagefind splits words only at ASCII punctuation, so with the typographic apostrophe
  Sphinx writes, ``l’adresse`` was one word and ``adresse`` found nothing. The search
  page removes the space again from titles and excerpts.
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

from helpsite.catalogs.words import word_breaker
from helpsite.locales import primary_language
from helpsite.search.chunks import CHUNK_LOCATIONS, rechunk

OUTPUT = "pagefind"
# What the index was made from (prepared_articles): an unchanged digest skips Pagefind.
DIGEST = "helpsite-digest.txt"
BODY_MARK = "data-pagefind-body"
# Parts of an article that are not its text: Sphinx's heading links (their "¶" ran into
# the heading's last word, and into every result's title), helpsite's "last updated"
# line and its machine-translation and fallback notes (the same words on thousands of
# pages, and the first words of their excerpts).
NOT_INDEXED = (".headerlink", ".helpsite-date", ".helpsite-note")
# Split into ICU words (PyICU at index time, Intl.Segmenter in the query).
SEGMENTED = frozenset({"ja", "th"})
# Han runs indexed and queried as overlapping character pairs (han_bigrams).
BIGRAMMED = frozenset({"zh"})
# ICU words and Chinese pairs are indexed under "und", which Pagefind neither segments
# nor stems (index_language).
UNSEGMENTED = "und"
SEPARATOR = "\u3000"
HAN_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Articles and pronouns written onto the next word with an apostrophe (typographic or
# ASCII); only at the start of a word ("aujourd’hui" stays whole).
_ELIDED = {
    "fr": "c|d|j|l|m|n|s|t|qu|jusqu|lorsqu|puisqu|quoiqu|presqu|quelqu",
    "it": "l|un|d|c|m|t|s|v|n|dell|all|dall|nell|sull|coll|quell|quest|nessun|tutt",
    "ca": "l|d|s|m|t|n",
}
ELISIONS = {language: re.compile(rf"(?<![\w’'])(?:{forms})[’'](?=\w)", re.IGNORECASE)
            for language, forms in _ELIDED.items()}
# In a query also without the apostrophe ("l adresse"), but not a form that is a word
# of its own (Italian "un").
_ALONE = {language: "|".join(f for f in forms.split("|") if f != "un")
          for language, forms in _ELIDED.items()}
ELIDED_WORDS = {language: re.compile(rf"(?<![\w’'])(?:(?:{_ELIDED[language]})[’'](?=\w)"
                                     rf"|(?:{_ALONE[language]})(?=\s|$))", re.IGNORECASE)
                for language in _ELIDED}
# Runs of the scripts written without spaces: Thai, Han, kana (Japanese).
UNSPACED_RUNS = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u30fc]+")
_TEXT = re.compile(r">([^<]+)<")
_TEXT_NODE = re.compile(r"(?<=>)[^<]+(?=<)")
_TAG_NAME = re.compile(r"</?([A-Za-z][\w-]*)")
# Elements inside a line of text: a Han run goes on through them (內容<a>套件</a>).
INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em",
                    "i", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub",
                    "sup", "time", "u", "var"})
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
    """The language Pagefind indexes under: the page's (its stemmer), or ``und`` for the
    languages helpsite splits itself (ICU words, Han pairs), so that Pagefind does not
    split them again: with ``zh`` (jieba) 3 of 6 real Chinese titles were not found; with
    ``th`` charabia split Thai ICU words into parts (the module docstring)."""
    primary = primary_language(language).lower()
    if primary in BIGRAMMED or primary in SEGMENTED:
        return UNSEGMENTED
    return primary


def needs_preparing(language: str) -> bool:
    primary = primary_language(language).lower()
    return (primary in SEGMENTED or primary in BIGRAMMED or primary in MARKS
            or primary in ELISIONS)


def segmenter(language: str) -> Any:  # PyICU has no type stubs
    """ICU's word breaker for the language (the one word counts use too)."""
    return word_breaker(primary_language(language))


def segment(text: str, breaker: object) -> str:
    """``text`` with each run of unspaced script split into ICU words by U+3000."""
    def split(match: re.Match[str]) -> str:
        run = match.group(0)
        breaker.setText(run)  # type: ignore[attr-defined]
        bounds = [0, *breaker]  # type: ignore[misc]
        return SEPARATOR.join(run[a:b] for a, b in itertools.pairwise(bounds))
    return UNSPACED_RUNS.sub(split, text)


def han_bigrams(text: str, before: str = "") -> str:
    """``text`` with each run of Han characters written as its overlapping pairs, set
    apart by U+3000 (a single character stays itself): ``在Azure合約上`` →
    ``在　Azure　合約　約上　``. Pagefind indexes each pair as a word; a query of pairs
    requires each of them, in any order. ``before`` is the Han character that the text
    continues (an inline element ended there): the pair across is written first."""
    def pairs(match: re.Match[str]) -> str:
        run = match.group(0)
        if match.start() == 0 and HAN_RUNS.fullmatch(before):
            run = before + run
        words = [run[i:i + 2] for i in range(len(run) - 1)] or [run]
        return SEPARATOR + SEPARATOR.join(words) + SEPARATOR
    return HAN_RUNS.sub(pairs, text)


def split_elisions(text: str, language: str) -> str:
    """An elided article or pronoun set apart from its word (``l’adresse`` →
    ``l’ adresse``), so that Pagefind indexes ``adresse``; other languages as they are."""
    pattern = ELISIONS.get(primary_language(language).lower())
    return pattern.sub(lambda match: match.group(0) + " ", text) if pattern else text


def drop_elisions(query: str, language: str) -> str:
    """The query without elided articles and pronouns, written onto the word
    (``l’adresse``) or left alone once a reader dropped the apostrophe (``l adresse``):
    a single letter would match, as a prefix, nearly every page."""
    pattern = ELIDED_WORDS.get(primary_language(language).lower())
    return pattern.sub("", query) if pattern else query


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
    primary = primary_language(language).lower()
    if primary in SEGMENTED:
        text = segment(text, segmenter(language))
    elif primary in BIGRAMMED:
        text = han_bigrams(text)
    text = drop_elisions(text, language)
    return " ".join(text.replace(SEPARATOR, " ").split())


def index_text(text: str, language: str, breaker: object | None, before: str = "") -> str:
    """One text of a page as Pagefind should index it (marks, ICU words, Han pairs,
    elisions: whichever the language needs); ``before``: see :func:`han_bigrams`."""
    text = normalize(text, language)
    if breaker is not None:
        text = segment(text, breaker)
    if primary_language(language).lower() in BIGRAMMED:
        text = han_bigrams(text, before)
    return split_elisions(text, language)


def prepared(html: str, language: str, breaker: object | None) -> str:
    """The page as Pagefind should read it: text (not tags) prepared by
    :func:`index_text`. A text that goes on from the previous one through inline tags
    only (``內容<a>套件</a>可``) gets the Han pair across the tag: a reader's query has it."""
    if primary_language(language).lower() not in BIGRAMMED:
        return _TEXT.sub(
            lambda match: ">" + index_text(match.group(1), language, breaker) + "<", html)
    parts, end, last = [], 0, ""
    for match in _TEXT_NODE.finditer(html):
        between = html[end:match.start()]
        inline = all(name.lower() in INLINE for name in _TAG_NAME.findall(between))
        parts += [between, index_text(match.group(0), language, breaker,
                                      last if inline else "")]
        end, last = match.end(), match.group(0)[-1]
    return "".join(parts) + html[end:]


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
    digest = hashlib.sha256(
        f"{index_language(language)} {pagefind_version()} {CHUNK_LOCATIONS} "
        f"{' '.join(NOT_INDEXED)}".encode())
    articles, preparing = [], needs_preparing(language)
    for relative, html in article_pages(folder):
        text = article_only(html, language)
        if preparing:
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
    for selector in NOT_INDEXED:
        command += ["--exclude-selectors", selector]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PagefindError((done.stdout + done.stderr).strip()[-2000:])
    counts = [int(m) for m in _INDEXED.findall(done.stdout)]
    return counts[0] if counts else 0


def index_site(folder: Path, language: str, force: bool = False) -> PagefindIndex:
    """Index the built locale ``folder`` (articles only) into ``folder/pagefind/``;
    ``force``: even when the articles are those of the index there (a benchmark's
    timing)."""
    start = time.perf_counter()
    folder = Path(folder).resolve()
    target, staging = folder / OUTPUT, folder / f".{OUTPUT}.new"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        articles, digest = prepared_articles(folder, language)
        if not force and _read(target / DIGEST) == digest:  # no article changed
            return _summary(target, -1, start)
        with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=folder.parent) as temp:
            write_articles(articles, Path(temp))
            pages = run_pagefind(Path(temp), language, staging)
            rechunk(staging)
            (staging / DIGEST).write_text(digest, encoding="utf-8")
    except (OSError, ValueError, PagefindError) as error:
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
