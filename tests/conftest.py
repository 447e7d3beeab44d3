"""Shared fixtures: where the repository and the real corpus are, the local HTTP server
the link-check tests request, and the one chromium of the browser tests; the order the
tests run in (browser tests last)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.linkcheck import LocalServer, running_server
from helpers.reader import SampleSite, SharedChromium, build_sample_site

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seed"


def require_shared(path: Path) -> Path:
    """The real data under ../shared: a test that needs it fails in CI, skips elsewhere."""
    if path.exists():
        return path
    message = f"real data not found: {path} (expected beside the repository in ../shared)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleSite:
    """The sample site the build and browser tests share, built once a session: a copy
    of the repository's, locales side by side, Sphinx's -j 1, SOURCE_DATE_EPOCH=1700000000."""
    return build_sample_site(tmp_path_factory)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return require_shared(CORPUS)


@pytest.fixture(scope="session")
def seed_article() -> Path:
    return require_shared(SEED / "000_b1e3ceb33369d611.txt")


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """An HTTP server on 127.0.0.1 for one test; pages are added with ``server.page``."""
    with running_server() as local:
        yield local


# -- the browser tests: one chromium for all of them, run last -----------------------------

_CHROMIUM = SharedChromium()


@pytest.fixture(scope="session")
def shared_chromium() -> Iterator[SharedChromium]:
    """The session's chromium (helpers.reader.SharedChromium): a test takes a context of
    its own from ``shared_chromium.browser(...)``."""
    yield _CHROMIUM
    _CHROMIUM.stop()


@pytest.hookimpl(tryfirst=True)  # before -m selects: the marks added here count
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that need a shared build are slow (``make test-fast`` leaves them out); browser
    tests run after all others (in their order): while Playwright runs, no other test may
    start an event loop, so the browser must run once, in one block, at the end."""
    for item in items:
        if needs_a_shared_build(item):
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


SHARED_SCOPES = ("module", "package", "session")


def needs_a_shared_build(item: pytest.Item) -> bool:
    """Whether ``item`` uses a module- or session-wide fixture that makes folders
    (``tmp_path_factory``): in this suite those are the sites, imports and catalog
    extractions built once and shared, each several seconds of Sphinx."""
    info = getattr(item, "_fixtureinfo", None)  # pytest's record of the fixtures it needs
    if info is None:
        return False
    return any(definition.scope in SHARED_SCOPES and "tmp_path_factory" in definition.argnames
               for definitions in info.name2fixturedefs.values() for definition in definitions)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Stop the shared chromium once the next test does not use it (nor any test: last)."""
    if nextitem is None or "shared_chromium" not in nextitem.fixturenames:
        _CHROMIUM.stop()
