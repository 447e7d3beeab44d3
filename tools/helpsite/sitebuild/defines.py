"""``helpsite build -D NAME=VALUE``: refused before anything is built when it is malformed
or names no configuration value.

Sphinx itself only warns about an unknown ``-D`` name ("unknown config value ... in
override, ignoring"), once per locale and after the build has started, so a typo
(``-D htmll_title=…``) silently builds the site without the setting. Here the names are
checked against the values a Sphinx application for the project knows: its core values,
those of its built-in extensions and of every extension conf.py loads (helpsite, MyST,
Furo and what they set up). That application is made with Sphinx's public constructor
over an empty source folder in a temporary folder, with the ``dummy`` builder, so it
reads and writes nothing of the project. When it cannot be made (a broken conf.py, which
the locale builds then report) only the shape of each define is checked: a false alarm
would stop a correct build.

Only done when ``-D`` is given: making the application costs about a second.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from helpsite.config import ConfigError


def known_names(conf_dir: Path) -> set[str] | None:
    """Every configuration value name of the project in ``conf_dir``; None when its
    Sphinx application could not be made."""
    from sphinx.application import Sphinx

    with tempfile.TemporaryDirectory(prefix="helpsite-defines-") as scratch:
        folder = Path(scratch)
        (folder / "source").mkdir()
        try:
            app = Sphinx(folder / "source", conf_dir.resolve(), folder / "out",
                         folder / "doctrees", "dummy", status=None, warning=io.StringIO(),
                         freshenv=True)
        except Exception:
            return None
        return {option.name for option in app.config}


def malformed(define: str) -> bool:
    name, sep, _value = define.partition("=")
    name = name.strip()
    return not sep or not name or any(c.isspace() for c in name)


def check_defines(conf_dir: Path, defines: list[str]) -> None:
    """Raise :class:`ConfigError` naming the first malformed ``-D`` or the unknown names
    (Sphinx's ``-D name.key=value`` sets one key of a dictionary value ``name``)."""
    for define in defines:
        if malformed(define):
            raise ConfigError(f"-D {define!r} is not NAME=VALUE: write it as, for example, "
                              "-D html_title='Contoso Help'")
    if not defines:
        return
    known = known_names(conf_dir)
    if known is None:
        return
    names = [define.partition("=")[0].strip() for define in defines]
    unknown = sorted({name for name in names if name.split(".", 1)[0] not in known})
    if unknown:
        raise ConfigError(
            f"-D {', '.join(unknown)}: no such configuration value in Sphinx, helpsite or "
            f"the extensions of {conf_dir / 'conf.py'}; check the spelling (the "
            "helpsite_* values are listed in docs/configuration.md)")
