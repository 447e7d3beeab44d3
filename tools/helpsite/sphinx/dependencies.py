"""Missing dependencies: an article is read again when the file appears, not every build.

Sphinx records what a document depends on (its images, included files, its compiled
catalog) and reads the document again when one of them changed — and, when one of them
does not exist, on *every* build: an article with a broken image link (the real corpus
has some) would be read, translated and written again in every locale after any edit
anywhere, and a one-entry catalog change would rebuild those articles too.

So once reading is over (``env-updated``) the dependencies that do not exist are moved
from Sphinx's record into this module's (``env.helpsite_missing_dependencies``), and
``env-get-outdated`` reports a document again as soon as one of them exists. Its warning
("image file not readable") is given when it is read, like every other warning of an
unchanged article.
"""

from __future__ import annotations

from pathlib import Path
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

ATTRIBUTE = "helpsite_missing_dependencies"
# The documents each running build reads (the list Sphinx reads, filled in by then).
_READING: WeakKeyDictionary[Sphinx, list[str]] = WeakKeyDictionary()


def _missing(env: BuildEnvironment) -> dict[str, set[Path]]:
    store = getattr(env, ATTRIBUTE, None)
    if store is None:
        store = {}
        setattr(env, ATTRIBUTE, store)
    return store


def set_aside_missing(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: move the missing dependencies of the documents read this time."""
    store = _missing(env)
    for docname in _READING.pop(app, ()):
        depends = env.dependencies.get(docname)
        if not depends:
            continue
        missing = {path for path in depends if not path.is_file()}
        if missing:
            depends.difference_update(missing)
            store[docname] = missing
    return []


def note_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: which documents this build reads."""
    _READING[app] = docnames  # the list itself: later handlers may still add to it


def appeared(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
             removed: set[str]) -> list[str]:
    """``env-get-outdated``: documents one of whose missing files now exists."""
    return sorted(docname for docname, paths in _missing(env).items()
                  if docname in env.found_docs and any(p.is_file() for p in paths))


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """``env-purge-doc``: the document is read again (or gone)."""
    _missing(env).pop(docname, None)


def register(app: Sphinx) -> None:
    app.connect("env-before-read-docs", note_read_docs)
    app.connect("env-updated", set_aside_missing, priority=100)
    app.connect("env-get-outdated", appeared)
    app.connect("env-purge-doc", purge)
