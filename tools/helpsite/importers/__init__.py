"""Import existing translations: side-by-side files and localized Markdown trees.

The pipeline is the same for both inputs: a source article, the same article in the
target language, and the per-translation front matter. ``sxs`` and ``localized`` read the
inputs; ``extract`` runs Sphinx's gettext builder to get the exact messages a build uses;
``align`` pairs the messages of the two trees by document structure; ``catalogs`` turns
the pairs into PO files; ``state`` remembers what was imported so a re-import is
idempotent and never overwrites a translator's edit. ``make bench-import``
(``bench/fidelity.py``, outside the package) measures the result.
"""
