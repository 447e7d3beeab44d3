"""Help IDs: stable addresses for the IDs products know, ``/<locale>/help/<id>/``.

Every value of an article's ``ms.custom`` front matter (a quoted number such as
``"7001001"``, a list of them, or a comma-separated string) is a help ID. Each locale's
site gets, through ``html-collect-pages``:

- ``help/<id>/index.html`` — for an ID of one article, a static page that sends the reader
  on to the article (``location.replace`` keeping the ``#fragment``, ``<meta refresh>``
  without JavaScript, and a visible link), marked ``noindex`` with the article as its
  canonical address; for an ID shared by several articles, a page listing them;
- ``help-ids.json`` — every ID with its articles' addresses and titles in this locale,
  for products to look IDs up themselves (format in docs/reader-features.md).

An ID that is not a safe path segment (``9004197/7378``) is reported as
``build.help-id-invalid`` and gets no page. Unknown IDs land on the locale's 404 page
(:mod:`.notfound`).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from helpsite.files import write_atomic
from helpsite.findings import Code
from helpsite.locales import locale_info
from helpsite.sphinx import readerui
from helpsite.sphinx.alternates import absolute_url
from helpsite.sphinx.pages import PageInfo, pages

logger = logging.getLogger(__name__)

HELP_FIELD = "ms.custom"
INDEX_FILE = "help-ids.json"
REDIRECT_TEMPLATE = "helpsite/redirect.html"
_SEPARATORS = re.compile(r"[,;\s]+")
_HELP_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
GROUP = "help-ids"  # the help-ID pages, rendered again only when the index changed

# The help-ID index of each environment once reading is over (three handlers use it).
_INDEX: WeakKeyDictionary[BuildEnvironment, dict[str, list[HelpArticle]]] = \
    WeakKeyDictionary()


@dataclass(frozen=True)
class HelpArticle:
    docname: str
    title: str
    description: str | None


def split_help_ids(value: Any) -> tuple[list[str], list[str]]:
    """(help IDs, rejected values) of one ``ms.custom`` value: a string, a number or a
    list of them; strings may hold several IDs separated by commas or spaces."""
    items = value if isinstance(value, list) else [value]
    ids: list[str] = []
    rejected: list[str] = []
    for item in items:
        if item is None or isinstance(item, dict | list | bool):
            continue
        for part in _SEPARATORS.split(str(item).strip()):
            if not part:
                continue
            bucket = ids if _HELP_ID.match(part) else rejected
            if part not in bucket:
                bucket.append(part)
    return ids, rejected


def help_path(config: Any) -> str:
    return str(config.helpsite_help_path).strip("/")


def help_index(env: BuildEnvironment) -> dict[str, list[HelpArticle]]:
    """help ID → the articles that carry it (in docname order); computed once per build,
    after reading (:func:`forget_index` drops it when reading starts)."""
    cached = _INDEX.get(env)
    if cached is None:
        cached = _INDEX[env] = _compute_index(env)
    return cached


def forget_index(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``."""
    _INDEX.pop(env, None)


def index_digest(app: Sphinx) -> str:
    """What the help-ID pages and help-ids.json show besides the configuration and the
    templates (which the builder watches itself): the index, and the sidebar the chooser
    pages share."""
    from helpsite.sphinx.htmlbuilder import sidebar_digest

    index = [(help_id, [(a.docname, a.title, a.description) for a in articles])
             for help_id, articles in help_index(app.env).items()]
    sidebar = sidebar_digest(app.env, page_name(app, "x"))
    return hashlib.sha256(repr((index, sidebar)).encode("utf-8", "surrogatepass")).hexdigest()


def _compute_index(env: BuildEnvironment) -> dict[str, list[HelpArticle]]:
    index: dict[str, list[HelpArticle]] = {}
    store = pages(env)
    for docname in sorted(env.found_docs):
        info = store.get(docname)
        if info is None or HELP_FIELD not in info.raw:
            continue
        ids, _rejected = split_help_ids(info.raw[HELP_FIELD])
        for help_id in ids:
            index.setdefault(help_id, []).append(_article(docname, info))
    return dict(sorted(index.items()))


def _article(docname: str, info: PageInfo) -> HelpArticle:
    return HelpArticle(docname, info.title or docname, info.description)


def report_rejected(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: values of ms.custom that cannot be an address."""
    store = pages(env)
    for docname in sorted(env.found_docs):
        info = store.get(docname)
        if info is None or HELP_FIELD not in info.raw:
            continue
        for value in split_help_ids(info.raw[HELP_FIELD])[1]:
            code = Code.BUILD_HELP_ID_INVALID
            logger.warning("%s: help ID '%s' in ms.custom is not usable in an address "
                           "(letters, digits, '.', '_' and '-' only); it gets no "
                           "help/<id>/ page", code.code, value, location=(docname, None),
                           type="helpsite", subtype=code.code)


def page_name(app: Sphinx, help_id: str) -> str:
    return f"{help_path(app.config)}/{help_id}/index"


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: one page per help ID."""
    if not app.config.helpsite_help_path:
        return
    generated = getattr(app.builder, "generated_pages", None)
    if generated is not None and generated.reuse_group(GROUP, index_digest(app)):
        return
    for help_id, articles in help_index(app.env).items():
        pagename = page_name(app, help_id)
        if len(articles) == 1:
            yield pagename, redirect_context(app, pagename, articles[0]), REDIRECT_TEMPLATE
        else:
            yield pagename, chooser_context(app, pagename, help_id, articles), "page.html"


def redirect_context(app: Sphinx, pagename: str, article: HelpArticle) -> dict[str, Any]:
    href = app.builder.get_relative_uri(pagename, article.docname)
    tag = app.config.helpsite_locale
    info = locale_info(tag)
    return {
        "title": html.escape(article.title),
        "helpsite_redirect": {
            "lang": info.tag,
            "dir": info.direction,
            "title": article.title,
            "href": href,
            # Safe inside <script>: JSON, with "<" escaped so "</script>" cannot occur.
            "href_js": json.dumps(href).replace("<", "\\u003c"),
            "canonical": absolute_url(app, tag, article.docname) or href,
            "opening": readerui.text("Opening the article…"),
            "continue": readerui.text("Continue to {title}", title=article.title),
        },
    }


def chooser_context(app: Sphinx, pagename: str, help_id: str,
                    articles: list[HelpArticle]) -> dict[str, Any]:
    title = readerui.text("Help ID {id}", id=help_id)
    intro = readerui.text("Several articles belong to help ID {id}. Choose the one you need:",
                          id=help_id)
    items = []
    for article in articles:
        href = app.builder.get_relative_uri(pagename, article.docname)
        description = (f'<p class="helpsite-description">{html.escape(article.description)}'
                       "</p>" if article.description else "")
        items.append(f'<li><a class="reference internal" href="{html.escape(href)}">'
                     f"{html.escape(article.title)}</a>{description}</li>")
    body = (f'<section id="help-id"><h1>{html.escape(title)}</h1>'
            f"<p>{html.escape(intro)}</p>"
            f'<ul class="helpsite-articles helpsite-help-choices">{"".join(items)}</ul>'
            "</section>")
    return {"title": html.escape(title), "body": body,
            "metatags": '<meta name="robots" content="noindex">'}


def index_json(app: Sphinx) -> dict[str, Any]:
    tag = app.config.helpsite_locale
    base = app.config.helpsite_base_url
    folder = locale_info(tag).folder
    ids: dict[str, Any] = {}
    for help_id, articles in help_index(app.env).items():
        entry: dict[str, Any] = {"url": f"{help_path(app.config)}/{help_id}/", "articles": []}
        for article in articles:
            url = app.builder.get_target_uri(article.docname)
            item = {"docname": article.docname, "url": url, "title": article.title}
            if base:
                item["absolute_url"] = f"{base}{folder}/{url}"
            entry["articles"].append(item)
        ids[help_id] = entry
    return {
        "format": 1,
        "locale": tag,
        "base_url": f"{base}{folder}/" if base else None,
        "ids": ids,
    }


def write_index(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: help-ids.json, and help pages of IDs that are gone removed."""
    if exception is not None or app.builder.format != "html" or \
            not app.config.helpsite_help_path:
        return
    target = Path(app.outdir) / INDEX_FILE
    if not (_reused(app) and target.is_file()):
        data = json.dumps(index_json(app), ensure_ascii=False, indent=1, sort_keys=True)
        write_atomic(target, (data + "\n").encode("utf-8"))
        remove_stale_pages(app)


def _reused(app: Sphinx) -> bool:
    """Whether this build kept the help-ID pages of the last (their inputs unchanged)."""
    return GROUP in getattr(app.builder, "reused_groups", ())


def remove_stale_pages(app: Sphinx) -> None:
    """Only folders helpsite wrote (``help/<id>/index.html`` and nothing else), and only
    when no article lives under the help path."""
    prefix = help_path(app.config) + "/"
    if any(doc.startswith(prefix) for doc in app.env.found_docs):
        return
    root = Path(app.outdir) / help_path(app.config)
    if not root.is_dir():
        return
    current = set(help_index(app.env))
    for folder in root.iterdir():
        if folder.is_dir() and folder.name not in current and \
                [p.name for p in folder.iterdir()] == ["index.html"]:
            shutil.rmtree(folder)


def register(app: Sphinx) -> None:
    app.add_config_value(
        "helpsite_help_path", "help", "html", types=(str,),
        description="Folder of the help-ID pages in each locale (/<locale>/help/<id>/); "
                    "empty turns help-ID pages and help-ids.json off.")
    app.connect("env-before-read-docs", forget_index)
    app.connect("env-check-consistency", report_rejected)
    app.connect("html-collect-pages", collect_pages)
    app.connect("build-finished", write_index)
