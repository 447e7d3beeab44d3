"""Gettext catalogs: read strictly, update with nothing lost, compile, check, count.

The functions the build calls:

* :func:`compile_catalogs` - ``.mo`` files from the PO files whose content changed
  (before Sphinx runs; unsafe translations are left out and reported);
* :func:`unsafe_translation_problems` - why a translation must not be published;
* :func:`is_stale` - whether a page's source changed since its translation was complete.
"""

from helpsite.catalogs.compile import CompileResult, compile_catalogs
from helpsite.catalogs.qa import unsafe_translation_problems
from helpsite.catalogs.staleness import is_stale

__all__ = ["CompileResult", "compile_catalogs", "is_stale", "unsafe_translation_problems"]
