"""The supported version ranges (issue 17): written once, in pyproject.toml, read back by
the compat layer from the installed metadata; constraints/ pins both ends of them, and an
installed version outside them stops the build with one clear error."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import sphinx
from helpsite.sphinx.compat import CompatError, declared_range, require_supported_versions
from helpsite.sphinx.compat.versions import DECLARED_BY, in_range, split_requirement
from packaging.version import Version

pytestmark = pytest.mark.compat  # make test-compat: checked at each end of the ranges

REPO = Path(__file__).resolve().parents[1]
CONSTRAINTS = REPO / "constraints"


def pyproject_ranges() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return dict(split_requirement(line) for line in project["dependencies"])


def pins(name: str) -> dict[str, str]:
    lines = (CONSTRAINTS / name).read_text(encoding="utf-8").splitlines()
    pinned = [line.split("#")[0].strip() for line in lines]
    return dict(line.lower().split("==") for line in pinned if line)


def lower_bound(specifier: str) -> str:
    return next(c.strip()[2:] for c in specifier.split(",") if c.strip().startswith(">="))


def test_every_package_compat_reaches_into_has_both_bounds_in_pyproject() -> None:
    ranges = pyproject_ranges()
    for distribution in DECLARED_BY:
        specifier = ranges.get(distribution, "")
        assert ">=" in specifier and "<" in specifier.replace("<=", ""), distribution


def test_the_installed_ranges_are_pyproject_s() -> None:
    """One home: what compat reads from the installed metadata is pyproject.toml's (an
    install older than pyproject.toml fails here: run `make venv`)."""
    ranges = pyproject_ranges()
    assert {d: declared_range(d) for d in DECLARED_BY} == {d: ranges[d] for d in DECLARED_BY}


def test_the_running_versions_are_supported() -> None:
    require_supported_versions()


def test_lowest_constraints_pin_the_lower_bounds() -> None:
    ranges, lowest = pyproject_ranges(), pins("lowest.txt")
    for distribution in DECLARED_BY:
        assert Version(lowest[distribution]) == Version(lower_bound(ranges[distribution])), \
            distribution


def test_highest_constraints_pin_versions_inside_the_ranges() -> None:
    ranges, highest, lowest = pyproject_ranges(), pins("highest.txt"), pins("lowest.txt")
    for distribution in DECLARED_BY:
        assert in_range(highest[distribution], ranges[distribution]), distribution
        assert Version(highest[distribution]) >= Version(lowest[distribution]), distribution


def test_a_version_outside_the_range_is_one_clear_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sphinx, "__version__", "8.1.3")
    with pytest.raises(CompatError, match=r"sphinx >=.*not 8\.1\.3.*pip install 'sphinx"):
        require_supported_versions()


@pytest.mark.parametrize(("version", "specifier", "expected"), [
    ("8.2.0", ">=8.2,<9.1", True),
    ("9.0.4", ">=8.2,<9.1", True),
    ("8.1.3", ">=8.2,<9.1", False),
    ("9.1.0", ">=8.2,<9.1", False),
    ("9.1.0rc1", ">=8.2,<9.1", False),
    ("2025.12.19", ">=2024.8.6,<2026", True),
    ("4.3.0", "~=4.2", True),
    ("4.1.0", "~=4.2", False),
    ("5.0.0", "~=4.2", False),
    ("0.22.4", ">=0.20,!=0.22.4", False),
    ("not a version", ">=1", False),
])
def test_versions_are_compared_as_pip_does(version: str, specifier: str,
                                           expected: bool) -> None:
    assert in_range(version, specifier) is expected
