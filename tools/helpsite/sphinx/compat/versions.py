"""Which versions of Sphinx, MyST-Parser, docutils, markdown-it-py and Furo helpsite
supports, and the one error every compat function raises when what it relies on is gone.

The ranges are the ones the installed package declares (``pyproject.toml``'s
``dependencies``, read back through :mod:`importlib.metadata`); a package helpsite does not
name itself (docutils, markdown-it-py) has the range the package that brings it declares.
They are read only when an error is raised: a build does not pay for the look-up.
"""

from __future__ import annotations

import re
from importlib import metadata

# Each package the compat layer reaches into -> the distributions whose requirements
# declare its range, the first that names it wins.
DECLARED_BY: dict[str, tuple[str, ...]] = {
    "sphinx": ("helpsite",),
    "myst-parser": ("helpsite",),
    "furo": ("helpsite",),
    "docutils": ("helpsite", "sphinx", "myst-parser"),
    "markdown-it-py": ("helpsite", "myst-parser"),
}


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
                return specifier
    return "any"


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
