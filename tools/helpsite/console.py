"""The console helpsite prints its tables on: as wide as the terminal, or wide anyway.

Rich falls back to 80 columns when no stream is a terminal (a pipe, a CI log), and then
cuts table cells short (``accou…``), which hides the very page names a log is read for.
:func:`make_console` uses ``COLUMNS`` when it is set, else the width of the terminal, else
:data:`WIDE` columns (a log wraps long lines itself).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from rich.console import Console

WIDE = 200  # columns when neither COLUMNS nor a terminal says


def console_width(environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    columns = environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for descriptor in (1, 2, 0):  # stdout, stderr, stdin: whichever is a terminal
        try:
            width = os.get_terminal_size(descriptor).columns
        except (OSError, ValueError):
            continue
        if width > 0:
            return width
    return WIDE


def make_console(*, stderr: bool = False) -> Console:
    """A rich console for tables and reports (``stderr``: for progress and summaries)."""
    return Console(stderr=stderr, width=console_width())
