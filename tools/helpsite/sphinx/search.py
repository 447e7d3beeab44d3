"""Search in the reader's language: Pagefind (the default) or Sphinx's own search.

``helpsite_search = "pagefind"``: each article's body is marked ``data-pagefind-body``,
the locale's output folder is indexed at ``build-finished`` (:mod:`helpsite.search.pagefind`)
and ``search.html`` (the theme's ``search.html`` picks ``helpsite/search.html``) queries it
with ``_static/helpsite-search.js``. ``"sphinx"``: Sphinx's search page, with the
languages below. Sphinx's ``searchindex.js`` is written with either engine: the builder's
``search`` switch would drop it, but it is what several tests read to see what a build
made searchable (left out pages, incremental updates); the Pagefind page never loads it.

Each locale's site has its own ``searchindex.js``, made by Sphinx with the search
language of the build's ``language`` (``nl_NL`` → Dutch stemming, ``de_DE`` → German).
Registered here with ``app.add_search_language`` — the indexer (Python) and the search
page (JavaScript) must treat words alike, so each class carries both:

- ``ar`` (Sphinx has none): diacritics and tatweel removed, alef/yeh/teh-marbuta forms
  unified, then light stemming — the article (``ال``, ``وال``, ``بال``, …) and common
  suffixes removed, as in Lucene's Arabic analyser;
- ``he`` (Sphinx has none): vowel points and cantillation marks removed;
- ``ja``: Sphinx's own splitter (TinySegmenter) for the index, and the same model in the
  search page, so a query such as "パスワードをリセット" is split into words as the pages
  were (Sphinx splits queries only at spaces and punctuation);
- ``zh``, only when jieba (which Sphinx's Chinese search needs) is not installed:
  overlapping pairs of Han characters, the usual dictionary-free indexing of Chinese.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import ClassVar

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage
from sphinx.search.ja import DefaultSplitter, SearchJapanese
from sphinx.util import logging

from helpsite.findings import Code
from helpsite.sphinx import compat

logger = logging.getLogger(__name__)

_WORDS = re.compile(r"\w+")

# -- Arabic ------------------------------------------------------------------------------
# Harakat, Quranic marks, superscript alef and tatweel, as a regex class in \u escapes
# (the same text serves Python and JavaScript).
ARABIC_MARKS = r"\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_ARABIC_MARKS = re.compile(f"[{ARABIC_MARKS}]")
_ARABIC_LETTERS = str.maketrans({"\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627",
                                 "\u0671": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647"})
ARABIC_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل")
ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_STOPWORD_TEXT = ("من في علي الي عن ان او ثم هذا هذه ذلك تلك التي الذي كل مع لا ما قد هو هي "
                  "كان لم لن اذا عند بين كما حتي بعد قبل غير")
ARABIC_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def normalize_arabic(text: str) -> str:
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)


def stem_arabic(word: str) -> str:
    """Light stemming of a normalized word (the same rules as the JavaScript below)."""
    if word.startswith("و") and len(word) > 3:
        word = word[1:]
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix):]
            break
    for suffix in ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


_ARABIC_JS_NORMALIZE = """
function helpsiteNormalizeArabic(text) {
  return text.replace(/[@MARKS@]/g, "").replace(/[\\u0622\\u0623\\u0625\\u0671]/g, "\\u0627")
    .replace(/\\u0649/g, "\\u064a").replace(/\\u0629/g, "\\u0647");
}
""".replace("@MARKS@", ARABIC_MARKS)

ARABIC_JS_SPLITTER = _ARABIC_JS_NORMALIZE + """
function splitQuery(query) {
  return helpsiteNormalizeArabic(query)
    .split(/[^\\p{Letter}\\p{Number}_\\p{Emoji_Presentation}]+/gu)
    .filter(function (term) { return term; });
}
"""

ARABIC_JS_STEMMER = _ARABIC_JS_NORMALIZE + """
var Stemmer = function () {
  var prefixes = @PREFIXES@;
  var suffixes = @SUFFIXES@;
  this.stemWord = function (w) {
    w = helpsiteNormalizeArabic(w);
    if (w.startsWith("\\u0648") && w.length > 3) w = w.slice(1);
    for (var i = 0; i < prefixes.length; i++) {
      if (w.startsWith(prefixes[i]) && w.length - prefixes[i].length >= 2) {
        w = w.slice(prefixes[i].length);
        break;
      }
    }
    for (var j = 0; j < suffixes.length; j++) {
      if (w.endsWith(suffixes[j]) && w.length - suffixes[j].length >= 2) {
        w = w.slice(0, w.length - suffixes[j].length);
      }
    }
    return w;
  };
};
""".replace("@PREFIXES@", json.dumps(ARABIC_PREFIXES)).replace(
    "@SUFFIXES@", json.dumps(ARABIC_SUFFIXES))


class SearchArabic(SearchLanguage):
    lang = "ar"
    language_name = "Arabic"
    stopwords = ARABIC_STOPWORDS
    js_splitter_code = ARABIC_JS_SPLITTER
    js_stemmer_code = ARABIC_JS_STEMMER

    def split(self, input: str) -> list[str]:
        return _WORDS.findall(normalize_arabic(input))

    def stem(self, word: str) -> str:
        return stem_arabic(normalize_arabic(word.lower()))


# -- Hebrew ------------------------------------------------------------------------------
HEBREW_MARKS = "\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
_HEBREW_MARKS = re.compile(f"[{HEBREW_MARKS}]")
_HEBREW_JS_NORMALIZE = """
function helpsiteNormalizeHebrew(text) {
  return text.replace(/[\\u0591-\\u05bd\\u05bf\\u05c1\\u05c2\\u05c4\\u05c5\\u05c7]/g, "");
}
"""


def normalize_hebrew(text: str) -> str:
    return _HEBREW_MARKS.sub("", text)


class SearchHebrew(SearchLanguage):
    lang = "he"
    language_name = "Hebrew"
    js_splitter_code = _HEBREW_JS_NORMALIZE + """
function splitQuery(query) {
  return helpsiteNormalizeHebrew(query)
    .split(/[^\\p{Letter}\\p{Number}_\\p{Emoji_Presentation}]+/gu)
    .filter(function (term) { return term; });
}
"""
    js_stemmer_code = _HEBREW_JS_NORMALIZE + """
var Stemmer = function () {
  this.stemWord = function (w) { return helpsiteNormalizeHebrew(w); };
};
"""

    def split(self, input: str) -> list[str]:
        return _WORDS.findall(normalize_hebrew(input))

    def stem(self, word: str) -> str:
        return normalize_hebrew(word.lower())


# -- Japanese ----------------------------------------------------------------------------
def tinysegmenter_tables() -> dict[str, object]:
    """The model of Sphinx's own Japanese splitter, for the search page: the tables the
    script below reads (``m.NAME``), checked by compat."""
    return compat.japanese_splitter_model(frozenset(re.findall(r"\bm\.(\w+)", _JA_JS)))


_JA_JS = """
var helpsiteSegmenter = (function () {
  var m = @TABLES@;
  var patterns = m.patterns.map(function (p) { return [new RegExp(p[0]), p[1]]; });
  function ctype(c) {
    for (var i = 0; i < patterns.length; i++) if (patterns[i][0].test(c)) return patterns[i][1];
    return "O";
  }
  function ts(table, key) {
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : 0;
  }
  return function (input) {
    if (!input) return [];
    var chars = Array.from(input);
    var seg = ["B3", "B2", "B1"].concat(chars, ["E1", "E2", "E3"]);
    var ct = ["O", "O", "O"].concat(chars.map(ctype), ["O", "O", "O"]);
    var result = [], word = seg[3], p1 = "U", p2 = "U", p3 = "U";
    for (var i = 4; i < seg.length - 3; i++) {
      var s = m.BIAS__;
      var w1 = seg[i-3], w2 = seg[i-2], w3 = seg[i-1], w4 = seg[i], w5 = seg[i+1], w6 = seg[i+2];
      var c1 = ct[i-3], c2 = ct[i-2], c3 = ct[i-1], c4 = ct[i], c5 = ct[i+1], c6 = ct[i+2];
      s += ts(m.UP1__, p1) + ts(m.UP2__, p2) + ts(m.UP3__, p3);
      s += ts(m.BP1__, p1 + p2) + ts(m.BP2__, p2 + p3);
      s += ts(m.UW1__, w1) + ts(m.UW2__, w2) + ts(m.UW3__, w3);
      s += ts(m.UW4__, w4) + ts(m.UW5__, w5) + ts(m.UW6__, w6);
      s += ts(m.BW1__, w2 + w3) + ts(m.BW2__, w3 + w4) + ts(m.BW3__, w4 + w5);
      s += ts(m.TW1__, w1 + w2 + w3) + ts(m.TW2__, w2 + w3 + w4);
      s += ts(m.TW3__, w3 + w4 + w5) + ts(m.TW4__, w4 + w5 + w6);
      s += ts(m.UC1__, c1) + ts(m.UC2__, c2) + ts(m.UC3__, c3);
      s += ts(m.UC4__, c4) + ts(m.UC5__, c5) + ts(m.UC6__, c6);
      s += ts(m.BC1__, c2 + c3) + ts(m.BC2__, c3 + c4) + ts(m.BC3__, c4 + c5);
      s += ts(m.TC1__, c1 + c2 + c3) + ts(m.TC2__, c2 + c3 + c4);
      s += ts(m.TC3__, c3 + c4 + c5) + ts(m.TC4__, c4 + c5 + c6);
      s += ts(m.UQ1__, p1 + c1) + ts(m.UQ2__, p2 + c2) + ts(m.UQ1__, p3 + c3);
      s += ts(m.BQ1__, p2 + c2 + c3) + ts(m.BQ2__, p2 + c3 + c4);
      s += ts(m.BQ3__, p3 + c2 + c3) + ts(m.BQ4__, p3 + c3 + c4);
      s += ts(m.TQ1__, p2 + c1 + c2 + c3) + ts(m.TQ2__, p2 + c2 + c3 + c4);
      s += ts(m.TQ3__, p3 + c1 + c2 + c3) + ts(m.TQ4__, p3 + c2 + c3 + c4);
      var p = "O";
      if (s > 0) { result.push(word.trim()); word = ""; p = "B"; }
      p1 = p2; p2 = p3; p3 = p;
      word += seg[i];
    }
    result.push(word.trim());
    return result;
  };
})();

function splitQuery(query) {
  var words = [];
  query.split(/[^\\p{Letter}\\p{Number}_\\p{Emoji_Presentation}]+/gu).forEach(function (chunk) {
    if (chunk) words = words.concat(helpsiteSegmenter(chunk));
  });
  // Single characters are not in the index (Sphinx's word filter for Japanese).
  var long = words.filter(function (w) { return w.length > 1; });
  return long.length ? long : words.filter(function (w) { return w; });
}
"""


class SearchJapaneseSegmented(SearchJapanese):
    """Sphinx's Japanese search, with the query split in the browser as the index was.
    Text is cut at spaces and punctuation first, in both, so they agree word for word."""

    js_splitter_code: ClassVar[str] = _JA_JS.replace("@TABLES@", json.dumps(
        tinysegmenter_tables(), ensure_ascii=False, separators=(",", ":")))

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.segmented = isinstance(self.splitter, DefaultSplitter)
        if not self.segmented:
            self.js_splitter_code = ""  # MeCab or Janome: Sphinx's behaviour, unchanged

    def split(self, input: str) -> list[str]:
        if not self.segmented:
            return super().split(input)
        return [word for chunk in _WORDS.findall(input)
                for word in self.splitter.split(chunk) if word]


# -- Chinese without jieba ---------------------------------------------------------------
_HAN_JS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = _HAN_JS.encode("ascii").decode("unicode_escape")
_HAN_RUN = re.compile(f"[{_HAN}]+|[^{_HAN}]+")


def han_bigrams(text: str) -> list[str]:
    words: list[str] = []
    for chunk in _WORDS.findall(text):
        for run in _HAN_RUN.findall(chunk):
            if re.match(f"[{_HAN}]", run):
                words.extend([run] if len(run) == 1 else
                             [run[i:i + 2] for i in range(len(run) - 1)])
            else:
                words.append(run)
    return words


_ZH_JS = """
function splitQuery(query) {
  var han = /[@HAN@]/;
  var words = [];
  query.split(/[^\\p{Letter}\\p{Number}_\\p{Emoji_Presentation}]+/gu).forEach(function (chunk) {
    (chunk.match(/[@HAN@]+|[^@HAN@]+/g) || []).forEach(function (run) {
      if (!han.test(run) || run.length === 1) { words.push(run); return; }
      for (var i = 0; i < run.length - 1; i++) words.push(run.slice(i, i + 2));
    });
  });
  return words;
}
""".replace("@HAN@", _HAN_JS)


class SearchChineseBigrams(SearchLanguage):
    lang = "zh"
    language_name = "Chinese"
    js_splitter_code = _ZH_JS

    def split(self, input: str) -> list[str]:
        return han_bigrams(input)


# -- Pagefind (helpsite_search = "pagefind") ---------------------------------------------

def uses_pagefind(app: Sphinx) -> bool:
    return app.config.helpsite_search == "pagefind" and app.builder.format == "html"


def mark_article_body(app: Sphinx, pagename: str, templatename: str,
                      context: dict[str, object], doctree: object) -> None:
    """``html-page-context``: an article page (a document, not the home page) gets
    ``data-pagefind-body`` on its article; the home page, the category pages and the
    generated pages (404, search, help IDs) do not, so Pagefind never indexes them."""
    context["helpsite_search_engine"] = app.config.helpsite_search
    context["helpsite_search_body"] = (
        uses_pagefind(app) and pagename in app.env.found_docs and doctree is not None
        and pagename != app.config.root_doc and pagename not in category_pages(app))


def category_pages(app: Sphinx) -> set[str]:
    """The writer's category documents (``billing/index``): lists, not articles."""
    nav = getattr(app.env, "helpsite_nav", None)
    return {category.page for category in getattr(nav, "categories", [])}


def index_with_pagefind(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: this locale's output folder indexed into ``pagefind/``."""
    if exception is not None or not uses_pagefind(app):
        return
    if app.config.helpsite_search_deferred:  # the preview indexes once the pages show
        logger.info("pagefind: index left to the preview (helpsite_search_deferred)")
        return
    from helpsite.search.pagefind import PagefindError, index_site

    try:
        result = index_site(Path(app.outdir), str(app.config.helpsite_locale))
    except PagefindError as error:
        logger.warning("%s: %s", Code.BUILD_SEARCH_INDEX.code, error,
                       type="helpsite", subtype=Code.BUILD_SEARCH_INDEX.code)
        return
    if result.pages < 0:
        logger.info("pagefind: no article changed, index kept (%.2f s)", result.seconds)
        return
    logger.info("pagefind: %d pages indexed, %d files, %d bytes in %.2f s", result.pages,
                result.files, result.bytes, result.seconds)


def register(app: Sphinx) -> None:
    app.connect("html-page-context", mark_article_body)
    app.connect("build-finished", index_with_pagefind)
    app.add_search_language(SearchArabic)
    app.add_search_language(SearchHebrew)
    app.add_search_language(SearchJapaneseSegmented)
    if importlib.util.find_spec("jieba") is None:
        app.add_search_language(SearchChineseBigrams)
