"""``helpsite serve``: preview the built site at http://127.0.0.1:8000/."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from helpsite.sitebuild.serve import make_server


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="preview the built site on this machine",
        description="Serve the built site (all locales and the language chooser) on "
                    "127.0.0.1 until Ctrl+C. Only loopback addresses are accepted.")
    parser.add_argument("--dir", type=Path, default=Path("build/html"),
                        help="folder to serve (default: build/html)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="loopback address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")


def run(args: argparse.Namespace) -> int:
    server = make_server(args.dir, args.host, args.port)
    host, port = server.server_address[:2]
    Console(stderr=True).print(
        f"Serving {args.dir} at [bold]http://{host}:{port}/[/] — press Ctrl+C to stop")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
