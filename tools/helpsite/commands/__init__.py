"""The ``helpsite`` command line: a thin layer over the library.

Each subcommand lives in its own module here with two functions: ``add_parser`` declares
its arguments, ``run`` calls the library and turns its result into output and an exit
status. Nothing here does real work, so tests call the library directly.

Only the module of the command being run is imported: ``helpsite validate`` must not pay
for Sphinx, the importers and the link checker (over a second of imports) on every start.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from helpsite import __version__
from helpsite.cli import command_word, fault_line, parse_command_line, start_ahead
from helpsite.config import ConfigError
from helpsite.files import OutputFolderError
from helpsite.locales import LocaleError

# name → (module in this package, one-line summary for `helpsite --help`)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", "check articles (front matter, links, steps, HTML)"),
    "build": ("build", "build the HTML site of every locale"),
    "merge": ("merge", "assemble the site from shards built by separate jobs"),
    "serve": ("serve", "preview the built site on 127.0.0.1"),
    "gettext": ("gettext", "extract message templates (.pot) from the articles"),
    "update-po": ("update_po", "merge the templates into every locale's catalogs"),
    "stats": ("stats", "translation statistics per locale and page"),
    "compile": ("compile", "compile PO files to .mo (only changed ones)"),
    "check-po": ("check_po", "translation QA on PO files (links, code, HTML)"),
    "linkcheck": ("linkcheck", "check internal and external links of the built sites"),
    "handoff": ("handoff", "translation handoff: match-band analysis, export, import"),
    "import": ("import_", "import existing translations (sxs files, localized Markdown)"),
    "docs": ("docs", "regenerate docs/metadata-reference.md and docs/finding-codes.md"),
}


def load_command(name: str) -> ModuleType:
    return importlib.import_module(f"helpsite.commands.{SUBCOMMANDS[name][0]}")


def _chosen_command(argv: Sequence[str]) -> str | None:
    word = command_word(argv)
    return word if word in SUBCOMMANDS else None


def make_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; only the chosen command (or every one, when none is) gets its options."""
    parser = argparse.ArgumentParser(
        prog="helpsite",
        description="Localized help sites from Markdown help articles.",
        epilog="Run 'helpsite COMMAND --help' for the options of one command.",
    )
    parser.add_argument("--version", action="version", version=f"helpsite {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = _chosen_command(argv)
    for name, (_module, summary) in SUBCOMMANDS.items():
        if name == chosen:
            load_command(name).add_parser(commands, name)
        else:
            commands.add_parser(name, help=summary)
    return parser


def _start_ahead(argv: Sequence[str]) -> ModuleType | None:
    """A build's first locale process starts importing Sphinx now, beside the start-up
    of the command and its planning (:mod:`helpsite.sitebuild.warm`); the entry point
    (:mod:`helpsite.cli`) has started it already, unless the command was called from
    Python."""
    if not start_ahead(argv):
        return None
    from helpsite.sitebuild import warm

    return warm


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    warm = _start_ahead(argv)
    try:
        args = parse_command_line(make_parser(argv), argv)
        return int(load_command(args.command).run(args))
    except ConfigError as error:
        print(f"helpsite: configuration error: {error}", file=sys.stderr)
        return 2
    except (LocaleError, OutputFolderError) as error:  # a --locales or --out that is refused
        print(f"helpsite {command_word(argv)}: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a full disk, a read-only folder: one line, not a traceback
        print(fault_line(command_word(argv), error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("helpsite: interrupted", file=sys.stderr)
        return 130
    finally:
        if warm is not None:
            warm.discard()  # not taken: the command ended before any locale started
