"""make bench-search (bench/search.py): the known-item queries and the metrics it reports.

The benchmark itself needs a built ten-locale site and chromium (minutes); these tests
check, in milliseconds, what its figures rest on: which words a query has (Thai marks kept,
punctuation dropped), that a paragraph window is a real run of the article's paragraph and
the same on every run, which articles are left out, how recall and MRR are computed, and
how a result URL becomes a docname. The windows are taken from real sxs articles.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from helpsite.importers.sxs import split_sxs

from bench.search import (
    HAN_WINDOW,
    RANKED,
    THAI_WINDOW,
    WORD_WINDOW,
    Article,
    article_glob,
    article_rng,
    choose_queries,
    is_search_file,
    letters_per_english_word,
    no_nan,
    paragraph_query,
    rank_of,
    read_article,
    score,
    title_query,
    url_docname,
    words,
)

ARTICLE = "azure-subscription-payment-change.md"  # the project's seed article
SXS_PAIR = re.compile(r'<span data-ttu-id="[^"]+">(.*?)</span><span class="sxs-lookup">'
                      r'<span data-stu-id="[^"]+">(.*?)</span></span>', re.S)


def localized(corpus: Path, tag: str) -> tuple[str, str]:
    """Title and first paragraph of the seed article's translation in ``tag``, from the
    sxs file of ../shared (``corpus``: the session fixture that fails in CI without it;
    the first span of each pair), markup stripped."""
    text = (corpus / "alchemy-sxs" / tag / ARTICLE).read_text(encoding="utf-8-sig")
    body = split_sxs(text, ARTICLE).translated.split("\n---", 2)[-1]
    lines = [line.strip() for line in body.splitlines()]
    title = next(line for line in lines if line.startswith("# "))
    after = lines[lines.index(title) + 1:]
    paragraph = next(line for line in after if line and not line.startswith(("#", "!", "|")))

    def plain(markdown: str) -> str:
        markdown = re.sub(r"<[^>]+>", "", markdown)
        return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown).replace("**", "")

    return plain(title[2:]), plain(paragraph)


# -- words and titles


def test_words_keep_thai_marks_and_drop_punctuation() -> None:
    # กำหนด has a mark (U+0E33 is a vowel, U+0E34 in ที่ a mark): Python's \w would cut it.
    assert words("ที่อยู่, กำหนดค่า (Azure)!") == ["ที่อยู่", "กำหนดค่า", "Azure"]
    assert words("1:1 oproepopname — «test»") == ["1", "1", "oproepopname", "test"]


def test_title_query_is_the_words_of_the_title() -> None:
    assert title_query("Wijzig uw betalingsmethode: Azure-abonnement") == \
        "Wijzig uw betalingsmethode Azure abonnement"
    assert title_query("  ¿Qué?  ") == "Qué"


# -- paragraph windows on real articles


def test_word_window_is_consecutive_words_of_the_real_paragraph(corpus: Path) -> None:
    title, paragraph = localized(corpus, "nl-NL")
    assert title_query(title)
    query = paragraph_query(paragraph, "nl-NL", article_rng(18, "nl-NL", "x"))
    assert query is not None
    assert len(query.split()) == WORD_WINDOW
    assert query in " ".join(words(paragraph))
    # The same seed, locale and article give the same window; the generator is per article.
    assert query == paragraph_query(paragraph, "nl-NL", article_rng(18, "nl-NL", "x"))


@pytest.mark.parametrize(("tag", "size", "script"), [
    ("zh-TW", HAN_WINDOW, "[\u4e00-\u9fff]{2,}"), ("th-TH", THAI_WINDOW, "[\u0e00-\u0e7f]{4,}")])
def test_character_window_starts_a_clause_of_the_real_paragraph(
        corpus: Path, tag: str, size: int, script: str) -> None:
    title, paragraph = localized(corpus, tag)
    assert re.search(script, title_query(title))  # the title's own script, not cut apart
    text = " ".join(words(paragraph))
    for seed in range(5):
        query = paragraph_query(paragraph, tag, random.Random(seed))
        assert query is not None and len("".join(words(query))) == size  # letters
        start = text.index(query)
        assert start == 0 or text[start - 1] == " "


def test_short_paragraph_gives_no_query() -> None:
    rng = random.Random(1)
    assert paragraph_query("Te kort voor een venster.", "nl-NL", rng) is None
    assert paragraph_query("太短了", "zh-TW", rng) is None


# -- which articles are asked for


def test_untranslated_and_ambiguous_articles_are_left_out() -> None:
    long = "een twee drie vier vijf zes zeven acht negen"
    articles = [Article("a", "Wachtwoord wijzigen", long),
                Article("b", "Factuur lezen", long),
                Article("c", "Factuur lezen!", long),  # the same words as b: ambiguous
                Article("d", "Reset your password", long),  # the English title: untranslated
                Article("e", "Gebruikers toevoegen", "kort")]
    english = {"a": "Change password", "b": "Read invoice", "c": "Read an invoice",
               "d": "Reset your password", "e": "Add users"}
    sets = choose_queries(articles, english, "nl-NL", limit=10, seed=3)
    assert (sets.articles, sets.untranslated, sets.ambiguous) == (5, 1, 2)
    assert sorted(q.docname for q in sets.title) == ["a", "e"]
    assert [q.docname for q in sets.paragraph] == ["a"]  # e's paragraph has no window
    again = choose_queries(articles, english, "nl-NL", limit=10, seed=3)
    assert again.title == sets.title and again.paragraph == sets.paragraph
    assert len(choose_queries(articles, english, "nl-NL", limit=1, seed=3).title) == 1


def test_read_article_skips_helpsite_lines_and_the_heading_link(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><article role='main'><section><h1>Factuur lezen"
        "<a class='headerlink' href='#x'>¶</a></h1>"
        "<p class='helpsite-date'>Laatst bijgewerkt op een dag in december twee</p>"
        "<div class='helpsite-note'><p>Dit artikel is automatisch vertaald door een machine.</p>"
        "</div><p>Kort.</p><p>Open het Microsoft 365-beheercentrum en kies Facturering.</p>"
        "</section></article></body></html>", encoding="utf-8")
    article = read_article(page, "billing/read", "nl-NL")
    assert article == Article("billing/read", "Factuur lezen",
                              "Open het Microsoft 365-beheercentrum en kies Facturering.")
    (tmp_path / "other.html").write_text("<html><body><p>geen artikel</p></body></html>",
                                         encoding="utf-8")
    assert read_article(tmp_path / "other.html", "other", "nl-NL") is None
    assert read_article(tmp_path / "missing.html", "missing", "nl-NL") is None


# -- metrics


def test_recall_and_mrr_of_a_hand_made_ranking() -> None:
    rankings = [["a", "b"], ["x", "y", "b"], ["x"], ["1", "2", "3", "4", "5", "b"]]
    ranks = [rank_of("a", rankings[0]), rank_of("b", rankings[1]), rank_of("b", rankings[2]),
             rank_of("b", rankings[3])]
    assert ranks == [1, 3, None, 6]
    result = score(ranks)
    assert (result.queries, result.recall_1, result.recall_5) == (4, 0.25, 0.5)
    assert result.mrr == pytest.approx((1 + 1 / 3 + 0 + 1 / 6) / 4)
    assert score([]).mrr == 0.0


def test_rank_beyond_the_kept_results_is_a_miss() -> None:
    ranking = [f"d{i}" for i in range(RANKED + 3)]
    assert rank_of(f"d{RANKED - 1}", ranking) == RANKED
    assert rank_of(f"d{RANKED}", ranking) is None


@pytest.mark.parametrize(("url", "docname"), [
    ("/nl-nl/billing/read.html#steps", "billing/read"),
    ("http://127.0.0.1:8000/nl-nl/a.html?highlight=x", "a"),
    ("/commercial-dialogues/b.html", "commercial-dialogues/b"),
    ("/nl-nl/", "index"),
    ("/help/9003546/", "help/9003546/index"),
])
def test_result_url_to_docname(url: str, docname: str) -> None:
    assert url_docname(url, "nl-nl") == docname


def test_search_files_are_the_engines_not_the_pages() -> None:
    assert is_search_file("http://h/nl-nl/searchindex.js")
    assert is_search_file("http://h/nl-nl/_static/searchtools.js?v=1")
    assert is_search_file("http://h/nl-nl/pagefind/fragment/nl_1.pf_fragment")
    assert not is_search_file("http://h/nl-nl/_static/styles/furo.css")
    assert not is_search_file("http://h/nl-nl/search.html")


def test_figures_not_measured_are_null_in_json() -> None:
    assert no_nan({"a": [1.0, float("nan")], "b": {"c": float("nan")}}) == \
        {"a": [1.0, None], "b": {"c": None}}


def test_fallback_index_leaves_out_the_help_id_redirects() -> None:
    glob = article_glob(["a", "commercial-dialogues/b", "commercial-dialogues/c", "help/x"])
    assert glob == "{*.html,commercial-dialogues/**/*.html}"


@pytest.mark.parametrize(("tag", "size"), [("zh-TW", HAN_WINDOW), ("th-TH", THAI_WINDOW)])
def test_a_character_window_holds_what_six_english_words_hold(
        corpus: Path, tag: str, size: int) -> None:
    """The windows' sizes are six times the letters per English word of the locale's
    real sentence pairs (every sxs file of ../shared), measured again."""
    pairs = []
    for path in sorted((corpus / "alchemy-sxs" / tag).glob("*.md")):
        pairs += SXS_PAIR.findall(path.read_text(encoding="utf-8-sig"))
    assert len(pairs) > 10_000
    plain = [(re.sub(r"<[^>]+>", "", t), re.sub(r"<[^>]+>", "", e)) for t, e in pairs]
    assert round(WORD_WINDOW * letters_per_english_word(plain)) == size
