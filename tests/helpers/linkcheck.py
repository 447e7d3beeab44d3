"""Helpers for the link-checker tests (no tests here): fake built sites and a local server.

The server listens on 127.0.0.1 only, logs every request with its time, and counts the
connections open at the same time, so tests can prove "one request per URL" and "never more
than N connections". Every handler is bounded in time; the server stops after each test.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from helpsite.linkcheck.settings import LinkcheckSettings

Handler = Callable[["RequestHandler"], None]


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    at: float


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
    server: LocalServer._Server
    timeout = 10  # a stuck client cannot hold a server thread

    def setup(self) -> None:
        super().setup()
        self.server.owner.connection_opened()

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner.connection_closed()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _dispatch(self) -> None:
        owner = self.server.owner
        owner.record(self.command, self.path)
        handler = owner.routes.get(self.path.split("?", 1)[0])
        if handler is None:
            self.respond(404, b"<html><body>not found</body></html>")
        else:
            handler(self)

    do_GET = _dispatch
    do_HEAD = _dispatch

    def respond(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
                content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(status)
        all_headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
        all_headers.update(headers or {})
        for name, value in all_headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class LocalServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 with routes, a request log and a gauge."""

    class _Server(ThreadingHTTPServer):
        daemon_threads = True
        owner: LocalServer

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: list[Hit] = []
        self.active = 0
        self.max_active = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._server = self._Server(("127.0.0.1", 0), RequestHandler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def page(self, path: str, body: str = "<p>ok</p>", status: int = 200) -> None:
        content = f"<!DOCTYPE html><html><body>{body}</body></html>".encode()
        self.route(path, lambda r: r.respond(status, content))

    def record(self, method: str, path: str) -> None:
        with self._lock:
            self.hits.append(Hit(method, path, time.monotonic()))

    def requests_for(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    def connection_opened(self) -> None:
        with self._lock:
            self.active += 1
            self.connections += 1
            self.max_active = max(self.max_active, self.active)

    def connection_closed(self) -> None:
        with self._lock:
            self.active -= 1

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def running_server() -> Iterator[LocalServer]:
    """Use as a fixture body: ``with running_server() as local: yield local``."""
    local = LocalServer()
    try:
        yield local
    finally:
        local.stop()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def html_page(*lines: str, title: str = "Page") -> str:
    """A page with one link (or element) per line, so line numbers are predictable."""
    body = "\n".join(lines)
    return (f"<!DOCTYPE html>\n<html>\n<head><title>{title}</title></head>\n<body>\n"
            f"{body}\n</body>\n</html>\n")


def link(url: str, text: str = "link") -> str:
    return f'<p><a href="{url}">{text}</a></p>'


def write_site(root: Path, pages: dict[str, dict[str, str]]) -> Path:
    """``{"en-us": {"index.html": "<html>..."}}`` written as a built multi-locale site."""
    for locale, files in pages.items():
        for name, text in files.items():
            path = root / locale / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return root


def local_settings(**changes: object) -> LinkcheckSettings:
    """Settings for tests: 127.0.0.1 allowed, short timeouts, no DNS canary."""
    base = {"allow_private_addresses": True, "timeout": 3.0, "connect_timeout": 1.0,
            "retries": 0, "retry_after_cap": 2.0, "dns_canary": ""}
    base.update(changes)
    return LinkcheckSettings(**base)  # type: ignore[arg-type]


class SocketAudit:
    """Every socket.connect and getaddrinfo of this process while recording (audit hooks)."""

    _installed: SocketAudit | None = None

    def __init__(self) -> None:
        self.connects: list[object] = []
        self.lookups: list[object] = []
        self.recording = False

    @classmethod
    def get(cls) -> SocketAudit:
        if cls._installed is None:
            audit = cls()
            sys.addaudithook(audit._hook)  # hooks cannot be removed: one for the session
            cls._installed = audit
        return cls._installed

    def _hook(self, event: str, args: tuple[object, ...]) -> None:
        if not self.recording:
            return
        if event == "socket.connect":
            self.connects.append(args[1])
        elif event == "socket.getaddrinfo":
            self.lookups.append(args[0])


@contextmanager
def recording_sockets() -> Iterator[SocketAudit]:
    audit = SocketAudit.get()
    audit.connects.clear()
    audit.lookups.clear()
    audit.recording = True
    try:
        yield audit
    finally:
        audit.recording = False
