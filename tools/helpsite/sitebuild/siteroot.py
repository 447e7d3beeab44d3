"""The files at the root of the site, above the locale folders: the language chooser
(``index.html``) and the sitemap index (``sitemap.xml``, one entry per locale sitemap).

They are made from what the locale folders hold, so a single build and a merge of shards
(:mod:`helpsite.sitebuild.shards`) write the same bytes. Unchanged files are not rewritten.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from helpsite.files import write_if_changed
from helpsite.locales import locale_info
from helpsite.sitebuild.chooser import built_locales, write_chooser

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP = "sitemap.xml"


def sitemap_index_xml(base_url: str, folders: list[str]) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    index = ET.Element(f"{{{SITEMAP_NS}}}sitemapindex")
    for folder in folders:
        entry = ET.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        ET.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = f"{base_url}{folder}/{SITEMAP}"
    ET.indent(index)
    return ET.tostring(index, encoding="utf-8", xml_declaration=True) + b"\n"


def write_sitemap_index(html_root: Path, configured: list[str], base_url: str) -> Path | None:
    """``sitemap.xml`` at the root listing each built locale's sitemap; none without a
    base URL (a sitemap holds absolute URLs)."""
    folders = [locale_info(tag).folder for tag in built_locales(html_root, configured)]
    folders = [f for f in folders if (html_root / f / SITEMAP).is_file()]
    target = html_root / SITEMAP
    if not base_url or not folders:
        return None
    write_if_changed(target, sitemap_index_xml(base_url, folders), durable=True)
    return target


def finish_site(html_root: Path, configured: list[str], project: str,
                base_url: str) -> list[Path]:
    """Write the root files for the locales present under ``html_root``."""
    written = [write_chooser(html_root, configured, project),
               write_sitemap_index(html_root, configured, base_url)]
    return [path for path in written if path is not None]
