"""What conf.py says the site is: its one reader for the commands.

Locales, source locale, base URL, catalog folder and MyST extensions have one home,
``conf.py``. Sphinx reads it for a build; every command that needs one of them
(``helpsite build``'s plan, ``linkcheck``, ``validate``, the catalog commands) reads it
here, evaluated as Sphinx evaluates it, as sphinx-intl reads ``locale_dirs`` there. A
module of its own, below :mod:`helpsite.locales` and :mod:`helpsite.checks`, so that
they can read it without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sphinx.config import eval_config_file
from sphinx.errors import ConfigError as SphinxConfigError
from sphinx.util.tags import Tags

from helpsite.config import ConfigError


@dataclass(frozen=True)
class ConfSettings:
    source_locale: str
    locales: list[str]
    project: str
    locale_dir: str | None = "locales"
    base_url: str = ""
    myst_extensions: tuple[str, ...] = ()  # myst_enable_extensions: validate reads as the build


def read_conf(conf_dir: Path) -> ConfSettings:
    """The settings of ``conf.py`` the commands need (locales, project name, base URL,
    MyST extensions): conf.py is their one home, and this is the one reader of it."""
    conf = conf_dir / "conf.py"
    if not conf.is_file():
        raise ConfigError(f"{conf} not found: pass --conf-dir, the folder holding conf.py")
    try:
        # Absolute: Sphinx changes into conf.py's folder before it reads the file, so a
        # relative --conf-dir other than . would name a file that is not there.
        namespace = eval_config_file(conf.absolute(), Tags())
    except SphinxConfigError as error:
        raise ConfigError(f"{conf}: {error}") from error
    source = namespace.get("helpsite_source_locale", "en-US")
    targets = namespace.get("helpsite_locales", [])
    if not isinstance(source, str) or not isinstance(targets, list | tuple):
        raise ConfigError(f"{conf}: helpsite_source_locale must be a string and "
                          "helpsite_locales a list of tags such as 'nl-NL'")
    project = namespace.get("html_title") or namespace.get("project") or conf_dir.name
    locale_dir = namespace.get("helpsite_locale_dir", "locales")
    extensions = namespace.get("myst_enable_extensions", ())
    if not isinstance(extensions, list | tuple | set) or not all(
            isinstance(name, str) for name in extensions):
        raise ConfigError(f"{conf}: myst_enable_extensions must be a list of names such as "
                          "'colon_fence'")
    return ConfSettings(source, list(targets), str(project),
                        str(locale_dir) if locale_dir is not None else None,
                        str(namespace.get("helpsite_base_url") or ""),
                        tuple(sorted(extensions)))
