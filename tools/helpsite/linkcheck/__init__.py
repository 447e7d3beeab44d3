"""Link checking over the built HTML sites of all locales (``helpsite linkcheck``).

Modules, one job each:

- :mod:`~helpsite.linkcheck.settings` — the validated ``[tool.helpsite.linkcheck]`` table;
- :mod:`~helpsite.linkcheck.builtsite`, :mod:`~helpsite.linkcheck.htmlscan` — locales, pages,
  links with their lines, anchors;
- :mod:`~helpsite.linkcheck.internal` — links inside the built site;
- :mod:`~helpsite.linkcheck.external`, :mod:`~helpsite.linkcheck.transport`,
  :mod:`~helpsite.linkcheck.resolver` — each distinct URL once, the address policy;
- :mod:`~helpsite.linkcheck.cache` — the SQLite result cache;
- :mod:`~helpsite.linkcheck.sources`, :mod:`~helpsite.linkcheck.collector` — Markdown
  source lines, recorded by a Sphinx extension at build time;
- :mod:`~helpsite.linkcheck.report` — findings, summary table, JSON, JUnit XML;
- :mod:`~helpsite.linkcheck.runner` — one run from start to end.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Imported on first use: the Sphinx build imports .collector, and must not pay for the
# HTTP client every locale process would otherwise load with the package.
_EXPORTS = {"LinkcheckReport": "runner", "check_site": "runner",
            "LinkcheckSettings": "settings"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
