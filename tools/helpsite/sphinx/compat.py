"""The one place where helpsite reaches past Sphinx's public extension API.

Each function here names the Sphinx behaviour it depends on, so that an upgrade that changes
it breaks in one module, with a clear error, and not somewhere in the middle of a build.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from pathlib import Path

from sphinx import locale as sphinx_locale
from sphinx.environment import BuildEnvironment

# (env, the name as written, its docname, Sphinx's relative path, Sphinx's absolute path)
# -> the (relative, absolute) pair Sphinx goes on with.
PathHook = Callable[[BuildEnvironment, str, str | None, str, str], tuple[str, str]]

_HOOK_MARK = "__helpsite_path_hook__"


def hook_file_resolution(hook: PathHook) -> None:
    """Pass every file name content refers to through ``hook``.

    Sphinx resolves every file a document names — images and figures (the image collector),
    downloads, ``include``, ``literalinclude`` and its ``:diff:``, MyST's links, includes
    and paths — with :meth:`BuildEnvironment.relfn2path`; it is public, but there is no
    event around it. Wrapping it here is what lets one gate cover a directive nobody
    thought of. Installed once per process; ``hook`` decides per environment whether to act.
    """
    current = BuildEnvironment.relfn2path
    if getattr(current, _HOOK_MARK, None) is hook:
        return
    original = getattr(current, "__wrapped__", current)

    def relfn2path(
        self: BuildEnvironment, filename: str | Path, docname: str | None = None
    ) -> tuple[str, str]:
        rel_fn, abs_fn = original(self, filename, docname)
        return hook(self, str(filename), docname, rel_fn, abs_fn)

    relfn2path.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(relfn2path, _HOOK_MARK, hook)
    relfn2path.__doc__ = original.__doc__
    BuildEnvironment.relfn2path = relfn2path  # type: ignore[method-assign]


def replace_translator(domain: str, translations: gettext.NullTranslations) -> None:
    """Make ``translations`` what ``sphinx.locale.get_translator(domain)`` returns.

    ``sphinx.locale.init`` can only append catalogs behind the ones loaded first, so a
    project's own interface texts could never win; Sphinx keeps its translators in the
    module dict ``sphinx.locale.translators``, keyed by (namespace, domain).
    """
    registry = getattr(sphinx_locale, "translators", None)
    if not isinstance(registry, dict):
        msg = ("helpsite needs sphinx.locale.translators, which this Sphinx does not have: "
               "install a Sphinx version that pyproject.toml allows")
        raise RuntimeError(msg)
    registry["general", domain] = translations


def copy_translations(translations: gettext.GNUTranslations) -> gettext.GNUTranslations:
    """A copy of ``translations`` without its fallbacks, to link into another chain (a
    gettext fallback chain is linked in place). The standard library has no public copy:
    its catalog, plural rule, headers and charset are copied attribute by attribute."""
    layer = gettext.GNUTranslations()
    layer._catalog = dict(translations._catalog)  # type: ignore[attr-defined]
    layer.plural = translations.plural  # type: ignore[attr-defined]
    layer._info = dict(translations.info())  # type: ignore[attr-defined]
    layer._charset = translations.charset()  # type: ignore[attr-defined]
    return layer
