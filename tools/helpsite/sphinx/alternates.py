"""The same page in other locales: relative links for the switcher, absolute ones for
``hreflang`` and ``sitemap.xml``.

Every locale build holds every page (untranslated ones in the source language), so the
switcher offers all configured locales. ``hreflang`` alternates name only the locales in
which the page is really translated — the source locale, and each target locale with a
catalog for the article — plus ``x-default`` (the source locale), as search engines expect.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from helpsite.locales import display_names, locale_info
from helpsite.sphinx.catalogcompile import catalog_domains, find_locale_folder
from helpsite.sphinx.confvalues import all_locales, catalog_root


@dataclass(frozen=True)
class Alternate:
    tag: str
    name: str  # native language name
    href: str  # relative to the current page
    url: str | None  # absolute, when helpsite_base_url is set
    current: bool
    translated: bool
    direction: str


@lru_cache(maxsize=256)
def _po_folder(root: Path | None, tag: str) -> Path | None:
    return find_locale_folder(root, tag) if root is not None else None


def is_translated(app: Sphinx, tag: str, pagename: str) -> bool:
    """True for the source locale, and for a target locale with a catalog of the page."""
    if tag == all_locales(app.config)[0]:
        return True
    if pagename not in app.env.found_docs:
        return True  # generated pages (categories, search) exist in every locale
    folder = _po_folder(catalog_root(app), tag)
    return folder is not None and (folder / f"{pagename}.po").is_file()


def outdated_alternates(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: pages whose hreflang links changed because a catalog of another
    locale appeared or went away — nothing of this locale's build changed for them, so
    Sphinx would not write them again."""
    targets = all_locales(app.config)[1:]
    catalogs = [(t, catalog_domains(_po_folder(catalog_root(app), t))) for t in targets]
    current = {d: tuple(t for t, domains in catalogs if d in domains)
               for d in env.found_docs}
    previous = getattr(env, "helpsite_translated_in", None)
    env.helpsite_translated_in = current
    if previous is None:
        return []
    return sorted(d for d, tags in current.items() if previous.get(d, tags) != tags)


def page_uri(app: Sphinx, pagename: str) -> str:
    return app.builder.get_target_uri(pagename)


def absolute_url(app: Sphinx, tag: str, pagename: str) -> str | None:
    base = app.config.helpsite_base_url
    if not base:
        return None
    return f"{base}{locale_info(tag).folder}/{page_uri(app, pagename)}"


def alternates(app: Sphinx, pagename: str) -> list[Alternate]:
    tags = all_locales(app.config)
    names = display_names(tags)
    up = "../" * (pagename.count("/") + 1)
    current = app.config.helpsite_locale
    result = []
    for tag in tags:
        info = locale_info(tag)
        result.append(Alternate(
            tag=tag,
            name=names[tag],
            href=f"{up}{info.folder}/{page_uri(app, pagename)}",
            url=absolute_url(app, tag, pagename),
            current=tag == current,
            translated=is_translated(app, tag, pagename),
            direction=info.direction,
        ))
    return result


def hreflang_links(app: Sphinx, pagename: str) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) pairs, x-default last; empty for a one-locale site or when
    no base URL is configured (hreflang needs absolute URLs)."""
    options = alternates(app, pagename)
    if len(options) < 2 or not app.config.helpsite_base_url:
        return []
    links = [(a.tag, a.url) for a in options if a.translated and a.url]
    default = options[0].url
    if default:
        links.append(("x-default", default))
    return links
