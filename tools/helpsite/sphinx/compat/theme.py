"""Where helpsite relies on the layout of Furo's package and on the markup of its base.html."""

from __future__ import annotations

import re
from pathlib import Path

from helpsite.sphinx.compat.versions import require

# Furo's base.html writes <html> outside any block, with its lang from Sphinx's `language`:
#   <html class="no-js"{% if language is not none %} lang="{{ language }}"{% endif %} …>
# The start tag is the one that begins a line; Jinja tags inside it are allowed.
_HTML_START_TAG = re.compile(r'^<html\b(?:[^<>{]|\{[{%#].*?[}%#]\})*>', re.M)
_LANG_FROM_LANGUAGE = re.compile(r'\blang="\{\{\s*language\s*\}\}"')


def furo_theme_folder() -> Path:
    """The folder of Furo's theme (its templates and theme.conf): ``furo.THEME_PATH``,
    which Furo registers with ``app.add_html_theme`` but does not document."""
    import furo  # only when asked: importing Furo costs a build that does not ask

    folder = getattr(furo, "THEME_PATH", None)
    require(isinstance(folder, Path) and (folder / "base.html").is_file(), "furo",
            "furo.THEME_PATH, the folder of its theme with base.html")
    return folder  # type: ignore[return-value]


def is_furo_base_template(filename: str | None) -> bool:
    """Whether a template file Jinja loads is Furo's own base.html (the one with <html>)."""
    if not filename:
        return False
    return Path(filename).resolve() == (furo_theme_folder() / "base.html").resolve()


def furo_html_tag_with(source: str, attributes: str) -> str:
    """Furo's base.html (its template ``source``) with ``attributes`` added to its
    ``<html>`` start tag, the only way to reach that tag: Furo puts it outside any block.

    Checked first: exactly one ``<html`` start tag begins a line, and it writes ``lang``
    from Sphinx's ``language`` (helpsite sets ``language`` to the locale's tag and adds
    only ``dir``)."""
    tags = list(_HTML_START_TAG.finditer(source))
    require(len(tags) == 1 and bool(_LANG_FROM_LANGUAGE.search(tags[0].group())), "furo",
            'a base.html with one <html …> start tag at the start of a line that writes '
            'lang="{{ language }}"')
    tag = tags[0]
    return source[:tag.end() - 1] + attributes + source[tag.end() - 1:]
