"""Preview the built site on this machine only (127.0.0.1 or ::1).

Beyond plain static files, the preview server does two things:

- A missing page gets one of the site's 404 pages with status 404: the one of the locale
  the path points into (``/nl-nl/help/123/`` → ``/nl-nl/404.html``), else the source
  locale's (``/nothing-here`` → ``/en-us/404.html``; the source locale is the language
  of the root chooser page, which lists it first).
- With live reload (``helpsite serve --watch``, :class:`LiveReload`), every HTML
  response carries one ``<script src="/_helpsite-live/reload.js">`` that listens on a
  Server-Sent Events stream of the server and reloads the page when its locale was
  rebuilt. The script is added to the response only; the built files never hold it.
"""

from __future__ import annotations

import errno
import html
import io
import ipaddress
import socket
import sys
import threading
from collections.abc import Iterable
from html.parser import HTMLParser
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, urlsplit

from helpsite.config import ConfigError
from helpsite.locales import LocaleError, output_folder
from helpsite.sitebuild.missingpage import NOT_FOUND_PAGE, LocaleNotFoundHandler, locale_404_page

LIVE_PREFIX = "/_helpsite-live/"
EVENTS_PATH = LIVE_PREFIX + "events"  # ?folder=nl-nl: a stream of that folder's generations
SCRIPT_PATH = LIVE_PREFIX + "reload.js"
ROOT_FOLDER = ""  # the files above the locale folders (the chooser)
KEEP_ALIVE_SECONDS = 15.0  # a comment line this often finds the streams of closed tabs

# Reloads the page once the server reports another generation of its folder than the
# one the page was served at (also when the page was rebuilt before the stream opened).
RELOAD_SCRIPT = b"""(function () {
  var me = document.currentScript;
  var loaded = me.getAttribute("data-generation");
  var events = new EventSource("%s?folder=" +
    encodeURIComponent(me.getAttribute("data-folder")));
  events.onmessage = function (event) {
    if (event.data !== loaded) { events.close(); window.location.reload(); }
  };
})();
""" % EVENTS_PATH.encode()


class PortInUse(Exception):
    """The port is taken by another server (``helpsite serve`` exits 2 with this line)."""

    def __init__(self, port: int) -> None:
        super().__init__(f"port {port} is in use; try --port {port + 1} or stop the "
                         "other server")
        self.port = port


class LiveReload:
    """How often each locale folder of the site has been rebuilt (its *generation*);
    the event streams of open pages wait here for the next one."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._generations: dict[str, int] = {}
        self._closed = False

    def generation(self, folder: str) -> int:
        with self._changed:
            return self._generations.get(folder, 0)

    def rebuilt(self, folders: Iterable[str]) -> None:
        """The builds of ``folders`` wrote new pages; the root files are rewritten with
        every build."""
        with self._changed:
            for folder in {*folders, ROOT_FOLDER}:
                self._generations[folder] = self._generations.get(folder, 0) + 1
            self._changed.notify_all()

    def wait(self, folder: str, seen: int, timeout: float) -> int | None:
        """The folder's generation once it is not ``seen`` any more (or ``timeout``
        passed); None when the server closes."""
        with self._changed:
            self._changed.wait_for(
                lambda: self._closed or self._generations.get(folder, 0) != seen, timeout)
            return None if self._closed else self._generations.get(folder, 0)

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()


class _ChooserLanguage(HTMLParser):
    """The ``lang`` of the ``<html>`` element of the chooser page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html" and self.lang is None:
            self.lang = dict(attrs).get("lang") or ""


def source_404_page(root: Path) -> Path | None:
    """The 404 page of the site's source locale: the first locale of the chooser."""
    chooser = root / "index.html"
    if not chooser.is_file():
        return None
    parser = _ChooserLanguage()
    parser.feed(chooser.read_text(encoding="utf-8", errors="replace"))
    try:
        folder = output_folder(parser.lang or "")
    except LocaleError:
        return None
    page = root / folder / NOT_FOUND_PAGE
    return page if page.is_file() else None


def with_reload_script(body: bytes, folder: str, generation: int) -> bytes:
    """``body`` with the reload script before its last ``</body>`` (at the end without)."""
    tag = (f'<script src="{SCRIPT_PATH}" data-folder="{html.escape(folder)}" '
           f'data-generation="{generation}"></script>').encode()
    end = body.lower().rfind(b"</body>")
    return body + tag if end < 0 else body[:end] + tag + body[end:]


class PreviewServer(ThreadingHTTPServer):
    """The preview: :class:`PreviewHandler` over ``directory``, live reload or not."""

    allow_reuse_port = False  # a second server on the same port is an error, not a twin

    def __init__(self, address: tuple[str, int], directory: Path,
                 live: LiveReload | None = None, quiet: bool = False) -> None:
        self.directory = directory
        self.live = live
        self.quiet = quiet
        if ":" in address[0]:  # ::1
            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that went away mid-answer (a reload, a closed tab) is no error worth
        a traceback; anything else is reported as the standard server does."""
        if isinstance(sys.exception(), ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class PreviewHandler(LocaleNotFoundHandler):
    """Static files of the site, its 404 pages, and with live reload the script and its
    event stream."""

    server: PreviewServer

    def __init__(self, *args: object, **kwargs: object) -> None:
        server = args[2]
        assert isinstance(server, PreviewServer)
        super().__init__(*args, directory=str(server.directory), **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.quiet:  # with --watch the terminal is the builds'
            super().log_message(format, *args)

    def end_headers(self) -> None:
        if self.server.live is not None:
            self.send_header("Cache-Control", "no-store")  # a reload gets the new page
        super().end_headers()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if self.server.live is not None and path == EVENTS_PATH:
            self._stream_generations()
        elif self.server.live is not None and path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, RELOAD_SCRIPT, "text/javascript; charset=utf-8")
        else:
            super().do_GET()

    def send_head(self) -> BinaryIO | None:  # type: ignore[override]
        page = self._html_file() if self.server.live is not None else None
        if page is None:
            return super().send_head()  # type: ignore[return-value]
        body = self._live_page(page)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        root = Path(self.directory)
        page = None
        if code == HTTPStatus.NOT_FOUND:
            page = locale_404_page(root, self.path) or source_404_page(root)
        if page is None:
            super().send_error(code, message, explain)
            return
        body = self._live_page(page) if self.server.live is not None else page.read_bytes()
        self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8", message)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str,
              message: str | None = None) -> None:
        self.send_response(status, message)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _html_file(self) -> Path | None:
        """The HTML file this request is answered with (None: not an HTML page, or the
        standard handling redirects it to the folder's address with a slash)."""
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return None
            target = target / "index.html"
        return target if target.suffix in (".html", ".htm") and target.is_file() else None

    def _live_page(self, page: Path) -> bytes:
        assert self.server.live is not None
        parts = page.relative_to(self.directory).parts
        folder = parts[0] if len(parts) > 1 else ROOT_FOLDER
        return with_reload_script(page.read_bytes(), folder,
                                  self.server.live.generation(folder))

    def _stream_generations(self) -> None:
        """Server-Sent Events: the folder's generation now and after each rebuild."""
        live = self.server.live
        assert live is not None
        folder = parse_qs(urlsplit(self.path).query).get("folder", [ROOT_FOLDER])[0]
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen: int | None = live.generation(folder)
        try:
            self.wfile.write(f"retry: 1000\ndata: {seen}\n\n".encode())
            while seen is not None:
                now = live.wait(folder, seen, KEEP_ALIVE_SECONDS)
                if now is not None:
                    line = f"data: {now}\n\n" if now != seen else ": still here\n\n"
                    self.wfile.write(line.encode())
                seen = now
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded


def check_loopback(host: str) -> None:
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise ConfigError(f"refusing to serve on {host}: the preview listens on this machine "
                          "only (127.0.0.1, ::1 or localhost)")


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 8000, *,
                live: LiveReload | None = None, must_exist: bool = True) -> PreviewServer:
    """The preview server, bound (raises :class:`PortInUse`) but not serving yet.
    ``must_exist=False`` for ``--watch``, whose first build makes ``directory``."""
    check_loopback(host)
    if must_exist and not directory.is_dir():
        raise ConfigError(f"{directory} does not exist: run 'make html' first")
    try:
        return PreviewServer((host, port), directory, live, quiet=live is not None)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortInUse(port) from None
        raise
