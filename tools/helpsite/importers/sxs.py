"""Side-by-side (sxs) files: split the span pairs into a source and a translated article.

DocFX's localization branches store every translated sentence next to its source::

    <span data-ttu-id="ab12-103">Vertaald.</span><span class="sxs-lookup"><span
    data-stu-id="ab12-103">Source.</span></span>

Everything outside the pairs (Markdown syntax, links between sentences, front matter) is
shared by both languages. Keeping the first span of each pair gives the translated
article, keeping the second gives the source article; both keep the file's line
structure, so a line number in one is (nearly) the line in the sxs file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from helpsite.article import parse_article
from helpsite.findings import Code, Finding, Severity
from helpsite.importers.meta import (
    PER_TRANSLATION_KEYS,
    TRANSLATABLE_KEYS,
    edit_front_matter,
    first_h1,
    strip_anchor,
)

# The two ids of a pair are the same; the backreference refuses a pair whose halves were
# mixed up. Non-greedy bodies stop at the closing markup, so a nested <span>https:</span>
# inside a sentence stays part of the sentence.
_PAIR = re.compile(
    r'<span data-ttu-id="(?P<id>[^"]+)">(?P<translated>.*?)</span>'
    r'<span class="sxs-lookup"><span data-stu-id="(?P=id)">(?P<source>.*?)</span></span>',
    re.DOTALL,
)
_LEFTOVER = re.compile(r'data-ttu-id=|data-stu-id=|class="sxs-lookup"')


@dataclass
class SxsSplit:
    """The two articles in one sxs file, and what could not be split."""

    source: str
    translated: str
    pairs: int
    findings: list[Finding] = field(default_factory=list)


def _line_of(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def split_sxs(text: str, display_path: str) -> SxsSplit:
    """Split decoded sxs text; an unpaired span marker becomes an error finding."""
    source = _PAIR.sub(lambda m: m["source"], text)
    translated = _PAIR.sub(lambda m: m["translated"], text)
    pairs = sum(1 for _ in _PAIR.finditer(text))
    findings = []
    remainder = _PAIR.sub(lambda m: "\0" * len(m[0]), text)
    for match in _LEFTOVER.finditer(remainder):
        line, column = _line_of(text, match.start())
        findings.append(Finding.of(
            Code.IMPORT_SXS_UNPAIRED, display_path, line, column,
            "a side-by-side span without its partner (or with different ids); the sentence "
            "cannot be split into source and translation. Repair the span pair.",
        ))
        break  # one finding per file is enough to point at the problem
    return SxsSplit(source, translated, pairs, findings)


def source_article(source_text: str, display_path: str) -> tuple[str | None, list[Finding]]:
    """The source article of an sxs file: its front matter without the per-translation
    fields and without translated-only fields, ``title`` taken from the source H1."""
    article = parse_article(source_text, Path(display_path), display_path)
    errors = [f for f in article.findings if f.severity is Severity.ERROR]
    if errors:
        return None, errors
    heading = first_h1(article.body)
    if heading is None:
        return None, [Finding.of(
            Code.IMPORT_NO_H1, display_path, article.body_start_line, 1,
            "no H1 ('# Title') in the article: the source title is taken from the H1's "
            "source sentence",
        )]
    title = strip_anchor(heading[0])
    # The sxs front matter is the translation's: every translatable value in it other
    # than the title (rebuilt from the H1 above) exists only in the target language.
    remove = set(PER_TRANSLATION_KEYS) | (set(TRANSLATABLE_KEYS) - {"title"})
    return edit_front_matter(source_text, remove, {"title": title}), []


def sentence_pairs(text: str) -> list[tuple[str, str]]:
    """The (source, translation) sentence pairs of decoded sxs text, in file order: the
    translation memory's units (:mod:`helpsite.handoff.memory`)."""
    return [(m["source"], m["translated"]) for m in _PAIR.finditer(text)]
