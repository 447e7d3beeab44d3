"""The garbage collector after start-up: what start-up made is frozen, collection resumes.

:mod:`helpsite.sitebuild.sphinxmain` runs Sphinx with the cyclic collector off until the
builder exists, because imports and the unpickled environment are millions of objects
that live as long as the process and that the collector would otherwise walk many times
over. ``builder-inited`` comes right after the environment is loaded: from there on those
objects are moved out of the collector's sight (``gc.freeze``) and collection is on, as
reading and writing documents leave cyclic garbage (docutils nodes point at their
parents). In a build started any other way the collector is already on and freezing only
spares it the start-up objects.
"""

from __future__ import annotations

import gc

from sphinx.application import Sphinx


def resume_collection(app: Sphinx) -> None:
    """``builder-inited``."""
    gc.freeze()
    gc.enable()


def register(app: Sphinx) -> None:
    # Before every other handler: they may already allocate a lot.
    app.connect("builder-inited", resume_collection, priority=0)
