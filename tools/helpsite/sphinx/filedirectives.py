"""``raw`` and ``csv-table`` held to the source-tree gate, and their ``:url:`` refused.

These two docutils directives read ``:file:`` with a path of their own making, past
:meth:`BuildEnvironment.relfn2path`, and fetch ``:url:`` with ``urlopen`` — the build
machine itself sending a request and publishing the answer. Here ``:file:`` is resolved
the Sphinx way (``/x`` is relative to the source folder, ``x`` to the article), which puts it
behind :mod:`helpsite.sphinx.pathgate`; ``:url:`` is refused unless it starts with a prefix
the project allows in ``helpsite_raw_url_prefixes``.
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst.directives.misc import Raw
from docutils.parsers.rst.directives.tables import CSVTable
from sphinx.application import Sphinx
from sphinx.util import logging

from helpsite.findings import Code

logger = logging.getLogger(__name__)


def url_allowed(url: str, prefixes: list[str] | tuple[str, ...]) -> bool:
    return any(prefix and url.startswith(prefix) for prefix in prefixes)


class _Gated:
    """What both directives share: the gate for ``:file:``, the policy for ``:url:``."""

    name: str
    options: dict[str, str]
    lineno: int
    state: object

    def refused_url(self) -> bool:
        url = self.options.get("url")
        env = self.state.document.settings.env  # type: ignore[attr-defined]
        if url is None or url_allowed(url, env.config.helpsite_raw_url_prefixes or ()):
            return False
        code = Code.BUILD_RAW_URL
        logger.warning(
            "%s: %s :url: %r refused: the build does not fetch content from the network. "
            "Copy it into the source folder and use :file:, or allow the URL's prefix with "
            "helpsite_raw_url_prefixes in conf.py", code.code, self.name, url[:80],
            location=(env.docname, self.lineno), type="helpsite", subtype=code.code)
        return True

    def resolve_file(self) -> None:
        if "file" in self.options:
            env = self.state.document.settings.env  # type: ignore[attr-defined]
            _, self.options["file"] = env.relfn2path(self.options["file"], env.docname)


class GatedRaw(_Gated, Raw):
    def run(self) -> list[nodes.Node]:
        if self.refused_url():
            return []
        self.resolve_file()
        return super().run()


class GatedCSVTable(_Gated, CSVTable):
    def run(self) -> list[nodes.Node]:
        if self.refused_url():
            return []
        self.resolve_file()
        return super().run()


def register(app: Sphinx) -> None:
    app.add_directive("raw", GatedRaw, override=True)
    app.add_directive("csv-table", GatedCSVTable, override=True)
