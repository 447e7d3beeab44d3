"""``python -m helpsite.sitebuild.sphinxmain ARGS``: sphinx-build tuned for short runs.

Two costs of an incremental build of a large site are Python's, not Sphinx's:

- Start-up creates millions of long-lived objects (the modules, then the pickled
  environment: ~6 MB for 3,000 articles), and the cyclic garbage collector walks them
  again and again while they are created — more than half of the time spent unpickling.
  So the collector is off during start-up; :mod:`helpsite.sphinx.startup` freezes what
  start-up made and turns it back on once the builder exists (reading thousands of
  documents does leave cyclic garbage).
- At interpreter exit Python frees the build's objects one by one — for a 3,000-article
  environment over half a second. Everything the build writes is closed by then, so this
  entry point flushes the standard streams and leaves with ``os._exit``.

The locale processes of :mod:`helpsite.sitebuild.runner` run it.
"""

from __future__ import annotations

import gc
import os
import sys


def run(argv: list[str]) -> None:
    gc.disable()
    from sphinx.cmd.build import main  # imported with the collector off, too

    status = main(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    run(sys.argv[1:])
