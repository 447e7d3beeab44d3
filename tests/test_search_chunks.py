"""helpsite.search.chunks: Pagefind's word index cut into smaller chunks.

On real Thai and Dutch articles from ../shared, indexed by Pagefind's binary: cutting the
chunks again keeps every word with its pages and locations, in order; every word is in
the one chunk Pagefind's lookup picks for it (the first whose bounds hold it); the
metadata and entry files name the new files and no old chunk is left; the same index
gives the same bytes; an index of an unknown version is left as it is. The browser tests
(test_browser_search.py) search rechunked indexes, as every build makes them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpsite.search import chunks
from helpsite.search.pagefind import prepared_articles, run_pagefind, write_articles
from test_browser_search import article_page, localized

ARTICLES = 40
SMALL = 300  # locations per chunk: many chunks from 40 articles


def pagefind_output(corpus: Path, tag: str, root: Path) -> Path:
    """``ARTICLES`` real articles of ``tag`` indexed by Pagefind alone (not rechunked)."""
    site = root / "site"
    site.mkdir(parents=True)
    for source in sorted((corpus / "alchemy-sxs" / tag).glob("*.md"))[:ARTICLES]:
        title, paragraphs = localized(source.read_text(encoding="utf-8"))
        (site / f"{source.stem}.html").write_text(article_page(tag, title, paragraphs),
                                                  encoding="utf-8")
    articles, _ = prepared_articles(site, tag)
    prepared = root / "prepared"
    write_articles(articles, prepared)
    output = root / "pagefind"
    assert run_pagefind(prepared, tag, output) == ARTICLES
    return output


@pytest.fixture(scope="module", params=["th-TH", "nl-NL"])
def original(request: pytest.FixtureRequest, corpus: Path,
             tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pagefind_output(corpus, request.param, tmp_path_factory.mktemp(request.param))


def rechunked(original: Path, target: Path, size: int = SMALL) -> Path:
    shutil.copytree(original, target)
    assert chunks.rechunk(target, size)
    return target


def meta_of(output: Path) -> list:
    entry = json.loads((output / chunks.ENTRY).read_text(encoding="utf-8"))
    (info,) = entry["languages"].values()
    return chunks.read(output / f"pagefind.{info['hash']}.pf_meta")


def all_words(output: Path) -> list:
    return [word for chunk in meta_of(output)[chunks.META_CHUNKS]
            for word in chunks.read(output / "index" / f"{chunk[2]}.pf_index")[0]]


def test_the_same_words_pages_and_locations_in_more_chunks(original: Path,
                                                           tmp_path: Path) -> None:
    again = rechunked(original, tmp_path / "again")
    before, after = meta_of(original), meta_of(again)
    assert all_words(again) == all_words(original)
    assert len(after[chunks.META_CHUNKS]) > 3 * len(before[chunks.META_CHUNKS])
    assert after[:chunks.META_CHUNKS] == before[:chunks.META_CHUNKS]  # version, pages
    for chunk in after[chunks.META_CHUNKS]:
        words = chunks.read(again / "index" / f"{chunk[2]}.pf_index")[0]
        # closed as soon as it holds SMALL locations: only its last word may pass it
        assert sum(chunks.locations(w) for w in words[:-1]) < SMALL


def test_every_word_is_in_the_chunk_pagefinds_lookup_picks(original: Path,
                                                          tmp_path: Path) -> None:
    again = rechunked(original, tmp_path / "again")
    bounds = meta_of(again)[chunks.META_CHUNKS]
    for chunk in bounds:
        for word in chunks.read(again / "index" / f"{chunk[2]}.pf_index")[0]:
            # Pagefind's request_indexes: the first chunk with from <= word <= to
            picked = next(b for b in bounds if b[0] <= word[0] <= b[1])
            assert picked[2] == chunk[2], f"{word[0]!r} looked up in {picked}, is in {chunk}"


def test_the_files_named_are_the_files_there(original: Path, tmp_path: Path) -> None:
    again = rechunked(original, tmp_path / "again")
    named = {f"{c[2]}.pf_index" for c in meta_of(again)[chunks.META_CHUNKS]}
    assert {p.name for p in (again / "index").iterdir()} == named
    assert len(list(again.glob("*.pf_meta"))) == 1
    fragments = sorted(p.name for p in (original / "fragment").iterdir())
    assert sorted(p.name for p in (again / "fragment").iterdir()) == fragments


def test_the_same_index_gives_the_same_bytes(original: Path, tmp_path: Path) -> None:
    one, two = rechunked(original, tmp_path / "one"), rechunked(original, tmp_path / "two")
    files = {p.relative_to(one): p.read_bytes() for p in one.rglob("*") if p.is_file()}
    assert files == {p.relative_to(two): p.read_bytes() for p in two.rglob("*") if p.is_file()}


def test_an_index_of_an_unknown_version_is_left_as_it_is(original: Path,
                                                        tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(original, copy)
    meta_path = next(copy.glob("*.pf_meta"))
    meta = chunks.read(meta_path)
    meta[0] = "9.0.0"
    meta_path.write_bytes(chunks.encode(meta))
    before = {p.name: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    assert chunks.rechunk(copy) is False
    assert {p.name: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == before
