"""The repository's sample site, built once per test session, and a preview server for it.

Shared by the reader-feature tests (tests/test_reader_*.py), the sample-site build test
(tests/test_site_sample.py) and the browser suites (tests/test_browser_*.py): the build of
all five locales takes about half a minute, so it happens once per session (two locales at
a time), into a temporary folder (never into build/).
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from helpsite.sitebuild.localeprocess import LocaleResult
from helpsite.sitebuild.missingpage import LocaleNotFoundHandler
from helpsite.sitebuild.plan import make_plan
from helpsite.sitebuild.siteroot import finish_site

from helpers.site import build_locales

REPO = Path(__file__).resolve().parents[2]
LOCALES = ["en-US", "nl-NL", "de-DE", "ja-JP", "ar-SA"]
READER_PO = REPO / "tools/helpsite/sphinx/locale/{language}/LC_MESSAGES/helpsite-reader.po"


@dataclass(frozen=True)
class SampleSite:
    html: Path  # build/html of the sample: index.html and one folder per locale
    # what each locale's build reported (its warnings), by locale tag
    results: dict[str, LocaleResult] = field(default_factory=dict, compare=False)

    def path(self, tag: str, page: str) -> Path:
        return self.html / tag.lower() / page

    def soup(self, tag: str, page: str) -> BeautifulSoup:
        return BeautifulSoup(self.path(tag, page).read_text(encoding="utf-8"), "lxml")


_SITES: dict[str, SampleSite] = {}


def copy_sample(target: Path) -> Path:
    """The repository's sample project (source/, locales/, conf.py) copied to ``target``."""
    for name in ("source", "locales"):
        shutil.copytree(REPO / name, target / name)
    shutil.copyfile(REPO / "conf.py", target / "conf.py")
    return target


def build_sample_site(tmp_path_factory: pytest.TempPathFactory, *, locales: str | None = None,
                      defines: tuple[str, ...] = ()) -> SampleSite:
    """source/ and locales/ of the repository, every locale of conf.py (or ``locales``,
    with ``-D`` ``defines``), built once per session (helpers.site.build_locales)
    with the root files `helpsite build` writes (language chooser, sitemap index).

    Built from a copy, into its build/ folder as a writer's `make html` would: the pages
    are the repository's own (the copy's output is the same bytes), and the site can be
    compared byte for byte with another copy's (test_build_orchestration.py)."""
    key = "sample" if locales is None and not defines else repr((locales, defines))
    if key not in _SITES:
        project = copy_sample(tmp_path_factory.mktemp("sample-site"))
        plan = make_plan(project, project / "source", project / "build", locales=locales,
                         defines=list(defines))
        results = build_locales(plan)
        finish_site(plan.html_root, plan.configured, plan.project, plan.base_url)
        _SITES[key] = SampleSite(plan.html_root, results)
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


class SharedChromium:
    """One chromium for every browser test of a session, started when the first one asks.

    Starting Playwright and chromium takes seconds (tens on a loaded machine); a context
    per test costs a fraction of that and gives each test a fresh profile. Playwright's
    sync API keeps its event loop running in the main thread while it is started, which
    breaks every later ``asyncio.run`` (the link checker's): conftest.py runs the browser
    tests last, as one block, and stops this one as soon as the next test does not use it.
    """

    def __init__(self) -> None:
        self._playwright: object | None = None
        self._browser: object | None = None

    def browser(self, executable: Path, args: list[str]) -> object:
        """The running chromium (``executable`` with ``args``), started on first use."""
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(  # type: ignore[attr-defined]
                executable_path=str(executable), headless=True, args=args)
        return self._browser

    def stop(self) -> None:
        """Close chromium and Playwright's event loop (nothing when not started)."""
        browser, playwright, self._browser, self._playwright = (
            self._browser, self._playwright, None, None)
        if browser is not None:
            browser.close()  # type: ignore[attr-defined]
        if playwright is not None:
            playwright.stop()  # type: ignore[attr-defined]
