"""The ``helpsite`` command line: a thin layer over the library.

Each subcommand lives in its own module here with two functions: ``add_parser`` declares
its arguments, ``run`` calls the library and turns its result into output and an exit
status. Nothing here does real work, so tests call the library directly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from helpsite import __version__
from helpsite.commands import build, check_po, docs, import_, stats, update_po, validate
from helpsite.commands import compile as compile_command
from helpsite.commands import gettext as gettext_command
from helpsite.commands import linkcheck as linkcheck_command
from helpsite.commands import serve as serve_command
from helpsite.config import ConfigError

SUBCOMMANDS: dict[str, ModuleType] = {
    "validate": validate,
    "build": build,
    "serve": serve_command,
    "import": import_,
    "linkcheck": linkcheck_command,
    "gettext": gettext_command,
    "update-po": update_po,
    "stats": stats,
    "compile": compile_command,
    "check-po": check_po,
    "docs": docs,
}


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="helpsite",
        description="Localized help sites from Markdown help articles.",
        epilog="Run 'helpsite COMMAND --help' for the options of one command.",
    )
    parser.add_argument("--version", action="version", version=f"helpsite {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in SUBCOMMANDS.items():
        module.add_parser(commands, name)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return int(SUBCOMMANDS[args.command].run(args))
    except ConfigError as error:
        print(f"helpsite: configuration error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("helpsite: interrupted", file=sys.stderr)
        return 130
