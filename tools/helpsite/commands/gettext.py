"""``helpsite gettext``: extract the POT files (one per article) with Sphinx."""

from __future__ import annotations

import argparse
from pathlib import Path

from sphinx.cmd.build import build_main

from helpsite.files import check_output_folder


def add_parser(commands: argparse._SubParsersAction, name: str) -> None:
    parser = commands.add_parser(
        name, help="extract POT files for all articles into build/gettext/",
        description="Run Sphinx's gettext builder: one POT per article (gettext_compact "
                    "off), including the translatable front matter (title, description).")
    parser.add_argument("--conf-dir", type=Path, default=Path("."),
                        help="folder holding conf.py (default: .)")
    parser.add_argument("--source", type=Path, default=Path("source"),
                        help="folder of source articles (default: source/)")
    parser.add_argument("--out", type=Path, default=Path("build/gettext"),
                        help="output folder (default: build/gettext/)")


def run(args: argparse.Namespace) -> int:
    # POT files among the articles or catalogs would be read as input next time.
    check_output_folder(args.out, {"source": args.source,
                                   "locales": args.conf_dir / "locales"})
    return build_main(["-q", "-b", "gettext", "-c", str(args.conf_dir),
                       "-D", "gettext_compact=0", str(args.source), str(args.out)])
