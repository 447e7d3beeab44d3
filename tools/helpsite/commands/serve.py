"""``helpsite serve``: preview the built site at http://127.0.0.1:8000/; with ``--watch``,
rebuild what a save changed and reload the open pages (live preview)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from rich.console import Console

from helpsite.config import ConfigError
from helpsite.sitebuild.serve import LiveReload, PortInUse, PreviewServer, make_server

EPILOG = """examples:
  helpsite serve                          the site as built, from build/html/
  helpsite serve --watch                  build it, then rebuild and reload on every save
  helpsite serve --watch --locales "en-US nl-NL"
                                          build and watch two of the locales only
  helpsite serve --port 8001              another port (8000 is taken)

With --watch, a saved article or media file under --source, or conf.py, rebuilds every
locale; a saved catalog (locales/<tag>/LC_MESSAGES/*.po) only its locale. Rebuilds are
incremental, as `helpsite build` (only changed articles are read again), one at a time:
saves during a rebuild are built right after it, together. Build errors are printed here
and the preview goes on with the last good pages. Each open page listens to the server
(/_helpsite-live/events) and reloads when its locale was rebuilt; the small script that
does it is added to the pages as they are served, never to the built files, so a site
deployed from build/html has none. Only loopback addresses are served (127.0.0.1,
::1, localhost). A port in use ends the command with exit status 2."""


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="preview the built site on this machine",
        description="Serve the built site (all locales and the language chooser) on "
                    "127.0.0.1 until Ctrl+C; with --watch, build it first, then rebuild "
                    "what each save changes and reload the open browser pages.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path,
                        help="built folder to serve, without --watch (default: build/html)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="loopback address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    live = parser.add_argument_group("live preview (--watch)")
    live.add_argument("-w", "--watch", action="store_true",
                      help="build the site into OUT/html, serve it, rebuild on save and "
                           "reload the browser")
    live.add_argument("--conf-dir", type=Path, default=Path("."),
                      help="folder holding conf.py (default: .)")
    live.add_argument("--source", type=Path, default=Path("source"),
                      help="folder of source articles (default: source/)")
    live.add_argument("--out", type=Path, default=Path("build"),
                      help="output folder, as for `helpsite build` (default: build/)")
    live.add_argument("--locales", default="",
                      help='space-separated subset of the configured locales to build '
                           '(default: all)')
    live.add_argument("-p", "--parallel", type=int, default=0, metavar="N",
                      help="locales built at once (default: one per CPU)")


def run(args: argparse.Namespace) -> int:
    if args.watch and args.dir is not None:
        raise ConfigError("--dir is for serving a built folder; with --watch the site is "
                          "built into --out and served from OUT/html")
    directory = args.out / "html" if args.watch else args.dir or Path("build/html")
    live = LiveReload() if args.watch else None
    try:
        server = make_server(directory, args.host, args.port, live=live,
                             must_exist=not args.watch)
    except PortInUse as error:
        print(f"helpsite: {error}", file=sys.stderr)
        return 2
    try:
        return _watch_and_serve(args, server) if args.watch else _serve(server, directory)
    finally:
        server.server_close()


def _announce(server: PreviewServer, directory: Path, what: str) -> None:
    host, port = server.server_address[:2]
    host = f"[{host}]" if ":" in host else host  # an IPv6 address in a URL
    Console(stderr=True).print(
        f"Serving {directory} at [bold]http://{host}:{port}/[/]{what} — press Ctrl+C to stop",
        highlight=False)


def _serve(server: PreviewServer, directory: Path) -> int:
    _announce(server, directory, "")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C is how the preview ends
        server.serve_forever()
    return 0


def _watch_and_serve(args: argparse.Namespace, server: PreviewServer) -> int:
    # imported here: plain `helpsite serve` needs neither Sphinx nor watchfiles
    from helpsite.sitebuild.watch import EVERY_LOCALE, Rebuilder, Watcher, WatchSettings

    settings = WatchSettings(args.conf_dir, args.source, args.out, args.locales,
                             args.parallel)
    settings.plan({EVERY_LOCALE})  # a wrong --conf-dir or --locales: stop before serving
    console = Console(stderr=True)
    live = server.live
    assert live is not None
    rebuilder = Rebuilder(settings, console, live.rebuilt)
    watcher = Watcher(settings, rebuilder).start()  # saves during the first build count
    try:
        rebuilder.rebuild({EVERY_LOCALE})
        rebuilder.start()
        _announce(server, settings.html_root, ", rebuilt and reloaded on save")
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        live.close()
        watcher.stop()
        rebuilder.stop()
    return 0
