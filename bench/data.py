"""Where the benchmarks find the real corpus: one default, one override.

The corpus is not in this repository; it lives in a folder beside it (``../shared``).
``HELPSITE_SHARED`` names another folder, and each benchmark's ``--corpus`` (or ``--sxs``)
option overrides both for one run.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_ENV = "HELPSITE_SHARED"
SXS_CORPUS = "alchemy-sxs"  # side-by-side files, one folder per locale
MARKDOWN_CORPUS = "alchemy"  # Markdown articles, one folder per locale
# Every locale of the sxs corpus, in the order the benchmarks import them (the first two
# are the ones ``make bench``'s ``corpus`` input has always used).
TEN_LOCALES = ("nl-NL", "de-DE", "fr-FR", "es-ES", "pt-BR", "pl-PL", "ru-RU", "ko-KR",
               "zh-TW", "th-TH")


def shared_dir() -> Path:
    """The folder holding ``corpus/``: ``$HELPSITE_SHARED``, else ``../shared``."""
    configured = os.environ.get(SHARED_ENV)
    return Path(configured) if configured else REPO.parent / "shared"


def corpus_dir(name: str) -> Path:
    """One corpus of the shared folder, ``SXS_CORPUS`` or ``MARKDOWN_CORPUS``."""
    return shared_dir() / "corpus" / name
