"""Link checking over the built HTML sites of all locales (``helpsite linkcheck``).

Modules, one job each:

- :mod:`~helpsite.linkcheck.settings` — the validated ``[tool.helpsite.linkcheck]`` table;
- :mod:`~helpsite.linkcheck.site`, :mod:`~helpsite.linkcheck.htmlscan` — locales, pages,
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

from helpsite.linkcheck.runner import LinkcheckReport, check_site
from helpsite.linkcheck.settings import LinkcheckSettings

__all__ = ["LinkcheckReport", "LinkcheckSettings", "check_site"]
