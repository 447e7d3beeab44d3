"""Project configuration: the ``[tool.helpsite]`` table of the nearest ``pyproject.toml``.

Sphinx builds read their settings from ``conf.py`` (see :mod:`helpsite.sphinx`); the
command-line tools that run without Sphinx (validate, check-po, linkcheck, ...) read this
table. Unknown settings are reported, not ignored, so a typo never silently does nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """The configuration cannot be used; the message says which setting and why."""


@dataclass(frozen=True)
class ProjectConfig:
    """Settings shared by the command-line tools; each has a safe default."""

    suppress: tuple[str, ...] = ()
    """Finding codes or groups switched off (``meta.unknown-key``, ``html``)."""
    source_locale: str = "en-US"
    """The language the articles in ``source/`` are written in."""
    locales: tuple[str, ...] = ()
    """Target locales (BCP 47, ``nl-NL``); empty means every folder under ``locales/``."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Tables owned by one tool (``[tool.helpsite.linkcheck]``), passed to it as they are."""
    root: Path = Path(".")
    """The folder holding the ``pyproject.toml`` the settings came from."""


_SIMPLE_KEYS = {f.name for f in fields(ProjectConfig)} - {"extra", "root"}


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.helpsite]`` table, from ``start`` upward."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.helpsite" in candidate.read_text(encoding="utf-8"):
            return candidate
    return None


def _as_str_tuple(name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.helpsite] {name} must be a list of strings")
    return tuple(value)


def config_from_table(table: dict[str, Any], root: Path) -> ProjectConfig:
    simple = {k: v for k, v in table.items() if not isinstance(v, dict)}
    unknown = sorted(set(simple) - _SIMPLE_KEYS)
    if unknown:
        raise ConfigError(
            f"unknown setting(s) in [tool.helpsite]: {', '.join(unknown)} "
            f"(known: {', '.join(sorted(_SIMPLE_KEYS))})"
        )
    source_locale = simple.get("source_locale", "en-US")
    if not isinstance(source_locale, str):
        raise ConfigError("[tool.helpsite] source_locale must be a string such as 'en-US'")
    return ProjectConfig(
        suppress=_as_str_tuple("suppress", simple.get("suppress", [])),
        source_locale=source_locale,
        locales=_as_str_tuple("locales", simple.get("locales", [])),
        extra={k: v for k, v in table.items() if isinstance(v, dict)},
        root=root,
    )


def load_config(start: Path | None = None) -> ProjectConfig:
    """Settings for work started at ``start`` (default: the current folder)."""
    pyproject = find_pyproject(start or Path.cwd())
    if pyproject is None:
        return ProjectConfig()
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{pyproject}: {error}") from error
    table = document.get("tool", {}).get("helpsite", {})
    return config_from_table(table, pyproject.parent)
