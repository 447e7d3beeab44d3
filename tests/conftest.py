"""Shared fixtures: where the repository and the real corpus are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
