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


def command_word(argv: Sequence[str]) -> str | None:
    """The command the line names: its first argument that is not an option."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def fault_line(command: str | None, error: OSError) -> str:
    """The one line a command ends with when the file system fails it (a full disk, a
    read-only folder, no permission): the file and what to do, never a traceback. The
    writers raise :class:`helpsite.files.WriteFailed`, whose message says so;
    any other ``OSError`` is named with its file."""
    from helpsite.files import WriteFailed

    prefix = f"helpsite {command}: error:" if command else "helpsite: error:"
    if isinstance(error, WriteFailed):
        return f"{prefix} {error}"
    where = f" {error.filename}" if error.filename else ""
    return f"{prefix}{where}: {error.strerror or error}"


def parse_command_line(parser: argparse.ArgumentParser, argv: Sequence[str]
                       ) -> argparse.Namespace:
    """``parser.parse_args``, except that arguments the chosen command does not know
    (``helpsite validate --strikt``) are reported with that command's usage, not the
    top-level one: argparse's subcommands hand unknown arguments up to the main parser,
    whose usage does not show the options the writer was looking for."""
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        command = getattr(args, "command", None)
        chooser = next((action for action in parser._actions  # argparse keeps no other list
                        if isinstance(action, argparse._SubParsersAction)), None)
        chosen = chooser.choices.get(command) if chooser is not None and command else None
        (chosen or parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


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


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
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
