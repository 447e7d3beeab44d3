"""The garbage collector after start-up: what start-up made is frozen, collection resumes.

:mod:`helpsite.sitebuild.sphinxmain` runs Sphinx with the cyclic collector off until the
builder exists, because imports and the unpickled environment are millions of objects
that live as long as the process and that the collector would otherwise walk many times
over. ``builder-inited`` comes right after the environment is loaded: from there on those
objects are moved out of the collector's sight (``gc.freeze``) and collection is on, as
reading and writing documents leave cyclic garbage (docutils nodes point at their
parents).

Only in that process: the collector is process-wide state, and a process helpsite did not
start (``sphinx-build``, a test, an application that hosts Sphinx) keeps its own — nothing
is frozen there (frozen objects are never collected) and nothing is turned on.
"""

from __future__ import annotations

import gc

from sphinx.application import Sphinx

# Whether helpsite's entry point turned the collector off for start-up (and this module
# is to turn it back on).
PAUSED = {"collector": False}


def note_paused_collection() -> None:
    """Called by :func:`helpsite.sitebuild.sphinxmain.prepare` once it turned the
    collector off: :func:`resume_collection` then freezes and turns it back on."""
    PAUSED["collector"] = True


def resume_collection(app: Sphinx) -> None:
    """``builder-inited``: in helpsite's own locale process only."""
    if not PAUSED["collector"]:
        return
    PAUSED["collector"] = False
    gc.freeze()
    gc.enable()


def register(app: Sphinx) -> None:
    # Before every other handler: they may already allocate a lot.
    app.connect("builder-inited", resume_collection, priority=0)
