"""What Sphinx may discover in the source folder: no link out of it, no loop, no two names
one case-insensitive disk would merge.

Sphinx finds the documents by walking the source folder and following every symbolic link
(``os.walk(followlinks=True)`` in :func:`sphinx.util.matching.get_matching_files`): a
link to a folder that holds it publishes the same pages nested forty levels deep, and a
link to ``/etc`` publishes whatever is there. At ``config-inited`` this module walks the
tree the same way, and adds to ``exclude_patterns`` (the public way to keep a path from
Sphinx) each link that leads outside the source folder, to nothing, or into a folder it
is already inside; each gets a build warning. Links that stay inside are followed as
Sphinx would. Names in one folder that differ only in case (``A.md``, ``a.md``) are
warned about: their pages overwrite each other on case-insensitive hosts.

The walk is :func:`helpsite.checks.tree.tree_problems`, which gives ``helpsite validate``
the same findings, so the writer hears about it before a build.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.matching import Matcher

from helpsite.checks.tree import tree_problems

logger = logging.getLogger(__name__)

_GLOB_SPECIALS = str.maketrans({"*": "?", "?": "?", "[": "?", "]": "?"})


def exclude_pattern(relative: str) -> str:
    """An ``exclude_patterns`` entry for exactly this path (glob characters neutralised:
    each becomes '?', which matches the character itself)."""
    return relative.translate(_GLOB_SPECIALS)


def guard_source_tree(app: Sphinx, config: Config) -> None:
    """``config-inited``: keep links out of, to nothing or in a loop from Sphinx's
    discovery, and warn about each, and about names that differ only in case."""
    already = Matcher(config.exclude_patterns)
    problems = tree_problems(Path(app.srcdir), already)
    excluded = [exclude_pattern(p.path) for p in problems if p.excluded]
    if excluded:
        config.exclude_patterns = [*config.exclude_patterns, *excluded]
    for problem in problems:
        logger.warning("%s: %s", problem.code.code, problem.message,
                       location=f"{Path(app.srcdir) / problem.path}:1",  # a path, no docname
                       type="helpsite", subtype=problem.code.code)


def register(app: Sphinx) -> None:
    app.connect("config-inited", guard_source_tree)
