"""``helpsite build``: build the help site of each locale."""

from __future__ import annotations

import argparse
from pathlib import Path

from sphinx.cmd.build import build_main


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(name, help="build the HTML site of every locale",
                                 description="Build the HTML help site of every locale.")
    parser.add_argument("--conf-dir", type=Path, default=Path("."),
                        help="folder holding conf.py (default: .)")
    parser.add_argument("--source", type=Path, default=Path("source"),
                        help="folder of source articles (default: source/)")
    parser.add_argument("--out", type=Path, default=Path("build"),
                        help="output folder (default: build/)")
    parser.add_argument("--locales", default="",
                        help="space-separated subset of the configured locales")


def run(args: argparse.Namespace) -> int:
    out = args.out / "html" / "en-us"
    return build_main([
        "-b", "html", "-q", "-c", str(args.conf_dir), "-d", str(args.out / "doctrees" / "en-us"),
        str(args.source), str(out),
    ])
