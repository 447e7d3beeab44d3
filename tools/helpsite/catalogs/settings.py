"""Settings of the catalog tools: the ``[tool.helpsite.catalogs]`` table of pyproject.toml.

    [tool.helpsite.catalogs]
    wrap = true            # false: one line per string (breaks only after \\n)
    wrap_width = 79        # page width, as Poedit ("Wrap at 79") and msgmerge write
    fuzzy_threshold = 0.6  # similarity above which a changed source keeps its translation
    compile_fuzzy = false  # true: fuzzy translations go into the .mo files too
    unchanged_min_length = 20  # check-po: msgstr == msgid is flagged from this length
    lock_timeout = 300     # seconds a second run waits for the first
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from helpsite.catalogs.wrapping import DEFAULT_PAGE_WIDTH
from helpsite.config import ConfigError, ProjectConfig


@dataclass(frozen=True)
class CatalogSettings:
    wrap: bool = True
    wrap_width: int = DEFAULT_PAGE_WIDTH
    fuzzy_threshold: float = 0.6
    compile_fuzzy: bool = False
    unchanged_min_length: int = 20
    lock_timeout: float = 300.0

    @property
    def width(self) -> int | None:
        """The page width for the writer, ``None`` when wrapping is off."""
        return self.wrap_width if self.wrap else None


def settings_from_table(table: dict[str, Any]) -> CatalogSettings:
    known = {f.name: f for f in fields(CatalogSettings)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(f"unknown setting(s) in [tool.helpsite.catalogs]: "
                          f"{', '.join(unknown)} (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for name, value in table.items():
        default = getattr(CatalogSettings, name)
        expected = (int, float) if isinstance(default, float) else type(default)
        if isinstance(value, bool) is not isinstance(default, bool) or not isinstance(
                value, expected):
            raise ConfigError(f"[tool.helpsite.catalogs] {name} must be a "
                              f"{type(default).__name__}, not {value!r}")
        values[name] = value
    settings = CatalogSettings(**values)
    if settings.wrap_width < 20:
        raise ConfigError("[tool.helpsite.catalogs] wrap_width must be at least 20")
    if not 0 < settings.fuzzy_threshold <= 1:
        raise ConfigError("[tool.helpsite.catalogs] fuzzy_threshold must be in (0, 1]")
    return settings


def catalog_settings(config: ProjectConfig) -> CatalogSettings:
    return settings_from_table(config.extra.get("catalogs", {}))
