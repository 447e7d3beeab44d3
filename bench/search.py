"""``make bench-search``: Sphinx's search against Pagefind, ten locales, in a real browser.

Known-item search: every query is made from one article of the imported corpus, and the
answer expected is that article. For each locale, two sets:

- **title** queries: the words of the article's translated title as the built page shows
  it (its ``<h1>``, so markup is stripped), punctuation dropped, joined by spaces;
- **paragraph** queries (harder): a window of consecutive words of the first paragraph of
  the article's body that has enough of them — ``WORD_WINDOW`` (6) words, starting at a
  word chosen at random. zh-TW and th-TH write no spaces between words, so there the
  window is counted in letters (letters, marks and digits; no spaces or punctuation) and
  carries what six English words carry: ``HAN_WINDOW`` (17) and ``THAI_WINDOW`` (34)
  letters, six times the letters of the locale's translation per word of its English
  source (2.84 for zh-TW, 5.59 for th-TH, measured over every sentence pair of the sxs
  corpus by :func:`letters_per_english_word`; tests/test_bench_search.py measures them
  again). The window starts at the beginning of a clause (after a space or punctuation,
  which Chinese and Thai do write) chosen at random — the start a reader copying a phrase
  would take; its end may fall inside a word, as a reader's typing does before it is
  finished. (Before, the windows were 10 and 20 characters: about 3.5 English words
  of Thai, a harder set than the others.)

Left out, and counted in the output: articles whose page is not translated (its title is
the English source's), and articles whose translated title is another article's too (two
known items for one query: no right answer). Of the articles left, the order is a shuffle
with a fixed seed (``--seed``) and each set takes the first ``--queries`` (200; ``--quick``:
50 on a 300-article subset) that have a query; a paragraph window's start comes from a
random generator seeded with the seed, the locale and the article, so a query does not
depend on which others were chosen.

Engines, on the same pages in one run. When helpsite has its Pagefind engine
(``helpsite.search.pagefind``), the project is built twice from the same sources and
catalogs: ``-D helpsite_search=sphinx`` (Sphinx's ``searchindex.js`` and search page, as
helpsite had it before) and ``-D helpsite_search=pagefind`` (the article bodies marked
``data-pagefind-body``, each locale indexed by ``index_site`` at the end of its build,
helpsite's search page): the text of every page is the same Sphinx output, only the
search machinery differs, and each engine is measured through the site's own code.
``index_site`` is then run once more on each locale folder to time it. Before helpsite
had that engine, one Sphinx build was indexed afterwards by the ``pagefind`` package's
binary (the article element only, the help-ID redirects left out, the locale's
language). In chromium (Debian's, never a downloaded one), against a local server:

- Sphinx: each locale's ``search.html`` is loaded once; when its index is in, Sphinx's own
  functions of the page (``Search._parseQuery``, with the query splitting helpsite gives
  ja/zh, then ``Search._performSearch``) rank the pages; the ranking is the order the page
  would show them (Sphinx pops its result list from the end), one entry per page;
- Pagefind: ``window.helpsiteSearch(query, 10)`` of the locale's search page (its query
  preparation — ``Intl.Segmenter`` for zh/th — included), else ``pagefind.js``'s
  ``search`` and the first ten results' ``data()``.

Measured: recall@1, recall@5 and MRR (over the first ten results) per set; the bytes a
reader downloads for one query — a fresh browser context per query, for
``--byte-samples`` (20) queries per locale (3 for Sphinx, which downloads its whole index
whatever the query), every response of loading ``search.html`` and answering counted
from Playwright's network events (as sent: the local server gzips text as a static host
does) (median and max, and the median's share that is the
engine's files: index, fragments, search scripts; with Pagefind the
page is loaded without Sphinx's ``searchindex.js``, which a Pagefind page does not
load); and per engine and locale the index's build seconds and bytes on disk (Sphinx's
index is made inside the build, so its seconds are the locale's whole build).

    python -m bench.search [--quick] [--limit N] [--queries N] [--locales nl-NL,de-DE]
                           [--json FILE] [--fail-on-goal]
"""

from __future__ import annotations

import argparse
import bisect
import functools
import gzip
import importlib.util
import itertools
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from helpsite.console import make_console
from helpsite.locales import output_folder, primary_language
from lxml import html as lxml_html
from rich.console import Console
from rich.table import Table

from bench.build import CORPUS_CONF, copy_project, docnames, ensure_corpus
from bench.data import SXS_CORPUS, TEN_LOCALES, corpus_dir
from bench.goals import SEARCH_GOALS as GOALS

SEED = 18  # issue 18
WORD_WINDOW = 6  # words of a paragraph query, where words are written with spaces
HAN_WINDOW = 17  # letters of a zh-TW paragraph query: 6 × 2.84 letters per English word
THAI_WINDOW = 34  # letters of a th-TH paragraph query: 6 × 5.59
CHAR_WINDOWS = {"zh": HAN_WINDOW, "th": THAI_WINDOW}
QUERIES = 200
QUICK_QUERIES = 50
QUICK_ARTICLES = 300
BYTE_SAMPLES = 20
# Sphinx downloads its whole index whatever the query: a few samples show it.
SPHINX_BYTE_SAMPLES = 3
SETTLE_MS = 150
RANKED = 10  # results kept per query (MRR over these)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
TIMEOUT_MS = 60_000
SPHINX_FILES = ("searchindex.js",)  # what a Pagefind page does not load
ARTICLE = "article[role='main']"
ARTICLE_XPATH = "//article[@role='main']"
# The article's own paragraphs: not helpsite's date line or machine-translation note.
BODY_PARAGRAPHS = (".//section//p[not(contains(@class, 'helpsite-'))"
                   " and not(ancestor::*[contains(@class, 'helpsite-')])]")
PAGEFIND_EXCLUDE = [".helpsite-date", ".helpsite-note", ".headerlink"]


# -- queries ------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The words of ``text``: runs of letters, marks and digits. Punctuation, symbols and
    spaces separate them; marks stay (Thai vowels and tone marks are marks, and Python's
    ``\\w`` would cut Thai words at them)."""
    kept = "".join(" " if unicodedata.category(c)[0] in "PZSC" else c for c in text)
    return kept.split()


def title_query(title: str) -> str:
    """The title as a reader would type it: its words, without punctuation."""
    return " ".join(words(title))


def char_window(tag: str) -> int | None:
    """Characters of a paragraph query where the language writes no spaces (zh, th)."""
    return CHAR_WINDOWS.get(primary_language(tag).lower())


def paragraph_query(paragraph: str, tag: str, rng: random.Random) -> str | None:
    """A window of the paragraph (the module docstring says which); None when the
    paragraph is shorter than one window."""
    found = words(paragraph)
    size = char_window(tag)
    if size is None:
        if len(found) < WORD_WINDOW:
            return None
        start = rng.randrange(len(found) - WORD_WINDOW + 1)
        return " ".join(found[start:start + WORD_WINDOW])
    text = " ".join(found)
    # Letters up to each position: a window is ``size`` letters, its spaces not counted.
    held = list(itertools.accumulate((c != " " for c in text), initial=0))
    starts = [i for i in range(len(text))
              if text[i] != " " and (i == 0 or text[i - 1] == " ")
              and held[-1] - held[i] >= size]
    if not starts:
        return None
    start = rng.choice(starts)
    end = bisect.bisect_left(held, held[start] + size)
    return text[start:end].strip()


def letters_per_english_word(pairs: Iterable[tuple[str, str]]) -> float:
    """Letters of the translations per word of their English sources, over ``pairs``
    of (translation, English): what a no-space window must hold to say as much as a
    window of English words."""
    letters = english = 0
    for translated, source in pairs:
        letters += len("".join(words(translated)))
        english += len(words(source))
    return letters / english if english else 0.0


def article_rng(seed: int, tag: str, docname: str) -> random.Random:
    """The generator of one article's window: the same query whatever else is chosen."""
    return random.Random(f"{seed}:{tag}:{docname}")


@dataclass(frozen=True)
class Article:
    docname: str
    title: str  # as the page shows it
    paragraph: str  # the first paragraph of the body with one window of words, or ""


@dataclass(frozen=True)
class Query:
    text: str
    docname: str  # the known item


@dataclass
class QuerySets:
    title: list[Query]
    paragraph: list[Query]
    articles: int  # pages of the locale read
    untranslated: int
    ambiguous: int  # articles left out: their title is another article's too


def choose_queries(articles: Sequence[Article], english: dict[str, str], tag: str,
                   limit: int, seed: int = SEED) -> QuerySets:
    """Both sets for one locale: untranslated and ambiguous articles left out, the rest
    shuffled with ``seed``, the first ``limit`` with a query in each set."""
    translated = [a for a in articles
                  if title_query(a.title).casefold()
                  != title_query(english.get(a.docname, "")).casefold()]
    counts = Counter(title_query(a.title).casefold() for a in translated)
    known = sorted((a for a in translated if counts[title_query(a.title).casefold()] == 1),
                   key=lambda a: a.docname)
    random.Random(seed).shuffle(known)
    titles = [Query(title_query(a.title), a.docname) for a in known
              if title_query(a.title)][:limit]
    paragraphs: list[Query] = []
    for article in known:
        if len(paragraphs) == limit:
            break
        text = paragraph_query(article.paragraph, tag, article_rng(seed, tag, article.docname))
        if text:
            paragraphs.append(Query(text, article.docname))
    return QuerySets(titles, paragraphs, len(articles), len(articles) - len(translated),
                     len(translated) - len(known))


# -- reading the built pages --------------------------------------------------------------


def enough_words(text: str, tag: str) -> bool:
    size = char_window(tag)
    found = words(text)
    return len("".join(found)) >= size if size else len(found) >= WORD_WINDOW


def read_article(page: Path, docname: str, tag: str) -> Article | None:
    """Title and first long-enough paragraph of one built page; None when it has no
    article heading (not an article page, or a page that failed)."""
    try:
        tree = lxml_html.fromstring(page.read_bytes())
    except (OSError, ValueError):
        return None
    main = tree.xpath(ARTICLE_XPATH)
    heading = main[0].xpath(".//h1") if main else []
    if not heading:
        return None
    for link in heading[0].xpath(".//a[contains(@class, 'headerlink')]"):
        link.drop_tree()
    paragraph = ""
    for node in main[0].xpath(BODY_PARAGRAPHS):
        text = node.text_content()
        if enough_words(text, tag):
            paragraph = " ".join(text.split())
            break
    return Article(docname, " ".join(heading[0].text_content().split()), paragraph)


_TAGS = re.compile(r"<[^>]+>")


def english_titles(source: Path, names: Sequence[str]) -> dict[str, str]:
    """Each article's source title (its first ``# `` line, HTML tags removed): a page whose
    title has the same words is not translated."""
    titles = {}
    for name in names:
        try:
            lines = (source / f"{name}.md").read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        heading = next((line for line in lines if line.startswith("# ")), "")
        titles[name] = _TAGS.sub("", heading[2:])
    return titles


def url_docname(url: str, folder: str) -> str:
    """The docname of a result URL (``/nl-nl/foo/bar.html#x`` → ``foo/bar``); Pagefind
    gives URLs from the root of the indexed folder or with the site's base."""
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    path = re.sub(r"^[a-z]+://[^/]+", "", path).lstrip("/")
    if path.startswith(f"{folder}/"):
        path = path[len(folder) + 1:]
    if path == "" or path.endswith("/"):
        path += "index"
    return path.removesuffix(".html")


# -- metrics ------------------------------------------------------------------------------


def rank_of(expected: str, ranking: Sequence[str]) -> int | None:
    """1-based position of ``expected`` among the first ``RANKED`` results."""
    for position, docname in enumerate(ranking[:RANKED], start=1):
        if docname == expected:
            return position
    return None


@dataclass
class Scores:
    queries: int
    recall_1: float
    recall_5: float
    mrr: float


def score(ranks: Sequence[int | None]) -> Scores:
    """recall@1, recall@5 and the mean reciprocal rank (0 for a miss) of ``ranks``."""
    if not ranks:
        return Scores(0, 0.0, 0.0, 0.0)
    hits = [r for r in ranks if r is not None]
    return Scores(len(ranks), sum(r <= 1 for r in hits) / len(ranks),
                  sum(r <= 5 for r in hits) / len(ranks),
                  sum(1 / r for r in hits) / len(ranks))


# -- the site and its indexes -------------------------------------------------------------


def search_define_known() -> bool:
    """Whether helpsite has the ``helpsite_search`` setting (the Pagefind engine)."""
    try:
        return importlib.util.find_spec("helpsite.search.pagefind") is not None
    except ModuleNotFoundError:
        return False


def prepare_project(imported: Path, work: Path, locales: Sequence[str], reuse: bool) -> Path:
    """A copy of the imported project with a conf.py of ``locales`` (kept with ``reuse``)."""
    project = work / "project"
    if not (reuse and (project / "conf.py").is_file()):
        copy_project(imported, project, None, ["en-US", *locales],
                     CORPUS_CONF.format(locales=list(locales)))
    return project


def build_site(project: Path, locales: Sequence[str], console: Console, reuse: bool,
               engine: str | None) -> tuple[Path, dict[str, float]]:
    """The site of ``locales`` built with the search ``engine`` (``helpsite_search``; None:
    helpsite has no such setting, its search is Sphinx's) into ``build-<engine>/`` of the
    project; returns the html folder and each locale's build seconds."""
    out = project / f"build-{engine or 'sphinx'}"
    html, report = out / "html", out / "build-report.json"
    if reuse and report.is_file() and html.is_dir():
        console.print(f"[dim]Reusing the site built in {html}[/]")
        return html, build_seconds(report)
    command = [sys.executable, "-m", "helpsite", "build", "--conf-dir", str(project),
               "--source", str(project / "source"), "--out", str(out),
               "--locales", " ".join(locales), "--report", str(report)]
    if engine:
        command += ["-D", f"helpsite_search={engine}"]
    console.print(f"Building {len(locales)} locales ({engine or 'sphinx'} search) into "
                  f"{html} …")
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_COLOR": "1"})
    if done.returncode not in (0, 1) or not report.is_file():
        raise SystemExit(f"the build failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return html, build_seconds(report)


def build_seconds(report: Path) -> dict[str, float]:
    """Each locale's build seconds from ``helpsite build --report`` (its ``locales`` rows)."""
    rows = json.loads(report.read_text(encoding="utf-8")).get("locales", [])
    return {row["locale"]: float(row["seconds"]) for row in rows
            if isinstance(row, dict) and isinstance(row.get("seconds"), int | float)}


@dataclass
class IndexStats:
    seconds: float
    bytes: int
    files: int


def folder_bytes(folder: Path) -> tuple[int, int]:
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return sum(sizes), len(sizes)


def pagefind_index(folder: Path, tag: str, names: Sequence[str] = (),
                   again: bool = True) -> IndexStats:
    """``folder``'s Pagefind index: helpsite's own ``index_site`` when it has one (on the
    pages its Pagefind build marked), else the fallback below. With ``again`` False and
    helpsite's build having indexed the folder, the index is only measured on disk (its
    seconds unknown: NaN)."""
    if not again and search_define_known() and (folder / "pagefind").is_dir():
        total, files = folder_bytes(folder / "pagefind")
        return IndexStats(float("nan"), total, files)
    started = time.perf_counter()
    if search_define_known():
        from helpsite.search.pagefind import index_site

        index_site(folder, tag, force=True)
    else:
        shutil.rmtree(folder / "pagefind", ignore_errors=True)
        _pagefind_fallback(folder, primary_language(tag), names)
    entry = folder / "pagefind" / "pagefind-entry.json"
    if not entry.is_file() or not entry.read_text(encoding="utf-8").strip():
        raise SystemExit(f"Pagefind wrote no index entry for {folder} ({entry})")
    seconds = time.perf_counter() - started
    total, files = folder_bytes(folder / "pagefind")
    return IndexStats(seconds, total, files)


def article_glob(names: Sequence[str]) -> str:
    """The pages of the articles' folders: not the help-ID redirects (``help/<id>/``),
    which have no text and which Sphinx's index leaves out too."""
    folders = sorted({name.split("/")[0] for name in names if "/" in name} - {"help"})
    return "{" + ",".join(["*.html", *(f"{f}/**/*.html" for f in folders)]) + "}"


def _pagefind_fallback(folder: Path, language: str, names: Sequence[str]) -> None:
    """Until helpsite indexes with Pagefind itself: the article of every page, as the
    locale's language, by the ``pagefind`` package's binary (its Python service, on this
    loaded machine, closed before its files were all written: empty entry files)."""
    from pagefind_bin_extended import get_executable

    command = [str(get_executable()), "--site", str(folder), "--root-selector", ARTICLE,
               "--force-language", language, "--quiet"]
    if names:
        command += ["--glob", article_glob(names)]
    for selector in PAGEFIND_EXCLUDE:
        command += ["--exclude-selectors", selector]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"pagefind failed on {folder}:\n{done.stderr[-2000:]}")


def sphinx_index(folder: Path, seconds: float) -> IndexStats:
    """``searchindex.js`` of a Sphinx-search build; a folder without it (a build made with
    another engine, e.g. one reused from before ``helpsite_search`` existed) stops the run
    with what to do."""
    index = folder / "searchindex.js"
    if not index.is_file():
        raise SystemExit(f"{index} not found: {folder} was not built with Sphinx's search; "
                         "run again without --reuse-build")
    return IndexStats(seconds, index.stat().st_size, 1)


# -- the browser --------------------------------------------------------------------------

SPHINX_RANK = """(queries) => {
  if (typeof Search === "undefined" || typeof Search._parseQuery !== "function"
      || typeof Search._performSearch !== "function")
    return {error: "Sphinx's Search._parseQuery/_performSearch are not on the page"};
  return {rankings: queries.map((query) => {
    const results = Search._performSearch(...Search._parseQuery(query));
    const ranking = [];
    for (let i = results.length - 1; i >= 0 && ranking.length < LIMIT; i--)
      if (!ranking.includes(results[i][0])) ranking.push(results[i][0]);
    return ranking;
  })};
}""".replace("LIMIT", str(RANKED))

PAGEFIND_RANK = """async ([queries, bundle]) => {
  let find = window.helpsiteSearch;
  if (typeof find !== "function") {
    const pagefind = await import(bundle);
    await pagefind.init();
    find = async (query, limit) => {
      const found = await pagefind.search(query);
      return Promise.all(found.results.slice(0, limit).map((r) => r.data()));
    };
  }
  const rankings = [];
  for (const query of queries) {
    const found = await find(query, LIMIT);
    rankings.push((Array.isArray(found) ? found : found.results).map((r) => r.url));
  }
  return {rankings};
}""".replace("LIMIT", str(RANKED))


# Served gzip-compressed, as every static host serves text (Pagefind's own files are
# gzip already and go as they are): the bytes counted are the bytes a reader downloads.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json",
                    "image/svg+xml", "application/xml")


@functools.cache
def gzipped(path: Path, mtime_ns: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        kind = self.guess_type(str(path))
        if (not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not kind.startswith(COMPRESSED_TYPES)):
            super().do_GET()
            return
        body = gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class QuietServer(ThreadingHTTPServer):
    """No traceback when the browser closes a context while a file is still sent."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """``root`` on 127.0.0.1, a free port, from a thread; yields the base URL."""
    server = QuietServer(("127.0.0.1", 0),
                                 functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def sphinx_rankings(browser: Any, url: str, queries: Sequence[str]) -> list[list[str]]:
    """Sphinx's ranked docnames for ``queries``, from one load of the search page."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_function("() => typeof Search !== 'undefined' && Search.hasIndex()",
                               timeout=TIMEOUT_MS)
        answer = page.evaluate(SPHINX_RANK, list(queries))
    finally:
        context.close()
    if "error" in answer:
        raise SystemExit(answer["error"])
    return answer["rankings"]


def pagefind_rankings(browser: Any, url: str, bundle: str, folder: str,
                      queries: Sequence[str]) -> list[list[str]]:
    """Pagefind's ranked docnames for ``queries``, from one load of the search page."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, timeout=TIMEOUT_MS)
        answer = page.evaluate(PAGEFIND_RANK, [list(queries), bundle])
    finally:
        context.close()
    return [[url_docname(u, folder) for u in ranking] for ranking in answer["rankings"]]


SEARCH_PATHS = re.compile(r"/pagefind/|/(searchindex|searchtools|language_data)\.js$")


def is_search_file(url: str) -> bool:
    """Whether ``url`` is one of the search engine's files (not the page's own)."""
    return SEARCH_PATHS.search(re.split(r"[?#]", url, maxsplit=1)[0]) is not None


@dataclass
class Download:
    total: int  # every response
    search: int  # of which the engine's files


def query_bytes(browser: Any, url: str, engine: str, query: str, bundle: str) -> Download:
    """Bytes of every response a fresh browser context receives to load the search page
    and answer ``query`` with ``engine``."""
    context = browser.new_context()
    received: list[tuple[str, int]] = []
    try:
        if engine == "pagefind":
            for name in SPHINX_FILES:
                context.route(f"**/{name}", lambda route: route.abort())
        page = context.new_page()
        page.on("requestfinished", lambda request: received.append(
            (request.url, max(0, request.sizes()["responseBodySize"]))))
        page.goto(url, timeout=TIMEOUT_MS)
        if engine == "sphinx":
            page.wait_for_function("() => Search.hasIndex()", timeout=TIMEOUT_MS)
            page.evaluate(SPHINX_RANK, [query])
        else:
            page.evaluate(PAGEFIND_RANK, [[query], bundle])
        # Every fetch of the answer is awaited inside evaluate; the last events follow.
        page.wait_for_timeout(SETTLE_MS)
    finally:
        context.close()
    return Download(sum(size for _, size in received),
                    sum(size for u, size in received if is_search_file(u)))


# -- one run ------------------------------------------------------------------------------


@dataclass
class EngineResult:
    title: Scores
    paragraph: Scores
    bytes_median: float
    bytes_max: int
    search_bytes_median: float  # of the median download, the engine's files
    index: IndexStats


@dataclass
class LocaleResult:
    tag: str
    articles: int
    untranslated: int
    ambiguous: int
    engines: dict[str, EngineResult] = field(default_factory=dict)


def locale_articles(html: Path, imported: Path, tag: str) -> list[Article]:
    folder = html / output_folder(tag)
    names = [n for n in docnames(imported / "source") if n != "index"]
    found = (read_article(folder / f"{n}.html", n, tag) for n in names)
    return [a for a in found if a is not None]


def measure_locale(browser: Any, bases: dict[str, str], tag: str, sets: QuerySets,
                   indexes: dict[str, IndexStats], samples: int) -> LocaleResult:
    folder = output_folder(tag)
    bundle = f"/{folder}/pagefind/pagefind.js"
    result = LocaleResult(tag, sets.articles, sets.untranslated, sets.ambiguous)
    sample = (sets.paragraph + sets.title)[:samples]
    for engine in ("sphinx", "pagefind"):
        url = f"{bases[engine]}/{folder}/search.html"
        scores = []
        for queries in (sets.title, sets.paragraph):
            texts = [q.text for q in queries]
            rankings = (sphinx_rankings(browser, url, texts) if engine == "sphinx"
                        else pagefind_rankings(browser, url, bundle, folder, texts))
            scores.append(score([rank_of(q.docname, r) for q, r in zip(queries, rankings,
                                                                        strict=True)]))
        chosen = sample[:SPHINX_BYTE_SAMPLES] if engine == "sphinx" else sample
        sizes = [query_bytes(browser, url, engine, q.text, bundle) for q in chosen]
        totals = [d.total for d in sizes]
        result.engines[engine] = EngineResult(
            scores[0], scores[1], statistics.median(totals) if totals else 0,
            max(totals, default=0),
            statistics.median([d.search for d in sizes]) if sizes else 0, indexes[engine])
    return result


def run(args: argparse.Namespace, console: Console) -> list[LocaleResult]:
    if args.limit:
        imported = ensure_corpus(args.sxs, args.bench_dir / f"search-{args.limit}", console,
                                 args.limit, TEN_LOCALES)
    else:
        imported = ensure_corpus(args.sxs, args.bench_dir / "corpus-10", console,
                                 locales=TEN_LOCALES)
    label = f"search-{args.limit}" if args.limit else "search-10"
    project = prepare_project(imported, args.bench_dir / "work" / label, args.locales,
                              args.reuse_build)
    shipped = search_define_known()
    html, seconds = build_site(project, args.locales, console, args.reuse_build,
                               "sphinx" if shipped else None)
    # helpsite's Pagefind build marks the article bodies and has its own search page; the
    # pages' text is the same Sphinx output as the Sphinx build's.
    pagefind_html = (build_site(project, args.locales, console, args.reuse_build,
                                "pagefind")[0] if shipped else html)
    names = docnames(imported / "source")
    english = english_titles(imported / "source", names)
    sets, indexes = {}, {}
    for tag in args.locales:
        folder = html / output_folder(tag)
        sets[tag] = choose_queries(locale_articles(html, imported, tag), english, tag,
                                   args.queries, args.seed)
        console.print(f"[dim]{tag}: indexing with Pagefind …[/]")
        again = args.reindex == "all" or tag in args.reindex.split(",")
        indexes[tag] = {"sphinx": sphinx_index(folder, seconds.get(tag, float("nan"))),
                        "pagefind": pagefind_index(pagefind_html / output_folder(tag), tag,
                                                   names, again)}
    from playwright.sync_api import sync_playwright  # last: its loop stays running

    results = []
    with serving(html) as base, serving(pagefind_html) as pagefind_base, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS)
        for tag in args.locales:
            console.print(f"[dim]{tag}: {len(sets[tag].title)} title and "
                          f"{len(sets[tag].paragraph)} paragraph queries …[/]")
            results.append(measure_locale(browser, {"sphinx": base, "pagefind": pagefind_base},
                                          tag, sets[tag], indexes[tag], args.byte_samples))
        browser.close()
    return results


# -- output -------------------------------------------------------------------------------


def mark(ok: bool) -> str:
    return "[green]✓[/]" if ok else "[red]✗[/]"


def goal_checks(results: Sequence[LocaleResult], engine: str) -> dict[str, bool]:
    """Each goal of ``GOALS`` met by ``engine`` in every locale."""
    found = [r.engines[engine] for r in results]
    return {
        "title_recall_5": all(e.title.recall_5 >= GOALS["title_recall_5"] for e in found),
        "paragraph_recall_5": all(e.paragraph.recall_5 >= GOALS["paragraph_recall_5"]
                                  for e in found),
        "query_kb": all(e.bytes_max / 1000 <= GOALS["query_kb"] for e in found),
    }


def print_tables(results: Sequence[LocaleResult], console: Console) -> None:
    for engine in ("sphinx", "pagefind"):
        table = Table(title=f"{engine}: known-item search, {len(results)} locales")
        for column in ("locale", "title R@1", "R@5", "MRR", "para R@1", "R@5", "MRR",
                       "KB/query med", "max", "search KB", "index s", "index KB"):
            table.add_column(column, justify="left" if column == "locale" else "right")
        for result in results:
            e = result.engines[engine]
            table.add_row(
                result.tag, f"{e.title.recall_1:.2f}",
                f"{mark(e.title.recall_5 >= GOALS['title_recall_5'])} {e.title.recall_5:.2f}",
                f"{e.title.mrr:.2f}", f"{e.paragraph.recall_1:.2f}",
                f"{mark(e.paragraph.recall_5 >= GOALS['paragraph_recall_5'])} "
                f"{e.paragraph.recall_5:.2f}", f"{e.paragraph.mrr:.2f}",
                f"{e.bytes_median / 1000:.0f}",
                f"{mark(e.bytes_max / 1000 <= GOALS['query_kb'])} {e.bytes_max / 1000:.0f}",
                f"{e.search_bytes_median / 1000:.0f}",
                "–" if math.isnan(e.index.seconds) else f"{e.index.seconds:.1f}",
                f"{e.index.bytes / 1000:.0f}")
        console.print(table)
    first = results[0] if results else None
    if first:
        left = ", ".join(f"{r.tag} {r.untranslated}/{r.ambiguous}" for r in results)
        console.print(f"Left out (untranslated/ambiguous title) of the pages read: {left}")
    for engine in ("sphinx", "pagefind"):
        checks = goal_checks(results, engine)
        console.print(
            f"{engine}: {mark(checks['title_recall_5'])} title R@5 ≥ "
            f"{GOALS['title_recall_5']} in every locale, {mark(checks['paragraph_recall_5'])} "
            f"paragraph R@5 ≥ {GOALS['paragraph_recall_5']}, {mark(checks['query_kb'])} "
            f"≤ {GOALS['query_kb']:.0f} KB per query")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_QUERIES} queries per set on a {QUICK_ARTICLES}-article "
                             "subset")
    parser.add_argument("--limit", type=int, help="articles imported (default: all)")
    parser.add_argument("--queries", type=int, help=f"queries per set and locale "
                                                    f"(default {QUERIES})")
    parser.add_argument("--byte-samples", type=int, default=BYTE_SAMPLES,
                        help="queries per locale measured in a fresh context (Pagefind; "
                             f"Sphinx: {SPHINX_BYTE_SAMPLES})")
    parser.add_argument("--locales", default=",".join(TEN_LOCALES),
                        help="comma-separated sxs locales (default: all ten)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--reindex", default="all",
                        help="'all', 'none' or comma-separated locales whose folder index_site "
                             "indexes "
                             "again to time it (helpsite's build indexed them all already)")
    parser.add_argument("--sxs", type=Path, default=corpus_dir(SXS_CORPUS))
    parser.add_argument("--bench-dir", type=Path, default=Path("build/bench"))
    parser.add_argument("--reuse-build", action="store_true",
                        help="use the site built by an earlier run of the same size")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument("--fail-on-goal", action="store_true",
                        help="exit 1 when Pagefind misses a goal")
    args = parser.parse_args(argv)
    if args.quick:
        args.limit = args.limit or QUICK_ARTICLES
    args.queries = args.queries or (QUICK_QUERIES if args.quick else QUERIES)
    args.locales = [t.strip() for t in args.locales.split(",") if t.strip()]
    args.sxs, args.bench_dir = args.sxs.resolve(), args.bench_dir.resolve()
    return args


def no_nan(value: Any) -> Any:
    """``value`` with NaN (a figure not measured) as null: JSON has no NaN."""
    if isinstance(value, dict):
        return {k: no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [no_nan(v) for v in value]
    return None if isinstance(value, float) and math.isnan(value) else value


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = make_console()
    unknown = [t for t in args.locales if t not in TEN_LOCALES]
    if unknown:
        console.print(f"[red]not an sxs locale of the corpus: {', '.join(unknown)}[/]")
        return 2
    if not CHROMIUM.is_file():
        console.print(f"[red]{CHROMIUM} not found: the benchmark runs Debian's chromium[/]")
        return 2
    if not search_define_known() and importlib.util.find_spec("pagefind") is None:
        console.print("[red]Pagefind is not installed: .venv/bin/pip install "
                      "'pagefind[extended]>=1.5,<1.6'[/]")
        return 2
    started = time.perf_counter()
    results = run(args, console)
    print_tables(results, console)
    console.print(f"[dim]{time.perf_counter() - started:.0f} s in all; load "
                  f"{os.getloadavg()[0]:.1f}[/]")
    if args.json:
        args.json.write_text(json.dumps({
            "seed": args.seed, "queries": args.queries, "limit": args.limit,
            "goals": GOALS, "locales": [no_nan(asdict(r)) for r in results]}, indent=2,
            ensure_ascii=False), encoding="utf-8")
    return 1 if args.fail_on_goal and not all(goal_checks(results, "pagefind").values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
