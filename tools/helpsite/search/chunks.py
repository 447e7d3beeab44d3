"""Pagefind's word index cut into smaller chunks, so that a query downloads less.

A query loads one chunk of the word index per word (``index/*.pf_index``). Pagefind cuts
the index every 20,000 word locations, a size its source marks "TODO: Parameterize" and
no option sets; on the real help corpus a chunk is 33–96 KB compressed and a six-word
query loaded about 280 KB of them (th-TH, median). :func:`rechunk` cuts the same words
again every ``CHUNK_LOCATIONS`` locations and rewrites the chunk list in the metadata
file: the words, their pages and their locations are unchanged, so the results are
the same (tests/test_search_chunks.py compares them, and ``make bench-search`` measures
recall and bytes).

This module is helpsite's one place that knows Pagefind's file format (a private
format, so it is read only for the Pagefind versions helpsite declares, ``SUPPORTED``):
every ``.pf_*`` file is gzip of ``pagefind_dcd`` and a CBOR value; the metadata is an
array whose third item is the chunk list, ``[first word, last word, file name]``, the
start of each shortened to the shortest prefix that tells it from the previous chunk's
end (:func:`shortest_start`); a chunk is ``[[word, pages, …], …]`` in word
order, ``pages`` a list of ``[page number, locations, …]``. An index in any other shape
is left as Pagefind wrote it (:func:`rechunk` returns False).
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
from pathlib import Path
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"
SUPPORTED = ("1.5.",)  # pyproject: pagefind>=1.5,<1.6
# Locations per chunk (Pagefind: 20,000). Measured on th-TH (make bench-search): 4,000
# took a query's chunks from 283 KB to 62 KB (median), 1,500 to 41 KB; smaller gains
# little more, as a frequent word is a chunk of its own however small the size.
CHUNK_LOCATIONS = 2_000
META_CHUNKS = 2  # the chunk list's place in the metadata array
ENTRY = "pagefind-entry.json"


def read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name}: not a Pagefind file")
    return cbor2.loads(data[len(SIGNATURE):])


def encode(value: Any) -> bytes:
    """A Pagefind file's bytes; ``mtime=0``: the same index, the same bytes."""
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def locations(word: list[Any]) -> int:
    """The word's share of a chunk, counted as Pagefind counts it (a location each, one
    per page), with the variants Pagefind stores after the pages."""
    count = sum(len(page[1]) + 1 for page in word[1])
    for variant in word[2] if len(word) > 2 and isinstance(word[2], list) else []:
        count += sum(len(page[1]) + 1 for page in variant[1])
    return count


def cut(words: list[list[Any]], size: int) -> list[list[list[Any]]]:
    """Consecutive runs of ``words``, each closed once it holds ``size`` locations."""
    chunks: list[list[list[Any]]] = []
    current: list[list[Any]] = []
    held = 0
    for word in words:
        current.append(word)
        held += locations(word)
        if held >= size:
            chunks.append(current)
            current, held = [], 0
    if current:
        chunks.append(current)
    return chunks


def shortest_start(last: str, first: str) -> str:
    """Where a chunk starts: its first word cut to one character past what it shares
    with the previous chunk's last word, so that an unfinished query word ("abd" between
    "abcx" and "abdy") finds the chunk its words are in. The previous chunk ends at its
    last word, whole: Pagefind also cuts the end (to "abc"), and then its own lookup
    (the first chunk with start <= word <= end) found no chunk for "abcx", in a query of
    several words (whose other words found theirs) not even by prefix."""
    common = 0
    for a, b in zip(last, first, strict=False):
        if a != b:
            break
        common += 1
    return first[:common + 1]


def file_name(language: str, data: bytes, length: int) -> str:
    return f"{language}_{hashlib.sha256(data).hexdigest()[:length]}"


def supported(meta: Any) -> bool:
    return (isinstance(meta, list) and len(meta) > META_CHUNKS
            and isinstance(meta[0], str) and meta[0].startswith(SUPPORTED)
            and isinstance(meta[META_CHUNKS], list)
            and all(isinstance(c, list) and len(c) == 3 for c in meta[META_CHUNKS]))


def rechunk(output: Path, size: int = CHUNK_LOCATIONS) -> bool:
    """Cut every language index of the Pagefind ``output`` folder into chunks of ``size``
    locations; False (nothing changed) when the index is not in the known format."""
    entry_path = output / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    planned = []
    for language, info in entry.get("languages", {}).items():
        meta_path = output / f"pagefind.{info['hash']}.pf_meta"
        meta = read(meta_path)
        if not supported(meta):
            return False
        planned.append((language, info, meta_path, meta))
    for language, info, meta_path, meta in planned:
        info["hash"] = _rewrite(output, language, meta_path, meta, size)
    _write(entry_path, json.dumps(entry, separators=(",", ":")).encode())
    return True


def _rewrite(output: Path, language: str, meta_path: Path, meta: list[Any],
             size: int) -> str:
    """One language's chunks written anew and its metadata with them; the new
    metadata's name (its hash, as the entry file names it)."""
    index = output / "index"
    old = [index / f"{chunk[2]}.pf_index" for chunk in meta[META_CHUNKS]]
    words = [word for path in old for word in read(path)[0]]
    bounds = []
    for chunk in cut(words, size):
        data = encode([chunk])
        name = file_name(language, data, 7)
        _write(index / f"{name}.pf_index", data)
        bounds.append([chunk[0][0], chunk[-1][0], name])
    for before, after in itertools.pairwise(bounds):
        after[0] = shortest_start(before[1], after[0])
    meta[META_CHUNKS] = bounds
    data = encode(meta)
    name = file_name(language, data, len(language) + 8)
    kept = {index / f"{b[2]}.pf_index" for b in bounds}
    for path in old:
        if path not in kept:
            path.unlink(missing_ok=True)
    meta_path.unlink()
    _write(output / f"pagefind.{name}.pf_meta", data)
    return name


def _write(path: Path, data: bytes) -> None:
    # Written in place: index_site rechunks its staging folder, swapped in whole.
    path.write_bytes(data)
