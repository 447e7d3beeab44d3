"""The ``helpsite`` command's entry point (console script and ``python -m helpsite``).

The command line itself is :mod:`helpsite.commands` (the parser, one module per command,
the errors a command ends with); this module only hands the arguments over. Imports run
one way, from here to the commands and never back (``tests/test_portable_imports.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from helpsite.commands import main as run_command


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(list(sys.argv[1:] if argv is None else argv))
