"""Where helpsite relies on internals of the standard library around Sphinx: the
catalog of a :class:`gettext.GNUTranslations`, and a module stand-in in ``sys.modules``.
Only the standard library is imported here: a locale process imports this before Sphinx."""

from __future__ import annotations

import gettext
import importlib
import importlib.machinery
import importlib.util
import sys
import types

from helpsite.sphinx.compat.versions import CompatError


def translations_catalog(translations: gettext.GNUTranslations) -> dict[object, str]:
    """The message table of a compiled catalog (msgid, or (msgid, n) for plurals, ->
    msgstr): gettext parses it into ``_catalog`` and has no public reader of all of it."""
    catalog = getattr(translations, "_catalog", None)
    if not isinstance(catalog, dict):
        msg = (f"helpsite needs gettext.GNUTranslations._catalog, which Python "
               f"{sys.version.split()[0]} does not have: adapt helpsite.sphinx.compat")
        raise CompatError(msg)
    return catalog


def copy_translations(translations: gettext.GNUTranslations) -> gettext.GNUTranslations:
    """A copy of ``translations`` without its fallbacks, to link into another chain (a
    gettext fallback chain is linked in place). The standard library has no public copy:
    its catalog, plural rule, headers and charset are copied attribute by attribute."""
    layer = gettext.GNUTranslations()
    layer._catalog = dict(translations_catalog(translations))  # type: ignore[attr-defined]
    layer.plural = translations.plural  # type: ignore[attr-defined]
    layer._info = dict(translations.info())  # type: ignore[attr-defined]
    layer._charset = translations.charset()  # type: ignore[attr-defined]
    return layer


class _DeferredModule(types.ModuleType):
    """Stands in for a module until code uses one of its attributes, then imports it and
    takes over its namespace. ``import name`` finds it in ``sys.modules`` and looks only
    at ``__spec__``, which is set here."""

    def __init__(self, name: str, spec: importlib.machinery.ModuleSpec) -> None:
        super().__init__(name)
        self.__spec__ = spec

    def __getattr__(self, attribute: str) -> object:  # only for what is not set yet
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        module = importlib.import_module(name)
        self.__dict__.update(module.__dict__)  # for those holding this stand-in
        return getattr(module, attribute)


def defer_import(name: str) -> None:
    """Make ``import name`` return at once; the module is imported when first used
    (importlib's own ``LazyLoader`` does not help: on Python 3.11 an ``import`` statement
    itself starts the loading). The stand-in is put into ``sys.modules``, which only this
    layer does."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is not None:
        sys.modules[name] = _DeferredModule(name, spec)
