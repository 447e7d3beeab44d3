"""Read one HTML page: every URL it points to (with its line) and every anchor it offers.

Only the parsed document is trusted (lxml's HTML parser), never a text search, so comments,
scripts and attribute escaping cannot produce false links. The column is recovered by
finding the attribute's value on its line, since parsers only keep line numbers.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

# Which attributes of which elements hold a URL the browser will follow or load.
_URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
}
# <link rel> values that are hints to the browser, not resources or pages.
_HINT_RELS = {"preconnect", "dns-prefetch"}
_REFRESH_URL = re.compile(r"^\s*\d*\s*[;,]?\s*url\s*=\s*['\"]?([^'\"]*)['\"]?\s*$", re.I)


@dataclass(frozen=True)
class Link:
    url: str
    line: int
    column: int
    tag: str
    attribute: str
    rel: tuple[str, ...] = ()
    hreflang: str = ""


@dataclass
class ScannedPage:
    links: list[Link] = field(default_factory=list)
    anchors: frozenset[str] = frozenset()


def _srcset_urls(value: str) -> list[str]:
    # "a.png 1x, b.png 2x": each candidate is a URL then an optional descriptor.
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _refresh_url(content: str) -> str | None:
    match = _REFRESH_URL.match(content)
    return match.group(1).strip() if match and match.group(1).strip() else None


class _Columns:
    """Finds the column of a value near a line, for path:line:col findings."""

    def __init__(self, text: str) -> None:
        self._lines = text.split("\n")

    def column(self, line: int, value: str) -> int:
        candidates = (value, html.escape(value, quote=True), html.escape(value, quote=False))
        for index in range(max(line - 1, 0), min(line + 4, len(self._lines))):
            for candidate in candidates:
                position = self._lines[index].find(candidate) if candidate else -1
                if position >= 0:
                    return position + 1
        return 1


def parse_document(data: bytes) -> lxml.html.HtmlElement | None:
    if not data.strip():
        return None
    try:
        return lxml.html.document_fromstring(data)
    except (lxml.etree.ParserError, ValueError):
        return None


def anchors_of(root: lxml.html.HtmlElement | None) -> frozenset[str]:
    """Fragment targets: every id, and the name of <a> elements (as HTML defines them)."""
    if root is None:
        return frozenset()
    found: set[str] = set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        identifier = element.get("id")
        if identifier:
            found.add(identifier)
        if element.tag == "a" and element.get("name"):
            found.add(element.get("name"))
    return frozenset(found)


def scan_page(data: bytes) -> ScannedPage:
    """Links (in document order) and anchors of one page."""
    root = parse_document(data)
    if root is None:
        return ScannedPage()
    columns = _Columns(data.decode("utf-8", "replace"))
    links: list[Link] = []
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        line = element.sourceline or 1
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            target = _refresh_url(element.get("content") or "")
            if target:
                links.append(Link(target, line, columns.column(line, target), tag, "content"))
            continue
        attributes = _URL_ATTRIBUTES.get(tag)
        if not attributes:
            continue
        rel = tuple((element.get("rel") or "").lower().split())
        if tag == "link" and _HINT_RELS.intersection(rel):
            continue
        hreflang = element.get("hreflang") or ""
        for attribute in attributes:
            value = element.get(attribute)
            if value is None:
                continue
            urls = _srcset_urls(value) if attribute == "srcset" else [value.strip()]
            for url in urls:
                links.append(
                    Link(url, line, columns.column(line, url), tag, attribute, rel, hreflang)
                )
    return ScannedPage(links, anchors_of(root))
