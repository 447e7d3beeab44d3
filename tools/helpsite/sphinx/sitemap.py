"""``sitemap.xml`` of one locale, with the other locales as ``xhtml:link`` alternates.

Pages marked ``ROBOTS: NOINDEX`` are left out (a sitemap lists pages to index). Without
``helpsite_base_url`` there is no sitemap: its URLs must be absolute.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from sphinx.application import Sphinx
from sphinx.util import logging

from helpsite.files import write_atomic
from helpsite.sphinx.alternates import absolute_url, hreflang_links
from helpsite.sphinx.pagecontext import current_navigation
from helpsite.sphinx.pages import pages

logger = logging.getLogger(__name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def indexable_pages(app: Sphinx) -> list[str]:
    store = pages(app.env)
    docs = [d for d in sorted(app.env.found_docs)
            if not ((info := store.get(d)) and info.robots and "noindex" in info.robots)]
    return docs + sorted(current_navigation(app).generated)


def sitemap_xml(app: Sphinx) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    store = pages(app.env)
    for pagename in indexable_pages(app):
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute_url(
            app, app.config.helpsite_locale, pagename)
        info = store.get(pagename)
        if info and info.date:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = info.date
        for hreflang, href in hreflang_links(app, pagename):
            ET.SubElement(url, f"{{{XHTML_NS}}}link",
                          {"rel": "alternate", "hreflang": hreflang, "href": href})
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def on_build_finished(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    if not app.config.helpsite_base_url:
        logger.info("helpsite: no sitemap.xml (set helpsite_base_url for absolute URLs)")
        return
    write_atomic(Path(app.outdir) / "sitemap.xml", sitemap_xml(app))
