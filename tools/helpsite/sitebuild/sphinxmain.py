"""``python -m helpsite.sitebuild.sphinxmain ARGS``: sphinx-build tuned for short runs.

Four costs of building a large site are Python's, not Sphinx's:

- Start-up creates millions of long-lived objects (the modules, then the pickled
  environment: ~6 MB for 3,000 articles), and the cyclic garbage collector walks them
  again and again while they are created — more than half of the time spent unpickling.
  So the collector is off during start-up; :mod:`helpsite.sphinx.startup` freezes what
  start-up made and turns it back on once the builder exists (reading thousands of
  documents does leave cyclic garbage).
- Reading keeps every doctree of a cold build in memory until it is written, so the
  collector's full collections (every object, each time the long-lived ones have grown
  by a quarter) get slower and slower. With Python's defaults (700, 10, 10) a cold build
  of the 2,921 real articles spent 7.0 s of 65 s CPU collecting in German, 4.1 s of 51 s
  in English. Collecting the youngest generation every 5,000 allocations instead of 700
  and considering a full collection a tenth as often (``THRESHOLDS``): 2.1 s and 1.6 s,
  for 7 % more peak memory (300 MB). Translated builds gain most: their catalogs and
  throw-away message documents make more long-lived objects.
- Furo's theme module imports BeautifulSoup, which imports soupsieve, which compiles its
  CSS grammar: 0.13 s of the 2 s a locale needs to take in one edited catalog entry.
  Nothing a build runs selects with CSS, so soupsieve is imported when something first
  uses it (:func:`defer_import`; importlib's own ``LazyLoader`` does not help here: on
  Python 3.11 an ``import`` statement itself starts the loading).
- At interpreter exit Python frees the build's objects one by one — for a 3,000-article
  environment over half a second. Everything the build writes is closed by then, so this
  entry point flushes the standard streams and leaves with ``os._exit``.

The locale processes of :mod:`helpsite.sitebuild.localeprocess` run it; it takes sphinx-build's
arguments and nothing else.
"""

from __future__ import annotations

import gc
import os
import sys

# gc.set_threshold values: youngest generation, middle, oldest (see above).
THRESHOLDS = (5_000, 20, 100)


# Imported at start-up, seldom used by a build: imported on first use instead.
DEFERRED = ("soupsieve",)


def defer_import(name: str) -> None:
    """Make ``import name`` return at once; the module is imported when first used
    (:func:`helpsite.sphinx.compat.defer_import`, imported here once the collector is
    off, as every module start-up imports)."""
    from helpsite.sphinx.compat import python_api

    python_api.defer_import(name)


def prepare() -> None:
    gc.disable()
    gc.set_threshold(*THRESHOLDS)  # in effect once startup turns the collector back on
    # Imported with the collector off, as the build would import it anyway.
    from helpsite.sphinx import startup

    startup.note_paused_collection()  # only this process's collector is helpsite's
    for name in DEFERRED:
        defer_import(name)


def build(argv: list[str]) -> int:
    from sphinx.cmd.build import main  # imported with the collector off (prepare)

    return main(argv)


def run(argv: list[str]) -> None:
    status = build(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    prepare()
    run(sys.argv[1:])
