"""Map links in built pages back to the Markdown source line, via ``_helpsite/links.json``.

The collector extension (:mod:`helpsite.linkcheck.collector`) writes, for every page of a
locale build, the links of its doctree with their source file and line. A link in the HTML
is matched to those records by its URL, in document order (the n-th "x.html" of a page is
the n-th record of "x.html"). Images and downloads are renamed by the builder
(``_images/``, ``_downloads/<hash>/``), so they are matched by file name. When there is no
record, the checker reports the built page and its HTML line instead.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from helpsite.linkcheck.model import SourceLocation

LINKS_FILE = Path("_helpsite") / "links.json"
FORMAT_VERSION = 1


class _PageLinks:
    def __init__(self, records: list[SourceLocation], hrefs: list[str]) -> None:
        self.by_href: dict[str, list[SourceLocation]] = defaultdict(list)
        self.by_name: dict[str, list[SourceLocation]] = defaultdict(list)
        for href, location in zip(hrefs, records, strict=True):
            self.by_href[href].append(location)
            name = posixpath.basename(href.split("#", 1)[0].split("?", 1)[0])
            if name:
                self.by_name[name].append(location)
        self.seen: dict[str, int] = defaultdict(int)

    def locate(self, href: str) -> SourceLocation | None:
        candidates = self.by_href.get(href)
        key = href
        if not candidates:
            key = "name:" + posixpath.basename(href.split("#", 1)[0].split("?", 1)[0])
            candidates = self.by_name.get(key[5:])
        if not candidates:
            return None
        index = self.seen[key]
        self.seen[key] += 1
        return candidates[min(index, len(candidates) - 1)]


class SourceMap:
    """The source locations of one locale build's links."""

    def __init__(self, pages: dict[str, _PageLinks]) -> None:
        self._pages = pages

    @classmethod
    def load(cls, locale_root: Path) -> SourceMap | None:
        path = locale_root / LINKS_FILE
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            return None
        # Written relative to the links file, so the build output does not depend on the
        # folder it was built in (reproducible builds); older files hold absolute paths.
        srcdir = Path(os.path.normpath(path.parent / str(data.get("srcdir", "."))))
        pages: dict[str, _PageLinks] = {}
        for page, entry in (data.get("pages") or {}).items():
            links = entry.get("links", []) if isinstance(entry, dict) else []
            hrefs = [str(link.get("href", "")) for link in links]
            records = [
                SourceLocation(srcdir / str(link.get("source", "")), int(link.get("line") or 1))
                for link in links
            ]
            # Builders quote the page's URI ("a%20b.html"); the checker knows file names.
            pages[unquote(page)] = _PageLinks(records, hrefs)
        return cls(pages)

    def locate(self, page: str, href: str) -> SourceLocation | None:
        """Call in document order for each link of a page."""
        links = self._pages.get(page)
        return links.locate(href) if links else None
