"""What kind of link a URL is, and the one canonical form an external URL is requested in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import unquote, urlsplit, urlunsplit

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_UNSAFE_SCHEMES = {"javascript", "vbscript"}
_DEFAULT_PORTS = {"http": 80, "https": 443}


class LinkKind(StrEnum):
    INTERNAL = "internal"  # a path inside the built site (relative, root-relative, #fragment)
    EXTERNAL = "external"  # an absolute http(s) URL
    OTHER_SCHEME = "other-scheme"  # mailto:, tel:, ms-settings:, data: ... (never requested)
    UNSAFE = "unsafe"  # javascript:, vbscript: (must never reach a page)


def scheme_of(url: str) -> str:
    """The lowercase scheme of a URL, '' for relative ones (Windows drive letters aside)."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else ""


def classify(url: str) -> LinkKind:
    """The kind of a link as written in a page (already stripped of surrounding spaces)."""
    if url.startswith("//"):
        return LinkKind.EXTERNAL
    scheme = scheme_of(url)
    if not scheme:
        return LinkKind.INTERNAL
    if scheme in ("http", "https"):
        return LinkKind.EXTERNAL
    if scheme in _UNSAFE_SCHEMES:
        return LinkKind.UNSAFE
    return LinkKind.OTHER_SCHEME


@dataclass(frozen=True)
class ExternalUrl:
    """An absolute URL split into what is requested and the fragment checked in the page."""

    request_url: str
    fragment: str
    host_key: str  # "host:port", the unit of politeness and of failing fast


def normalize_external(url: str) -> ExternalUrl:
    """The canonical form: lowercase scheme and host, no default port, '/' for an empty
    path, no fragment. The query is kept as written (servers may care about its order)."""
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None  # an invalid port is left for the request to report
    if port == _DEFAULT_PORTS.get(scheme):
        port = None
    netloc = f"[{host}]" if ":" in host else host
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{userinfo}@{netloc}"
    if port is not None:
        netloc = f"{netloc}:{port}"
    path = parts.path or "/"
    request_url = urlunsplit((scheme, netloc, path, parts.query, ""))
    effective_port = port if port is not None else _DEFAULT_PORTS.get(scheme, 0)
    return ExternalUrl(request_url, unquote(parts.fragment), f"{host}:{effective_port}")


def host_key(url: str) -> str:
    return normalize_external(url).host_key


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def display_host(url: str) -> str:
    """'host' for default ports, 'host:port' otherwise: how a host is named in reports."""
    key = normalize_external(url).host_key
    return key.rsplit(":", 1)[0] if key.endswith((":80", ":443")) else key
