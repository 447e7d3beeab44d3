"""The built site on disk: which locales it has and which pages each locale holds.

A multi-locale site is a folder of locale folders named by lowercase BCP 47 tags
(``build/html/en-us/``, ``build/html/nl-nl/``); a folder of HTML pages without such
sub-folders is one site of a single locale. Only files are read, nothing is imported from
the builder, so any HTML build can be checked.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

_LOCALE_FOLDER = re.compile(r"^[a-z]{2,3}-[a-z0-9]{2,8}$")
# Builder output that is not pages: assets, sources, our own side files.
_NOT_PAGES = {"_static", "_sources", "_images", "_downloads", "_helpsite", ".doctrees"}
ROOT_LOCALE = "(root)"


@dataclass
class LocaleSite:
    name: str  # the folder name, e.g. "nl-nl"; ROOT_LOCALE for pages at the top of the site
    root: Path
    pages: list[str] = field(default_factory=list)  # posix paths relative to root


@dataclass
class Site:
    root: Path
    locales: list[LocaleSite]

    def locale(self, name: str) -> LocaleSite | None:
        return next((loc for loc in self.locales if loc.name == name), None)


def _html_pages(folder: Path, *, recurse: bool = True) -> list[str]:
    pages: list[str] = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _NOT_PAGES) if recurse else []
        base = Path(current).relative_to(folder)
        pages.extend((base / name).as_posix() for name in sorted(files) if name.endswith(".html"))
    return pages


def is_locale_folder(path: Path) -> bool:
    return path.is_dir() and _LOCALE_FOLDER.match(path.name) is not None


def discover(root: Path, only: list[str] | None = None) -> Site:
    """The locales under ``root`` (optionally only those named, case-insensitively)."""
    root = root.resolve()
    wanted = {name.lower() for name in only} if only else None
    found = {p: _html_pages(p) for p in sorted(root.iterdir()) if is_locale_folder(p)}
    found = {folder: pages for folder, pages in found.items() if pages}
    if not found:
        return Site(root, [LocaleSite(root.name.lower(), root, _html_pages(root))])
    locales = [
        LocaleSite(folder.name, folder, pages)
        for folder, pages in found.items()
        if wanted is None or folder.name in wanted
    ]
    top_pages = _html_pages(root, recurse=False)
    if top_pages and wanted is None:
        locales.append(LocaleSite(ROOT_LOCALE, root, top_pages))
    return Site(root, locales)
