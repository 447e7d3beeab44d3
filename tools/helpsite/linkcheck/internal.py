"""Internal links: every path, image, download and #fragment resolves in the built site.

A relative link is resolved the way a browser does it, against the page's own place in the
site, so a link in ``nl-nl/billing/a.html`` is looked up in the ``nl-nl`` build. Files are
only stat-ed (with a cache) and pages parsed once for their anchors, so a site of thousands
of pages is checked in seconds. A ``#/path`` fragment on the site's own pages is what MyST
writes for a link target it could not resolve (the built site has no client-side routes):
it is reported as ``check.unresolved-link``, never skipped like a route of an external app.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from helpsite.findings import Code
from helpsite.linkcheck.htmlscan import anchors_of, parse_document
from helpsite.linkcheck.model import LinkResult, Occurrence, Status

_Verdict = tuple[Status, Code | None, str, str | None]  # status, code, message, target file

# Fragments that are not anchors: client-side routes (#/x, #!x) and text fragments.
_NOT_ANCHOR_PREFIXES = ("/", "!", ":~:")


def fragment_is_checkable(fragment: str) -> bool:
    return bool(fragment) and not fragment.startswith(_NOT_ANCHOR_PREFIXES)


def looks_like_script_state(fragment: str) -> bool:
    """A fragment holding '/' or '=' (#blade/Microsoft_AAD_IAM/..., #ID0EAABAAA=Desktop,
    #tab=2) is almost always state read by the page's script, not an element id."""
    return "/" in fragment or "=" in fragment


def fragment_found(fragment: str, anchors: frozenset[str]) -> bool:
    # GitHub renders heading ids as "user-content-<id>" and maps #<id> to them in script.
    return fragment in anchors or f"user-content-{fragment}" in anchors


@dataclass(frozen=True)
class Resolved:
    path: str | None  # posix path relative to the site root, None when outside it
    fragment: str


class FileIndex:
    """Cached folder listings and page anchors under the site root (no stat per link)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listing: dict[str, dict[str, bool]] = {}  # folder -> {name: is a folder}
        self._anchors: dict[str, frozenset[str]] = {}

    def _entries(self, folder: str) -> dict[str, bool]:
        entries = self._listing.get(folder)
        if entries is None:
            try:
                with os.scandir(self.root / folder) as listing:
                    entries = {entry.name: entry.is_dir() for entry in listing}
            except OSError:
                entries = {}
            self._listing[folder] = entries
        return entries

    def kind(self, path: str) -> str | None:
        """'file', 'dir' or None, looked up folder by folder so case differences count."""
        folder, _, name = path.rpartition("/")
        if folder and self.kind(folder) != "dir":
            return None
        is_dir = self._entries(folder).get(name)
        if is_dir is None:
            return None
        return "dir" if is_dir else "file"

    def case_variant(self, path: str) -> str | None:
        """The existing path that equals ``path`` when case is ignored, if any."""
        folder = ""
        for part in path.split("/"):
            entries = {name.lower(): name for name in self._entries(folder)}
            match = entries.get(part.lower())
            if match is None:
                return None
            folder = f"{folder}/{match}" if folder else match
        return folder

    def set_anchors(self, path: str, anchors: frozenset[str]) -> None:
        self._anchors[path] = anchors

    def anchors(self, path: str) -> frozenset[str]:
        if path not in self._anchors:
            try:
                data = (self.root / path).read_bytes()
            except OSError:
                data = b""
            self._anchors[path] = anchors_of(parse_document(data))
        return self._anchors[path]


def resolve(page_from_root: str, url: str) -> Resolved:
    """Where a relative or root-relative URL in a page leads, relative to the site root."""
    parts = urlsplit(url)
    fragment = unquote(parts.fragment)
    path = unquote(parts.path)
    if not path:
        return Resolved(page_from_root, fragment)
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(page_from_root), path)
    trailing = path.endswith("/")
    normal = posixpath.normpath(joined) if joined else "."
    if normal == ".." or normal.startswith("../"):
        return Resolved(None, fragment)
    if normal == ".":
        normal = ""
    if trailing and normal:
        normal += "/"
    return Resolved(normal, fragment)


class InternalChecker:
    """Checks the internal links of all locales against the files of the built site."""

    def __init__(self, files: FileIndex, page_key: Callable[[Occurrence], str]) -> None:
        self.files = files
        self._page_key = page_key  # occurrence -> its page's path relative to the site root
        self._verdicts: dict[tuple[str, str], _Verdict] = {}

    def _target_file(self, path: str) -> tuple[str | None, str]:
        """(existing file, "" ) or (None, why not)."""
        if path in ("", "/") or path.endswith("/"):
            folder = path.rstrip("/")
            index = f"{folder}/index.html" if folder else "index.html"
            return (index, "") if self.files.kind(index) == "file" else (None, "no index.html")
        kind = self.files.kind(path)
        if kind == "file":
            return path, ""
        if kind == "dir":
            index = f"{path}/index.html"
            return (index, "") if self.files.kind(index) == "file" else (None, "no index.html")
        variant = self.files.case_variant(path)
        if variant:
            return None, f"only '{variant}' exists (the case differs; the web server is " \
                         "case-sensitive)"
        return None, "no such file"

    def check(self, occurrence: Occurrence, url: str | None = None) -> LinkResult:
        """The result of ``url`` (default: the occurrence's own URL) in its page."""
        page = self._page_key(occurrence)
        url = occurrence.url if url is None else url
        # The same URL written in pages of one folder resolves the same way (navigation
        # repeats the same links on every page), so the verdict is computed once.
        same_page = url.startswith(("#", "?"))
        key = (page if same_page else posixpath.dirname(page), url)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdict(page, url)
            self._verdicts[key] = verdict
        status, code, message, target = verdict
        return LinkResult(occurrence, status, code, message, target)

    def _verdict(self, page: str, url: str) -> _Verdict:
        resolved = resolve(page, url)
        if resolved.path is None:
            return Status.BROKEN, Code.CHECK_INTERNAL_MISSING, "leads outside the built site", None
        target, why = self._target_file(resolved.path)
        if target is None:
            hint = (" (a root-relative link: it needs the same path on the web server; "
                    "write an absolute https:// URL or a relative link)"
                    if url.startswith("/") else "")
            return (Status.BROKEN, Code.CHECK_INTERNAL_MISSING,
                    f"not found in the built site: {why}{hint}", None)
        fragment = resolved.fragment
        if fragment.startswith("/") and target.endswith(".html"):
            return Status.BROKEN, Code.CHECK_UNRESOLVED_LINK, _unresolved(url, target), None
        checkable = fragment_is_checkable(fragment) and target.endswith(".html")
        if checkable and not fragment_found(fragment, self.files.anchors(target)):
            return (Status.BROKEN, Code.CHECK_ANCHOR_MISSING,
                    f"the page has no anchor '#{fragment}'", None)
        return Status.OK, None, "", target


def _unresolved(url: str, target: str) -> str:
    """Why a '#/path' fragment of the site's own pages leads nowhere, and what to write."""
    fragment = url.split("#", 1)[1]
    if url.startswith("#"):
        return (f"MyST could not resolve the link target '{unquote(fragment)}' when the page "
                "was built and wrote it as this fragment, which leads nowhere: link to an "
                "existing Markdown file by its relative path (setup.md, ../billing/x.md), "
                "to a heading of the page (#slug), or write a full https:// URL")
    return (f"MyST could not resolve '#{unquote(fragment)}' to a heading of {target}: link "
            "to a heading's slug (page.md#slug) or to the page alone")
