"""Preview the built site on this machine only (127.0.0.1 or ::1)."""

from __future__ import annotations

import functools
import ipaddress
from http.server import ThreadingHTTPServer
from pathlib import Path

from helpsite.config import ConfigError
from helpsite.sitebuild.notfound import LocaleNotFoundHandler


def check_loopback(host: str) -> None:
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise ConfigError(f"refusing to serve on {host}: the preview listens on this machine "
                          "only (127.0.0.1, ::1 or localhost)")


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    check_loopback(host)
    if not directory.is_dir():
        raise ConfigError(f"{directory} does not exist: run 'make html' first")
    # A missing page under /<locale>/ gets that locale's 404.html (status 404).
    handler = functools.partial(LocaleNotFoundHandler, directory=str(directory))
    return ThreadingHTTPServer((host, port), handler)
