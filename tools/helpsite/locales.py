"""BCP 47 locale tags and the forms Sphinx, gettext, Babel and URLs expect: the one
locales module of helpsite (the Sphinx extension, the catalogs and the commands use it).

helpsite names a locale the way Microsoft's help pages do: a BCP 47 tag with region
(``nl-NL``), output folders in lowercase (``nl-nl``). Sphinx's ``language`` setting and
gettext want ``nl_NL`` (so Sphinx's own ``nl`` catalog and Babel's data are found), and the
``<html lang>`` attribute wants the tag again. This module is the one place that converts.

It is also the one place that checks a tag typed on the command line: every ``--locales``
and ``--locale`` option of every command goes through :func:`choose_locales` (or
:func:`check_tag` where the command creates the locale), so ``../de`` never becomes a
folder name and an unknown locale is an error listing the ones the project has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Babel is imported when a page needs its data, not by every command
    from babel import Locale

_TAG_RE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")
# What a command line may name: language, an optional script, a region (nl-NL, zh-Hant-TW,
# es-419). Nothing else, so a tag is always a safe folder name.
_OPTION_TAG_RE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z]{4})?[-_]([A-Za-z]{2}|[0-9]{3})$")
EXPECTED_FORM = "a BCP 47 language-region tag such as nl-NL or de-DE"


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


def check_tag(value: str) -> str:
    """A tag given on the command line, normalized (``nl_nl`` → ``nl-NL``); anything that
    is not language[-Script]-REGION raises :class:`LocaleError` naming it and the form."""
    text = value.strip()
    if not _OPTION_TAG_RE.match(text):
        raise LocaleError(f"'{value}' is not a locale tag: expected {EXPECTED_FORM}")
    return normalize_tag(text)


def split_tags(text: str | None) -> list[str]:
    """The tags of an option value: ``"nl-NL de-DE"`` or ``"nl-NL,de-DE"``."""
    return [t for t in (text or "").replace(",", " ").split() if t]


def choose_locales(requested: str | Iterable[str] | None, available: Iterable[str], *,
                   where: str, hint: str = "") -> list[str]:
    """The locales a ``--locales`` option asks for, as ``available`` spells them.

    The one check every command makes: each requested tag must be well formed
    (:func:`check_tag`) and one of ``available`` (compared as normalized tags, so
    ``nl_nl`` finds the folder ``nl-NL`` and the site folder ``nl-nl``); ``where`` says
    what the project has them in ("configured in conf.py", "found in locales"), and
    ``hint`` how to add one. Nothing requested: every available locale.
    """
    names = split_tags(requested) if isinstance(requested, str | None) else list(requested)
    choices = list(available)
    by_key = {_key(tag): tag for tag in choices}
    chosen: list[str] = []
    unknown: list[str] = []
    for name in names:
        found = by_key.get(check_tag(name).lower())
        if found is None:
            unknown.append(name)
        elif found not in chosen:
            chosen.append(found)
    if unknown:
        have = ", ".join(sorted(_shown(t) for t in by_key.values())) or "none"
        raise LocaleError(f"locale {', '.join(unknown)} not {where} (there are: {have})"
                          f"{hint}")
    return chosen if names else choices


def _key(tag: str) -> str:
    return _shown(tag).lower()


def _shown(tag: str) -> str:
    try:
        return normalize_tag(tag)
    except LocaleError:  # a folder that is no tag: listed as it is spelled
        return tag


def sphinx_language(tag: str) -> str:
    """The value for Sphinx's ``language``, a catalog's ``Language`` header and Babel:
    ``nl-NL`` (or ``nl-nl``) → ``nl_NL``; the one place a tag becomes the gettext form."""
    return normalize_tag(tag).replace("-", "_")


def output_folder(tag: str) -> str:
    """The site folder of a locale: ``nl-NL`` → ``nl-nl``."""
    return normalize_tag(tag).lower()


def language_candidates(tag: str) -> list[str]:
    """The folder names a locale's catalogs may have, most specific first: ``nl-NL`` →
    ``["nl-NL", "nl_NL", "nl"]`` (as Sphinx's own ``locale/nl`` and gettext's ``nl_NL``)."""
    normalized = normalize_tag(tag)
    return list(dict.fromkeys([normalized, sphinx_language(normalized),
                               primary_language(normalized)]))


def primary_language(language: str) -> str:
    """The language subtag of any spelling (``nl_NL``, ``nl-NL``, ``nl``) → ``nl``; no check,
    since Sphinx's ``language`` may be a bare language or unset."""
    return re.split(r"[-_]", language, maxsplit=1)[0]


def locale_key(tag: str) -> str:
    """A loose comparison key: ``nl-NL``, ``nl_NL`` and ``nl_nl`` → ``nl-nl``; unlike
    :func:`normalize_tag` it accepts any text (a ``Language`` header, an XLIFF attribute)."""
    return tag.strip().replace("_", "-").lower()


def locale_folders(locales_dir: Path, wanted: list[str] | str | None = None) -> list[str]:
    """The locale folders of ``locales_dir`` to work on, as the folders spell them.

    Nothing wanted: the target locales of the ``conf.py`` whose catalog folder
    (``helpsite_locale_dir``) this is, as sphinx-intl reads conf.py; without such a
    conf.py, every folder that looks like a tag. A wanted (or configured) tag that is
    malformed (``../de``) or has no folder raises :class:`LocaleError` listing the
    folders there are; a new locale starts with its folder (``mkdir locales/fr-FR``).
    """
    present = sorted(
        p.name for p in locales_dir.iterdir()
        if p.is_dir() and not p.name.startswith(".") and _TAG_RE.match(p.name)
    ) if locales_dir.is_dir() else []
    wanted = wanted or configured_locales(locales_dir)
    if not wanted:
        return present
    return choose_locales(wanted, present, where=f"found in {locales_dir}",
                          hint=f"; a new locale starts with its folder ({locales_dir}/TAG/)")


def configured_locales(locales_dir: Path) -> list[str] | None:
    """The target locales of the ``conf.py`` beside ``locales_dir`` when that folder is
    its ``helpsite_locale_dir``; None when no conf.py names the folder."""
    conf_dir = locales_dir.resolve().parent
    if not (conf_dir / "conf.py").is_file():
        return None
    from helpsite.siteconf import read_conf  # Sphinx's config reader: only here

    conf = read_conf(conf_dir)
    if conf.locale_dir is None or (conf_dir / conf.locale_dir).resolve() != locales_dir.resolve():
        return None
    source = _key(conf.source_locale)
    return [tag for tag in conf.locales if _key(tag) != source]


@lru_cache(maxsize=64)
def babel_locale(tag: str) -> Locale:
    """Babel's data for a tag; unknown tags raise :class:`LocaleError`."""
    from babel import Locale, UnknownLocaleError

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
