"""Interface strings of the extension (switcher label, fallback note, ...), translated.

They live in ``locale/<lang>/LC_MESSAGES/helpsite.po`` beside this module, are compiled into
the build's doctree folder (never into the installed package) and registered with Sphinx's
``add_message_catalog``, so Sphinx picks the build language as it does for its own strings.
"""

from __future__ import annotations

from pathlib import Path

from babel import Locale
from sphinx.application import Sphinx
from sphinx.locale import get_translation

from helpsite.sphinx.catalogs import sync_catalogs
from helpsite.sphinx.locales import LocaleError, babel_locale

CATALOG = "helpsite"
SOURCE_DIR = Path(__file__).resolve().parent / "locale"
_ = get_translation(CATALOG)


def register_catalog(app: Sphinx) -> None:
    target = Path(app.doctreedir) / "helpsite-ui"
    for folder in sorted(p for p in SOURCE_DIR.iterdir() if p.is_dir()):
        sync_catalogs(folder / "LC_MESSAGES", target / folder.name / "LC_MESSAGES")
    app.add_message_catalog(CATALOG, str(target))


def text(message: str, **values: str) -> str:
    """The translated interface string, with ``{name}`` placeholders filled in."""
    return str(_(message)).format(**values)


def language_name(tag: str, in_locale: str) -> str:
    """The name of ``tag``'s language written in ``in_locale`` ("Engels" for en-US in nl)."""
    try:
        reader: Locale = babel_locale(in_locale)
        named = babel_locale(tag)
    except LocaleError:
        return tag
    return reader.languages.get(named.language) or tag
