"""``build/html/index.html``: send the reader to the best locale for the browser.

With JavaScript, the page follows ``navigator.languages`` (exact tag, then same language,
then the source locale) at once; without it, the same page is a plain list of links, each
in its own language.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from helpsite.files import write_if_changed
from helpsite.locales import display_names, locale_info

_SCRIPT = """(function () {
  var sites = %(sites)s;
  var fallback = %(fallback)s;
  var wanted = navigator.languages || [navigator.language || ""];
  function pick() {
    for (var i = 0; i < wanted.length; i++) {
      var tag = String(wanted[i]).toLowerCase();
      if (sites[tag]) return sites[tag];
    }
    for (var j = 0; j < wanted.length; j++) {
      var primary = String(wanted[j]).toLowerCase().split("-")[0];
      for (var key in sites) {
        if (key.split("-")[0] === primary) return sites[key];
      }
    }
    return sites[fallback];
  }
  var target = pick();
  if (target) window.location.replace(target + window.location.hash);
})();"""


def chooser_html(locales: list[str], project: str) -> str:
    """The root page for the locales that have been built (source locale first)."""
    names = display_names(locales)
    sites = {locale_info(tag).folder: f"{locale_info(tag).folder}/index.html" for tag in locales}
    script = _SCRIPT % {"sites": json.dumps(sites), "fallback": json.dumps(
        locale_info(locales[0]).folder)}
    items = "\n".join(
        f'      <li><a href="{html.escape(sites[locale_info(tag).folder])}" '
        f'hreflang="{tag}" lang="{tag}" dir="{locale_info(tag).direction}">'
        f"{html.escape(names[tag])}</a></li>"
        for tag in locales
    )
    alternates = "\n".join(
        f'  <link rel="alternate" hreflang="{tag}" '
        f'href="{html.escape(sites[locale_info(tag).folder])}">' for tag in locales
    )
    title = html.escape(project)
    return f"""<!doctype html>
<html lang="{locales[0]}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width,initial-scale=1">
  <title>{title}</title>
{alternates}
  <style>
    body {{ font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 30rem;
           padding: 0 1rem; line-height: 1.6; }}
    ul {{ list-style: none; padding: 0; }}
    a {{ display: block; padding: .5rem 0; font-size: 1.15rem; }}
    @media (prefers-color-scheme: dark) {{
      body {{ background: #131416; color: #fff; }} a {{ color: #9cc1ff; }} }}
  </style>
  <script>{script}</script>
</head>
<body>
  <main>
    <h1>{title}</h1>
    <ul>
{items}
    </ul>
  </main>
</body>
</html>
"""


def built_locales(html_root: Path, configured: list[str]) -> list[str]:
    """Configured locales whose site exists (built now or by an earlier run)."""
    return [t for t in configured if (html_root / locale_info(t).folder / "index.html").is_file()]


def write_chooser(html_root: Path, configured: list[str], project: str) -> Path | None:
    locales = built_locales(html_root, configured)
    if not locales:
        return None
    target = html_root / "index.html"
    write_if_changed(target, chooser_html(locales, project).encode("utf-8"), durable=True)
    return target
