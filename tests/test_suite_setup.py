"""The test suite's own arrangements (conftest.py): a test of a shared build is marked slow,
so `make test-fast` leaves it out, and the browser tests run last, as one block (one
chromium serves them all; no other test may run while it does)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Made once for the module, as the shared sites are."""
    return tmp_path_factory.mktemp("shared")


def test_a_test_of_a_shared_build_is_slow(shared_folder: Path,
                                          request: pytest.FixtureRequest) -> None:
    assert shared_folder.is_dir()
    assert request.node.get_closest_marker("slow") is not None


def test_a_test_with_a_folder_of_its_own_is_not_slow(tmp_path: Path,
                                                     request: pytest.FixtureRequest) -> None:
    assert tmp_path.is_dir()
    assert request.node.get_closest_marker("slow") is None


def test_browser_tests_run_after_every_other_test(request: pytest.FixtureRequest) -> None:
    browser = [item.get_closest_marker("browser") is not None for item in request.session.items]
    assert browser == sorted(browser)  # no browser test before another test
