"""Source words in every script, counted the way translation vendors' CAT tools count them.

Splitting on whitespace counts a whole Chinese or Thai sentence as one word: those
scripts put no spaces between words. The rule (documented in docs/translating.md):

- a Han character, a hiragana or a katakana is one word (as Trados Studio and memoQ
  count Chinese and Japanese);
- Thai, Lao, Khmer and Myanmar, written without spaces, are split into words with ICU's
  dictionary-based word breaks (the segmentation the browser's ``Intl.Segmenter`` uses);
- everything else, Korean included (it puts spaces between its words), counts one word
  per whitespace-separated token, as before;
- a token of punctuation only (``。``, ``–``, the ``\\`` of an escaped ``\\>``) is no word.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_IDEOGRAPHS = ("\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
               "\uff66-\uff9f\U00020000-\U0003ffff")
_UNSPACED = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer
_NEEDS_RULE = re.compile(f"[{_IDEOGRAPHS}{_UNSPACED}]")
_PIECE = re.compile(f"(?P<ideograph>[{_IDEOGRAPHS}])|(?P<unspaced>[{_UNSPACED}]+)"
                    f"|(?P<other>[^\\W{_IDEOGRAPHS}{_UNSPACED}]+)")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_ICU_WORD_STATUS = 100  # UBRK_WORD_NUMBER and above: numbers, letters, kana, ideographs


@functools.cache
def word_breaker(language: str) -> Any:  # PyICU has no type stubs
    """ICU's word breaker for ``language`` (``th``, ``ja``): the one helpsite uses to
    count words and to split pages for the search index. One per language and process:
    callers set its text and read it to the end before the next one does."""
    import icu  # PyICU (pyicu-wheels); only text in an unspaced script needs it

    return icu.BreakIterator.createWordInstance(icu.Locale(language))


def _unspaced_words(run: str) -> int:
    """Words of a run of Thai (Lao, Khmer, Myanmar) letters, by ICU's dictionaries."""
    breaker = word_breaker("th")
    breaker.setText(run)
    count = 0
    for _ in breaker:  # each boundary after the first; its rule status says what ended
        if breaker.getRuleStatus() >= _ICU_WORD_STATUS:
            count += 1
    return max(count, 1)


def token_words(token: str) -> int:
    """Words in one whitespace-free token: one, unless it holds Han, kana or an unspaced
    script (then each ideograph is a word, a Thai run its ICU words, a Latin run one)."""
    if not _NEEDS_RULE.search(token):
        return 1 if _LETTER_OR_DIGIT.search(token) else 0
    count = 0
    for piece in _PIECE.finditer(token):
        if piece.lastgroup == "unspaced":
            count += _unspaced_words(piece.group())
        else:
            count += 1
    return count


def count_text_words(text: str) -> int:
    """Words of plain text (markup already removed), by the rule of this module."""
    return sum(token_words(token) for token in text.split())
