"""Locale tags of catalog folders (``locales/nl-NL/``) and the ``Language`` header.

A tag asked for on the command line is checked by :func:`helpsite.locales.choose_locales`,
the one check of every command: here the locales a project has are its folders.
"""

from __future__ import annotations

import re
from pathlib import Path

from helpsite.locales import choose_locales

_TAG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


def canonical(tag: str) -> str:
    """Compare tags loosely: ``nl-NL``, ``nl_NL`` and ``nl_nl`` are the same locale."""
    return tag.strip().replace("_", "-").lower()


def gettext_language(tag: str) -> str:
    """The gettext form of a BCP 47 tag for the ``Language`` header: ``nl-NL`` -> ``nl_NL``."""
    return tag.replace("-", "_")


def same_locale(header_value: str, folder_tag: str) -> bool:
    return canonical(header_value) == canonical(folder_tag)


def locale_folders(locales_dir: Path, wanted: list[str] | None = None) -> list[str]:
    """Locale tags under ``locales_dir`` (folders that look like tags), or the wanted subset.

    A wanted tag that is malformed (``../de``) or has no folder raises
    :class:`~helpsite.locales.LocaleError` listing the folders there are; a new locale
    starts with its folder (``mkdir locales/fr-FR``).
    """
    present = sorted(
        p.name for p in locales_dir.iterdir()
        if p.is_dir() and not p.name.startswith(".") and _TAG.match(p.name)
    ) if locales_dir.is_dir() else []
    if not wanted:
        return present
    return choose_locales(wanted, present, where=f"found in {locales_dir}",
                          hint=f"; a new locale starts with its folder ({locales_dir}/TAG/)")


def is_locale_tag(text: str) -> bool:
    return bool(_TAG.match(text))
