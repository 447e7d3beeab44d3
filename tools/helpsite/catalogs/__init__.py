"""Gettext catalogs: read strictly, update with nothing lost, compile, check, count.

The functions the build calls:

* :func:`compile_catalogs` - ``.mo`` files from the PO files whose content changed
  (before Sphinx runs; unsafe translations are left out and reported);
* :func:`unsafe_translation_problems` - why a translation must not be published;
* :func:`is_stale` - whether a page's source changed since its translation was complete.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Imported on first use: a module of the package (say .atomic) must not load them all.
_EXPORTS = {"CompileResult": "compile", "compile_catalogs": "compile",
            "unsafe_translation_problems": "qa", "is_stale": "staleness"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
