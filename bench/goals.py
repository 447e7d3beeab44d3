"""Every goal the benchmarks judge a measurement against, in one place.

A goal is what issue discussions agreed a measurement must reach on the 2-core build
machine; a benchmark prints it beside its figure and, with ``--fail-on-goal`` where it
has one, exits 1 when it is missed. Change a goal here, not in a benchmark.
"""

from __future__ import annotations

# make bench (bench/build.py): helpsite against plain sphinx-build on the corpus.
BUILD_GOALS = {
    "ratio": 1.25,  # the per-locale page cost of a target locale over the source locale's
    "cold": 240.0,  # seconds of a cold build of the whole corpus
    "cold_vs_plain": 0.35,  # share of plain Sphinx's cold build time
    "po": 2.0,  # seconds to rebuild after one changed PO file
    "article": 2.0,  # seconds to rebuild after one changed article
    "unchanged": 1.5,  # seconds of a build where nothing changed
    "memory_mb": 1024.0,  # peak resident memory of a cold build
    "doctrees": 2.0,  # a target locale's doctree bytes over the source locale's
}

# make bench --inputs corpus-10: the whole real site, English + the ten sxs locales.
BUILD_TEN_GOALS = {
    "cold": 360.0,  # seconds of a cold build of all eleven locales
    "memory_mb": 1536.0,  # peak resident memory of all build processes together
    "unchanged": 1.0,  # seconds per locale of a build where nothing changed
}

# make bench-validate (bench/validate.py): CPU seconds to validate one corpus locale.
VALIDATE_CPU_SECONDS = 10.0

# make bench-handoff (bench/handoff.py): per locale, the share of translated fills
# identical to the human translation, and the CPU seconds of building and filling.
HANDOFF_PRECISION_PERCENT = 98.0
HANDOFF_CPU_SECONDS = 20.0

# make bench-import (bench/fidelity.py): lowest share of blocks the imported site
# reproduces exactly.
FIDELITY_MIN_SHARE = 0.99

# make bench-search (bench/search.py): known-item search in each of the ten sxs locales.
SEARCH_GOALS = {
    "title_recall_5": 0.9,  # recall@5 of queries made of a translated title, every locale
    "paragraph_recall_5": 0.7,  # recall@5 of a window of the first paragraph
    "query_kb": 300.0,  # KB (1000 bytes) a fresh reader downloads for one query
}
