"""Read one HTML page: every URL it points to (with its line) and every anchor it offers.

Only the parsed document is trusted (lxml's HTML parser), never a text search, so comments,
scripts and attribute escaping cannot produce false links. The column is recovered later,
for reported links only, by finding the attribute's value on its line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import lxml.etree

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


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    line: int
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


def find_column(lines: list[str], line: int, value: str) -> int:
    """The column of an attribute value on (or just after) its element's line; parsers keep
    only line numbers, and columns are needed only for the few links that are reported."""
    candidates = (value, html.escape(value, quote=True), html.escape(value, quote=False))
    for index in range(max(line - 1, 0), min(line + 4, len(lines))):
        for candidate in candidates:
            position = lines[index].find(candidate) if candidate else -1
            if position >= 0:
                return position + 1
    return 1


_PARSER = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True)


def parse_document(data: bytes) -> lxml.etree._Element | None:
    """The parsed page (plain lxml elements: faster than lxml.html's element classes)."""
    if not data.strip():
        return None
    try:
        return lxml.etree.fromstring(data, _PARSER)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError):
        return None


def anchors_of(root: lxml.etree._Element | None) -> frozenset[str]:
    """Fragment targets: every id, and the name of <a> elements (as HTML defines them)."""
    if root is None:
        return frozenset()
    found = {str(value) for value in root.xpath("//@id | //a/@name") if value}
    return frozenset(found)


# A page that runs a script and whose body holds less readable text than this is an app
# shell: its content, and the ids a #fragment names, are made by the script in the browser.
SCRIPT_SHELL_TEXT = 200
_SHELL_TEXT = ("./descendant::text()[not(ancestor::script or ancestor::style or "
               "ancestor::noscript or ancestor::template)]")


def is_script_shell(root: lxml.etree._Element | None) -> bool:
    """True for a page whose text is built by script (an app shell such as
    ``<div id="root"></div><script src="app.js">``): its HTML cannot tell which ids exist."""
    if root is None or not root.xpath("//script"):
        return False
    body = root.find("body")
    texts = (body if body is not None else root).xpath(_SHELL_TEXT)
    return sum(len(" ".join(str(text).split())) for text in texts) < SCRIPT_SHELL_TEXT


def scan_page(data: bytes) -> ScannedPage:
    """Links (in document order) and anchors of one page."""
    root = parse_document(data)
    if root is None:
        return ScannedPage()
    links: list[Link] = []
    for element in root.iter(*_URL_ATTRIBUTES, "meta"):
        tag = element.tag
        line = element.sourceline or 1
        if tag == "meta":
            if (element.get("http-equiv") or "").lower() == "refresh":
                target = _refresh_url(element.get("content") or "")
                if target:
                    links.append(Link(target, line, tag, "content"))
            continue
        rel = tuple((element.get("rel") or "").lower().split())
        if tag == "link" and _HINT_RELS.intersection(rel):
            continue
        hreflang = element.get("hreflang") or ""
        for attribute in _URL_ATTRIBUTES[tag]:
            value = element.get(attribute)
            if value is None:
                continue
            urls = _srcset_urls(value) if attribute == "srcset" else [value.strip()]
            links.extend(Link(url, line, tag, attribute, rel, hreflang) for url in urls)
    return ScannedPage(links, anchors_of(root))
