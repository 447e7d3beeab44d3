"""Project configuration: the ``[tool.helpsite]`` table of the nearest ``pyproject.toml``.

What the site is (its locales, source locale, base URL, MyST settings) has one home,
``conf.py``: Sphinx reads it, and so does every command that needs it
(:func:`helpsite.siteconf.read_conf`, as sphinx-intl reads ``locale_dirs`` there).
This table holds only what the tools do with the project (findings switched off, each
tool's own table). Unknown settings are reported, not ignored, so a typo never silently
does nothing; a setting that moved to conf.py says where it went.
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
    extra: dict[str, Any] = field(default_factory=dict)
    """Tables owned by one tool (``[tool.helpsite.linkcheck]``), passed to it as they are."""
    root: Path = Path(".")
    """The folder holding the ``pyproject.toml`` the settings came from."""


_SIMPLE_KEYS = {f.name for f in fields(ProjectConfig)} - {"extra", "root"}
# Settings that live in conf.py, the one home of what the site is.
_IN_CONF_PY = {"source_locale": "helpsite_source_locale", "locales": "helpsite_locales"}


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
    moved = sorted(set(simple) & set(_IN_CONF_PY))
    if moved:
        raise ConfigError("[tool.helpsite] " + ", ".join(
            f"{key}: set {_IN_CONF_PY[key]} in conf.py instead" for key in moved))
    unknown = sorted(set(simple) - _SIMPLE_KEYS)
    if unknown:
        raise ConfigError(
            f"unknown setting(s) in [tool.helpsite]: {', '.join(unknown)} "
            f"(known: {', '.join(sorted(_SIMPLE_KEYS))})"
        )
    return ProjectConfig(
        suppress=_as_str_tuple("suppress", simple.get("suppress", [])),
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
