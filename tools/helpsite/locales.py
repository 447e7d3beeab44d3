"""BCP 47 locale tags and the forms Sphinx, Babel and URLs expect (helpsite.sphinx.locales
re-exports them for the extension).

helpsite names a locale the way Microsoft's help pages do: a BCP 47 tag with region
(``nl-NL``), output folders in lowercase (``nl-nl``). Sphinx's ``language`` setting and
gettext want ``nl_NL`` (so Sphinx's own ``nl`` catalog and Babel's data are found), and the
``<html lang>`` attribute wants the tag again. This module is the one place that converts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError

_TAG_RE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


class LocaleError(ValueError):
    """A locale tag that cannot be used; the message says which and why."""


@lru_cache(maxsize=256)  # asked for every page of a build, for a few tags
def normalize_tag(value: str) -> str:
    """``nl_nl``, ``NL-nl`` or ``nl-NL`` → ``nl-NL`` (language lower, region upper)."""
    text = value.strip()
    if not _TAG_RE.match(text):
        raise LocaleError(f"'{value}' is not a locale tag such as 'nl-NL'")
    parts = re.split(r"[-_]", text)
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())  # region
        elif len(part) == 4:
            out.append(part.title())  # script (zh-Hant)
        else:
            out.append(part.lower())
    return "-".join(out)


def sphinx_language(tag: str) -> str:
    """The value for Sphinx's ``language``: ``nl-NL`` → ``nl_NL``."""
    return normalize_tag(tag).replace("-", "_")


def output_folder(tag: str) -> str:
    """The site folder of a locale: ``nl-NL`` → ``nl-nl``."""
    return normalize_tag(tag).lower()


def same_locale(a: str, b: str) -> bool:
    try:
        return normalize_tag(a) == normalize_tag(b)
    except LocaleError:
        return False


@lru_cache(maxsize=64)
def babel_locale(tag: str) -> Locale:
    """Babel's data for a tag; unknown tags raise :class:`LocaleError`."""
    try:
        return Locale.parse(sphinx_language(tag))
    except (UnknownLocaleError, ValueError) as error:
        raise LocaleError(f"'{tag}' is not a locale Babel knows ({error})") from error


@dataclass(frozen=True)
class LocaleInfo:
    """What a page needs to know about one locale."""

    tag: str  # nl-NL
    folder: str  # nl-nl
    native_name: str  # Nederlands
    direction: str  # ltr | rtl

    @property
    def primary(self) -> str:
        return self.tag.split("-", 1)[0]


@lru_cache(maxsize=64)
def locale_info(tag: str) -> LocaleInfo:
    normalized = normalize_tag(tag)
    try:
        data = babel_locale(normalized)
        name = data.get_display_name(data) or normalized
        direction = "rtl" if data.character_order == "right-to-left" else "ltr"
    except LocaleError:
        name, direction = normalized, "ltr"
    return LocaleInfo(normalized, output_folder(normalized), _capitalize(name), direction)


def _capitalize(name: str) -> str:
    # Babel writes some native names in lowercase ("español"); a menu item starts upper.
    return name[:1].upper() + name[1:]


def display_names(tags: list[str]) -> dict[str, str]:
    """Native names for a switcher: the language alone, with the region only when two
    configured locales share a language (``English``, but ``Português (Brasil)``)."""
    infos = [locale_info(tag) for tag in tags]
    counts: dict[str, int] = {}
    for info in infos:
        counts[info.primary] = counts.get(info.primary, 0) + 1
    names = {}
    for info in infos:
        if counts[info.primary] > 1:
            names[info.tag] = info.native_name
            continue
        try:
            data = babel_locale(info.tag)
            names[info.tag] = _capitalize(data.get_language_name(data) or info.native_name)
        except LocaleError:
            names[info.tag] = info.native_name
    return names


def tag_for_language(language: str | None, known: list[str], source: str) -> str:
    """The configured tag meant by Sphinx's ``language`` (``nl_NL``, ``nl-NL`` or ``nl``).

    Sphinx defaults ``language`` to ``en``; a bare language matches the one configured
    locale of that language, so ``en`` means the source locale ``en-US``.
    """
    if not language:
        return normalize_tag(source)
    wanted = normalize_tag(language)
    for tag in known:
        if normalize_tag(tag) == wanted:
            return normalize_tag(tag)
    if "-" not in wanted:
        matches = [t for t in known if normalize_tag(t).split("-")[0] == wanted]
        if len(matches) == 1:
            return normalize_tag(matches[0])
        if normalize_tag(source).split("-")[0] == wanted:
            return normalize_tag(source)
    return wanted
