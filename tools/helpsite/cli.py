"""The ``helpsite`` command's entry point (console script and ``python -m helpsite``).

It imports nothing but :mod:`sys` before it knows the command: for ``helpsite build``
the first locale process (:mod:`helpsite.sitebuild.warm`) starts here, before the
command's own modules are imported, so that its half second of importing Sphinx begins
as early as it can.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def build_requested(argv: Sequence[str]) -> bool:
    """Whether the command line runs ``helpsite build`` (not only asks for its help)."""
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    return command == "build" and not {"-h", "--help"} & set(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if build_requested(arguments):
        from helpsite.sitebuild import warm

        warm.start()  # the command stops it if no locale takes it
    from helpsite.commands import main as run_command

    return run_command(arguments)
