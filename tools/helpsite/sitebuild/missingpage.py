"""The preview server's answer to a missing page: the locale's own 404 page.

A request for ``/nl-nl/help/9999999/`` that matches no file gets ``/nl-nl/404.html`` (in
Dutch, with a search box) and status 404, as the static hosts configured in
docs/reader-features.md do. Outside a locale folder, or for a locale without 404 page,
the standard error page is sent.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

NOT_FOUND_PAGE = "404.html"
_FOLDER = re.compile(r"^[A-Za-z0-9_-]+$")


def locale_404_page(root: Path, request_path: str) -> Path | None:
    """``<root>/<first path segment>/404.html`` when that segment is a plain folder name
    (never ``..``) and the page exists."""
    first = unquote(urlsplit(request_path).path).lstrip("/").split("/", 1)[0]
    if not _FOLDER.match(first):
        return None
    page = root / first / NOT_FOUND_PAGE
    return page if page.is_file() else None


class LocaleNotFoundHandler(SimpleHTTPRequestHandler):
    """:class:`SimpleHTTPRequestHandler` with the locale 404 page for missing paths."""

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = locale_404_page(Path(self.directory), self.path) \
            if code == HTTPStatus.NOT_FOUND else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(HTTPStatus.NOT_FOUND, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
