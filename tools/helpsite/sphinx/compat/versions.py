"""Which versions of Sphinx, MyST-Parser, docutils, markdown-it-py and Furo helpsite
supports, and the one error every compat function raises when what it relies on is gone.

The ranges are written in one place, ``pyproject.toml``'s ``dependencies``, and read back
from the installed package through :mod:`importlib.metadata`; ``make test-compat`` runs the
equivalence tests at both ends of each (docs/compatibility.md). The extension's setup calls
:func:`require_supported_versions` once per process (a few milliseconds: the metadata of
one distribution, versions the imported modules carry).
"""

from __future__ import annotations

import re
import sys
from importlib import metadata

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion

# Each package the compat layer reaches into -> the distributions whose requirements
# declare its range, the first that names it wins (helpsite names all five).
DECLARED_BY: dict[str, tuple[str, ...]] = {
    "sphinx": ("helpsite",),
    "myst-parser": ("helpsite",),
    "furo": ("helpsite",),
    "docutils": ("helpsite", "sphinx", "myst-parser"),
    "markdown-it-py": ("helpsite", "myst-parser"),
}

# The module of each, whose ``__version__`` is read when it is already imported: cheaper
# than the distribution's metadata (furo is imported only when its theme is used).
MODULES: dict[str, str] = {"sphinx": "sphinx", "myst-parser": "myst_parser", "furo": "furo",
                           "docutils": "docutils", "markdown-it-py": "markdown_it"}



class CompatError(RuntimeError):
    """A Sphinx, MyST, docutils, markdown-it or Furo internal helpsite relies on is not
    what it was: the installed version is outside the supported range (or the range is
    wrong). Raised instead of guessing, never caught by helpsite."""


def installed(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def declared_range(distribution: str) -> str:
    """The version specifier of ``distribution``, as declared (``>=8.1``), or ``any``."""
    for declaring in DECLARED_BY.get(distribution, ("helpsite",)):
        try:
            requirements = metadata.requires(declaring) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requirements:
            name, specifier = split_requirement(line)
            if name == distribution and specifier:
                return in_pyproject_order(specifier)
    return "any"


def in_pyproject_order(specifier: str) -> str:
    """``"<9.1,>=8.2"`` (setuptools sorts the metadata's clauses) -> ``">=8.2,<9.1"``, as
    pyproject.toml writes it: lower bound first."""
    clauses = [c.strip() for c in specifier.split(",") if c.strip()]
    return ",".join(sorted(clauses, key=lambda c: (c[0] == "!", c[0] == "<")))


def split_requirement(line: str) -> tuple[str, str]:
    """``"Sphinx>=8.1,<10; extra == 'x'"`` -> ``("sphinx", ">=8.1,<10")``; requirements
    behind an extra marker do not count (``("", "")``)."""
    requirement, _, marker = line.partition(";")
    if "extra" in marker:
        return "", ""
    requirement = re.sub(r"\[[^\]]*\]", "", requirement)  # extras: myst-parser[linkify]
    for index, char in enumerate(requirement):
        if char in "<>=!~ (":
            name, specifier = requirement[:index], requirement[index:]
            break
    else:
        name, specifier = requirement, ""
    return name.strip().lower().replace("_", "-"), specifier.strip(" ()")


def unsupported(distribution: str, needs: str) -> CompatError:
    """The error for a missing or changed internal: what helpsite needs, the installed
    version and the range helpsite supports, and what to do."""
    supported = declared_range(distribution)
    wanted = distribution if supported == "any" else distribution + supported
    return CompatError(
        f"helpsite needs {needs}, which {distribution} {installed(distribution)} does not "
        f"provide; helpsite supports {distribution} {supported} (pyproject.toml): install "
        f"a version in that range (pip install '{wanted}'), or adapt helpsite.sphinx.compat "
        f"to this version")


def require(condition: bool, distribution: str, needs: str) -> None:
    """Raise :func:`unsupported` unless ``condition`` holds."""
    if not condition:
        raise unsupported(distribution, needs)


def in_range(version: str, specifier: str) -> bool:
    """Whether ``version`` satisfies ``specifier`` (``">=8.2,<9.1"``) as pip judges it; an
    installed pre-release counts (``<9.1`` still excludes 9.1.0rc1, as the standard says)."""
    try:
        return SpecifierSet(specifier).contains(version, prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return False


def running_version(distribution: str) -> str:
    """The version of ``distribution`` this process runs: its imported module's, else
    the installed distribution's."""
    module = sys.modules.get(MODULES.get(distribution, ""))
    version = getattr(module, "__version__", None)
    return version if isinstance(version, str) else installed(distribution)


def require_supported_versions() -> None:
    """Raise :class:`CompatError` when Sphinx, MyST-Parser, docutils, markdown-it-py or
    Furo is outside the range pyproject.toml declares: an untested version fails here,
    with the range, and not with an AttributeError in the middle of a build."""
    for distribution in DECLARED_BY:
        supported = declared_range(distribution)
        version = running_version(distribution)
        if supported != "any" and version != "(not installed)" \
                and not in_range(version, supported):
            raise CompatError(
                f"helpsite supports {distribution} {supported} (pyproject.toml; "
                f"docs/compatibility.md), not {version}: pip install "
                f"'{distribution}{supported}'")
