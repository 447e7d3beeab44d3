"""``python -m helpsite.sitebuild.sphinxmain ARGS``: sphinx-build, ended without teardown.

At interpreter exit Python frees the build's objects one by one — for a 3,000-article
environment over half a second, on every incremental build. Everything the build writes
is closed by then, so this entry point flushes the standard streams and leaves with
``os._exit`` (the locale processes of :mod:`helpsite.sitebuild.runner` run it).
"""

from __future__ import annotations

import os
import sys

from sphinx.cmd.build import main


def run(argv: list[str]) -> None:
    status = main(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    run(sys.argv[1:])
