"""What a link target is: unsafe, external, in-page, on the live site, or a file in the tree.

Shared by the Markdown link checks and the raw-HTML checks, so ``[x](javascript:...)`` and
``<a href="javascript:...">`` are judged by one rule.
"""

from __future__ import annotations

import re
from enum import Enum
from urllib.parse import unquote

# Schemes that run code in the reader's browser, or (file:) reach into the reader's machine.
UNSAFE_SCHEMES = ("javascript", "vbscript", "livescript", "data", "file")

# Browsers ignore ASCII tabs and newlines anywhere in a URL, and leading control characters
# and spaces, so "java\tscript:" is still javascript:.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# Raster images in a data: URL cannot run code (the same rule as markdown-it's validateLink).
_SAFE_DATA_IMAGE = re.compile(r"data:image/(gif|png|jpeg|jpg|webp)[;,]")


class TargetKind(Enum):
    UNSAFE = "unsafe"  # javascript:, vbscript:, livescript:, file:, data: (but raster images)
    EXTERNAL = "external"  # any other scheme (https:, mailto:, ms-settings:) or //host
    ANCHOR = "anchor"  # #fragment in the same page
    SITE = "site"  # /root-relative: a page of the live web site, not a file of this tree
    EMPTY = "empty"  # no target at all
    RELATIVE = "relative"  # a file of the source tree, relative to the article


def scheme_of(target: str) -> str | None:
    match = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", target).lower())
    return match.group(1) if match else None


_UNSAFE_SCHEME_NAMED = re.compile("|".join(f"{name}:" for name in UNSAFE_SCHEMES))


def may_hold_unsafe_url(text: str) -> bool:
    """False when no part of ``text`` can be a target :func:`classify` finds unsafe (it
    names none of the unsafe schemes, even with the characters browsers ignore)."""
    squeezed = _IGNORED_IN_SCHEME.sub("", text).lower()
    return _UNSAFE_SCHEME_NAMED.search(squeezed) is not None


def classify(target: str, *, image: bool = False) -> TargetKind:
    stripped = target.strip()
    if not stripped:
        return TargetKind.EMPTY
    scheme = scheme_of(stripped)
    if scheme in UNSAFE_SCHEMES:
        squeezed = _IGNORED_IN_SCHEME.sub("", stripped).lower()
        if image and _SAFE_DATA_IMAGE.match(squeezed):
            return TargetKind.EXTERNAL
        return TargetKind.UNSAFE
    if scheme is not None or stripped.startswith("//"):
        return TargetKind.EXTERNAL
    if stripped.startswith("#"):
        return TargetKind.ANCHOR
    if stripped.startswith(("/", "\\")):
        return TargetKind.SITE
    return TargetKind.RELATIVE


def file_part(target: str) -> str:
    """The path of a relative target: no ``?query`` or ``#fragment``, %-escapes decoded."""
    path = re.split(r"[?#]", target.strip(), maxsplit=1)[0]
    return unquote(path)


def shorten(target: str, limit: int = 60) -> str:
    return target if len(target) <= limit else target[: limit - 3] + "..."
