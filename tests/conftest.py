"""Shared fixtures: where the repository and the real corpus are, and the local HTTP
server the link-check tests request."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_linkcheck_support import LocalServer, running_server

# Builds run by tests leave no spare locale process behind (helpsite.sitebuild.spare);
# the tests of spares turn them on for themselves.
os.environ["HELPSITE_SPARE"] = "0"

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
