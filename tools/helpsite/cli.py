"""The ``helpsite`` command's entry point (console script and ``python -m helpsite``).

It imports nothing but :mod:`sys` before it knows the command: for ``helpsite build``
the first locale process (:mod:`helpsite.sitebuild.warm`) starts here, before the
command's own modules are imported, so that its half second of importing Sphinx begins
as early as it can.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def command_word(argv: Sequence[str]) -> str | None:
    """The command the line names: its first argument that is not an option."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def build_requested(argv: Sequence[str]) -> bool:
    """Whether the command line runs ``helpsite build`` (not only asks for its help)."""
    return command_word(argv) == "build" and not {"-h", "--help"} & set(argv)


def start_ahead(argv: Sequence[str]) -> bool:
    """For ``helpsite build`` (True): the first locale process starts importing Sphinx
    now (:mod:`helpsite.sitebuild.warm`), unless a previous build left a spare that has
    done so (:mod:`helpsite.sitebuild.spare`). Starting it twice starts one."""
    if not build_requested(argv):
        return False
    from helpsite.sitebuild import spare, warm

    if not spare.ready():
        warm.start()  # the command stops it if no locale takes it
    return True


def fault_line(command: str | None, error: OSError) -> str:
    """The one line a command ends with when the file system fails it (a full disk, a
    read-only folder, no permission): the file and what to do, never a traceback. The
    writers raise :class:`helpsite.catalogs.atomic.WriteFailed`, whose message says so;
    any other ``OSError`` is named with its file."""
    from helpsite.catalogs.atomic import WriteFailed

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
    import argparse  # here: the entry point imports nothing before it knows the command

    args, unknown = parser.parse_known_args(argv)
    if unknown:
        command = getattr(args, "command", None)
        chooser = next((action for action in parser._actions  # argparse keeps no other list
                        if isinstance(action, argparse._SubParsersAction)), None)
        chosen = chooser.choices.get(command) if chooser is not None and command else None
        (chosen or parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    start_ahead(arguments)
    from helpsite.commands import main as run_command

    return run_command(arguments)
