"""Where helpsite depends on Sphinx (and docutils) beyond their documented extension API:
each function names the behaviour it relies on and checks it, raising
:class:`~helpsite.sphinx.compat.versions.CompatError` when it changed."""

from __future__ import annotations

import gettext
import inspect
from collections.abc import Callable, Iterator, Set
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import locale as sphinx_locale
from sphinx.builders import gettext as sphinx_gettext
from sphinx.config import Config
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment
from sphinx.search import IndexBuilder
from sphinx.transforms import i18n as sphinx_i18n

from helpsite.sphinx.compat.versions import require

# -- file names content refers to -----------------------------------------------------------

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
    require(list(inspect.signature(original).parameters)[:3] == ["self", "filename", "docname"],
            "sphinx", "BuildEnvironment.relfn2path(filename, docname)")

    def relfn2path(
        self: BuildEnvironment, filename: str | Path, docname: str | None = None
    ) -> tuple[str, str]:
        rel_fn, abs_fn = original(self, filename, docname)
        return hook(self, str(filename), docname, rel_fn, abs_fn)

    relfn2path.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(relfn2path, _HOOK_MARK, hook)
    relfn2path.__doc__ = original.__doc__
    BuildEnvironment.relfn2path = relfn2path  # type: ignore[method-assign]


# -- interface texts ------------------------------------------------------------------------

def replace_translator(domain: str, translations: gettext.NullTranslations) -> None:
    """Make ``translations`` what ``sphinx.locale.get_translator(domain)`` returns.

    ``sphinx.locale.init`` can only append catalogs behind the ones loaded first, so a
    project's own interface texts could never win; Sphinx keeps its translators in the
    module dict ``sphinx.locale.translators``, keyed by (namespace, domain).
    """
    registry = getattr(sphinx_locale, "translators", None)
    require(isinstance(registry, dict), "sphinx", "the dict sphinx.locale.translators")
    registry["general", domain] = translations  # type: ignore[index]


# -- configuration --------------------------------------------------------------------------

def set_in_configuration(config: Config, name: str) -> bool:
    """True when conf.py or ``-D`` set ``name``. Sphinx has no public question for it: the
    names conf.py set are the keys of ``Config._raw_config``, the ``-D`` ones those of
    ``Config.overrides``. No fallback: were either gone, helpsite's defaults would
    overwrite the user's settings without a word."""
    raw = getattr(config, "_raw_config", None)
    require(isinstance(raw, dict), "sphinx", "Config._raw_config (the values conf.py set)")
    overrides = getattr(config, "overrides", None)
    require(isinstance(overrides, dict), "sphinx", "Config.overrides (the -D values)")
    return name in raw or name in overrides  # type: ignore[operator]


# -- the search index -----------------------------------------------------------------------

_INDEX_PARAMETERS = ["self", "env", "lang", "options"]  # then the scorer (``scoring``)
_INDEX_TABLES = ("_titles", "_filenames", "_all_titles", "_mapping", "_title_mapping")


def new_search_index(cls: type[IndexBuilder], env: BuildEnvironment, config: Config
                     ) -> IndexBuilder:
    """An ``cls`` (a subclass of IndexBuilder) made with the arguments
    ``StandaloneHTMLBuilder.prepare_writing`` gives Sphinx's own index; the builder has no
    hook for the index class."""
    parameters = list(inspect.signature(IndexBuilder.__init__).parameters)
    require(parameters[:4] == _INDEX_PARAMETERS and len(parameters) == 5, "sphinx",
            "IndexBuilder(env, lang, options, scorer)")
    language = config.html_search_language or config.language
    return cls(env, language, config.html_search_options, config.html_search_scorer)


def prune_search_index(index: IndexBuilder, keep: Set[str]) -> None:
    """:meth:`IndexBuilder.prune` touching only the documents that go, for an index where
    few do. Sphinx keeps the tables in private attributes (checked here)."""
    require(all(isinstance(getattr(index, name, None), dict) for name in _INDEX_TABLES),
            "sphinx", "IndexBuilder's tables " + ", ".join(_INDEX_TABLES))
    titles: dict[str, Any] = index._titles  # type: ignore[attr-defined]
    gone = [d for d in titles if d not in keep]
    if not gone:
        return
    # New dicts, as Sphinx's prune makes (the old ones may be the environment's).
    index._titles = {d: t for d, t in titles.items() if d in keep}  # type: ignore[attr-defined]
    index._filenames = {  # type: ignore[attr-defined]
        d: f for d, f in index._filenames.items() if d in keep}  # type: ignore[attr-defined]
    index._all_titles = {  # type: ignore[attr-defined]
        d: t for d, t in index._all_titles.items() if d in keep}  # type: ignore[attr-defined]
    # A word's documents are among the titled ones (fed together), so removing the
    # gone ones is the same as Sphinx's intersection with the kept ones. Unlike
    # Sphinx, a word left without documents goes too: the index then holds what a
    # fresh build's holds (Sphinx writes such words as "word": []).
    for mapping in (index._mapping, index._title_mapping):  # type: ignore[attr-defined]
        emptied = []
        for word, wordnames in mapping.items():
            wordnames.difference_update(gone)
            if not wordnames:
                emptied.append(word)
        for word in emptied:
            del mapping[word]


# -- the standard domain --------------------------------------------------------------------

def standard_objects_after_documents(domain: StandardDomain
                                     ) -> Iterator[tuple[str, str, str, str, str, int]]:
    """What :meth:`StandardDomain.get_objects` lists after the documents, in its order
    (options, objects, labels, anonymous-only labels): its documents' entries clean every
    title again, so the fast build lists them itself. tests/test_stddomain.py compares the
    whole list with Sphinx's."""
    require(all(isinstance(getattr(domain, name, None), dict)
                for name in ("progoptions", "objects", "labels", "anonlabels")),
            "sphinx", "StandardDomain.progoptions, objects, labels and anonlabels")
    for (program, option), info in domain.progoptions.items():
        fullname = f"{program}.{option}" if program else option
        yield fullname, fullname, "cmdoption", info[0], info[1], 1
    for (objtype, name), info in domain.objects.items():
        priority = domain.object_types[objtype].attrs["searchprio"]
        yield name, name, objtype, info[0], info[1], priority
    for name, (docname, labelid, sectionname) in domain.labels.items():
        yield name, sectionname, "label", docname, labelid, -1
    for name, (docname, labelid) in domain.anonlabels.items():
        if name not in domain.labels:  # anonymous-only labels
            yield name, name, "label", docname, labelid, -1


# -- translating doctrees -------------------------------------------------------------------

_UPDATER_METHODS = ("update_title_mapping", "update_autofootnote_references",
                    "update_refnamed_references", "update_refnamed_footnote_references",
                    "update_citation_references", "update_pending_xrefs", "update_leaves")


def node_updater() -> type:
    """Sphinx's ``_NodeUpdater`` (sphinx.transforms.i18n): what Locale does to a node and
    its translation (ids, names, references, "inconsistent references" warnings), in the
    methods helpsite's fast i18n path calls one by one."""
    updater = getattr(sphinx_i18n, "_NodeUpdater", None)
    require(isinstance(updater, type)
            and all(callable(getattr(updater, name, None)) for name in _UPDATER_METHODS)
            and list(inspect.signature(updater.__init__).parameters)[1:5]
            == ["node", "patch", "document", "noqa"],
            "sphinx", "sphinx.transforms.i18n._NodeUpdater(node, patch, document, noqa) with "
            + ", ".join(_UPDATER_METHODS))
    return updater  # type: ignore[return-value]


def drop_pending_transform(document: nodes.document, transform: type) -> None:
    """Take ``transform`` out of the transforms still pending on ``document``. docutils has
    no public call for it; its Transformer keeps them as (priority string, class, pending
    node, options) tuples in ``transforms``."""
    pending = document.transformer.transforms
    require(isinstance(pending, list) and all(isinstance(t, tuple) and len(t) == 4
                                              and isinstance(t[1], type) for t in pending),
            "docutils", "Transformer.transforms as (priority, class, pending, options)")
    document.transformer.transforms = [t for t in pending if t[1] is not transform]


# -- the gettext builder's catalogs ---------------------------------------------------------

def gettext_classes() -> tuple[type[sphinx_gettext.Message], type[sphinx_gettext.Catalog]]:
    """Sphinx's gettext ``Message`` and ``Catalog``, which helpsite subclasses to carry
    extracted comments into its own message template (templates/common/message.pot.jinja):
    checked for the constructor and the iteration the subclasses rely on."""
    message, catalog = sphinx_gettext.Message, sphinx_gettext.Catalog
    require(list(inspect.signature(message.__init__).parameters)[1:4]
            == ["text", "locations", "uuids"] and callable(getattr(catalog, "__iter__", None)),
            "sphinx", "sphinx.builders.gettext.Message(text, locations, uuids) and an "
            "iterable Catalog")
    return message, catalog


# -- the Japanese search splitter -----------------------------------------------------------

def japanese_splitter_model(needed: Set[str]) -> dict[str, object]:
    """The model of Sphinx's Japanese splitter (TinySegmenter's weight tables, the class
    attributes of ``sphinx.search.ja.DefaultSplitter`` named ``XX1__``, and its character
    classes ``patterns_``), for the search page to split queries the way the index was
    split. Undocumented: every table in ``needed`` (and ``patterns``) must be there."""
    from sphinx.search.ja import DefaultSplitter  # only the Japanese build needs it

    tables: dict[str, object] = {name: getattr(DefaultSplitter, name)
                                 for name in dir(DefaultSplitter)
                                 if name.endswith("__") and not name.startswith("_")}
    patterns = getattr(DefaultSplitter, "patterns_", None)
    require(isinstance(patterns, dict) and needed - {"patterns"} <= tables.keys(),
            "sphinx", "sphinx.search.ja.DefaultSplitter's tables " + ", ".join(sorted(needed)))
    tables["patterns"] = [[p.pattern, v] for p, v in patterns.items()]  # type: ignore[union-attr]
    return tables
