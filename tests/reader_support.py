"""The repository's sample site, built once per test session, and a preview server for it.

Shared by the reader-feature tests (tests/test_reader_*.py) and the browser suite
(tests/test_browser_reader.py): the build of all five locales takes about half a minute,
so it happens once, into a temporary folder (never into build/).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from helpsite.sitebuild.chooser import write_chooser
from helpsite.sitebuild.notfound import LocaleNotFoundHandler
from helpsite.sitebuild.plan import make_plan
from helpsite.sitebuild.runner import run_locale

REPO = Path(__file__).resolve().parents[1]
LOCALES = ["en-US", "nl-NL", "de-DE", "ja-JP", "ar-SA"]
READER_PO = REPO / "tools/helpsite/sphinx/locale/{language}/LC_MESSAGES/helpsite-reader.po"


@dataclass(frozen=True)
class SampleSite:
    html: Path  # build/html of the sample: index.html and one folder per locale

    def path(self, tag: str, page: str) -> Path:
        return self.html / tag.lower() / page

    def soup(self, tag: str, page: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(tag, page).read_text(encoding="utf-8"), "lxml")


_SITES: dict[str, SampleSite] = {}


def build_sample_site(tmp_path_factory: pytest.TempPathFactory, *, locales: str | None = None,
                      defines: tuple[str, ...] = ()) -> SampleSite:
    """source/ and locales/ of the repository, every locale of conf.py (or ``locales``,
    with ``-D`` ``defines``), built once per session."""
    key = "sample" if locales is None and not defines else repr((locales, defines))
    if key not in _SITES:
        out = tmp_path_factory.mktemp("sample-site")
        plan = make_plan(REPO, REPO / "source", out, locales=locales, defines=list(defines))
        for build in plan.builds:
            result = run_locale(plan, build)
            assert result.ok, result.output
        write_chooser(plan.html_root, plan.configured, plan.project)
        _SITES[key] = SampleSite(plan.html_root)
    return _SITES[key]


class QuietHandler(LocaleNotFoundHandler):
    """The preview server's handler, without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(root: Path, handler: type[QuietHandler] = QuietHandler) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def reader_text(language: str, msgid: str) -> str:
    """The translation of one of helpsite's reader interface strings."""
    catalog = polib.pofile(str(READER_PO).format(language=language))
    entry = catalog.find(msgid)
    assert entry is not None and entry.msgstr, f"{msgid!r} not translated for {language}"
    return entry.msgstr


def catalog(tag: str, docname: str) -> polib.POFile:
    return polib.pofile(str(REPO / "locales" / tag / "LC_MESSAGES" / f"{docname}.po"))
