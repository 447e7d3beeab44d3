"""Sphinx's standard domain, with each document's display title worked out once.

Every build lists the standard domain's objects twice, for ``objects.inv`` and for the
search index, and each listing copies every document's title node to take its text
(``clean_astext``): 6,000 node copies for a 3,000-article site, a tenth of a second of an
incremental build that re-read one article. :class:`StandardDomain` keeps each title's
text in the domain's data, dropped when the document is read again and filled in for
the documents read once reading is over (``env-updated``: before Sphinx pickles the
environment), so only the documents read in this build are copied.

Registered as the ``std`` domain (``override=True``); it lists the same objects in the
same order as Sphinx's (``helpsite_fast_build = False``: Sphinx's own listing).
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from typing import Any

from sphinx.application import Sphinx
from sphinx.domains import std
from sphinx.environment import BuildEnvironment
from sphinx.util.nodes import clean_astext

from helpsite.sphinx import compat
from helpsite.sphinx.mdparser import fast_build

TITLES_KEY = "helpsite_doc_titles"  # docname → text of its title


class StandardDomain(std.StandardDomain):
    @property
    def doc_titles(self) -> dict[str, str]:
        return self.data.setdefault(TITLES_KEY, {})

    def clear_doc(self, docname: str) -> None:
        super().clear_doc(docname)
        self.doc_titles.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        super().merge_domaindata(docnames, otherdata)
        titles = self.doc_titles
        for docname, text in otherdata.get(TITLES_KEY, {}).items():
            if docname in docnames:
                titles[docname] = text

    def keep_titles(self) -> None:
        titles, env_titles = self.doc_titles, self.env.titles
        for docname in self.env.all_docs:
            if docname not in titles:
                titles[docname] = clean_astext(env_titles[docname])

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        if not fast_build(self.env.config):
            yield from super().get_objects()
            return
        self.keep_titles()
        titles = self.doc_titles
        for docname in self.env.all_docs:
            yield docname, titles[docname], "doc", docname, "", -1
        # What Sphinx's get_objects lists after the documents, in the same order.
        yield from compat.standard_objects_after_documents(self)


def keep_titles(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the titles of the documents read in this build."""
    domain = env.domains.standard_domain
    if isinstance(domain, StandardDomain) and fast_build(env.config):
        domain.keep_titles()
    return []


def register(app: Sphinx) -> None:
    app.add_domain(StandardDomain, override=True)
    app.connect("env-updated", keep_titles)
