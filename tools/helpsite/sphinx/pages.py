"""Front matter of each page, read with helpsite's bounded YAML loader.

MyST would load the front matter with ``yaml.safe_load`` (no size or depth bound, aliases
allowed), so a ``source-read`` handler reads it first with :mod:`helpsite.article` and
replaces it with as many blank lines, keeping every line number of the body right. The
metadata is kept in ``env.helpsite_pages`` (a :class:`PageInfo` per document), which the
pickled environment carries between incremental builds and parallel readers merge.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from helpsite.article import parse_article
from helpsite.findings import Code

logger = logging.getLogger(__name__)

TRANSLATABLE_FIELDS = ("title", "description")
_SPECIAL_KEYS = {*TRANSLATABLE_FIELDS, "robots"}
_META_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]*$")
_DATE_US = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_DATE_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_READ_GROUPS = ("file", "fm", "yaml")
_SHARED_LENGTH = 64  # shorter strings are shared between pages (see _shared)


@dataclass
class PageInfo:
    """What the site needs from one document's front matter, and its translation state."""

    meta: dict[str, str] = field(default_factory=dict)  # <meta name=...> from front matter
    source_fields: dict[str, str] = field(default_factory=dict)  # title/description (source)
    field_lines: dict[str, int] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # title/description as built
    robots: str | None = None
    date: str | None = None  # ISO date from ms.date
    raw: dict[str, Any] = field(default_factory=dict)  # every front-matter value as loaded
    state: str = "source"  # source | translated | fallback
    translation_meta: dict[str, str] = field(default_factory=dict)  # X-Meta-* of the catalog
    stale: bool = False  # the catalog was completed for an older source (X-Source-Hash)
    # The fields (title, description) shown in another language than the page's: the
    # source locale's tag, for links that show them elsewhere (sidebars, listings).
    field_languages: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str | None:
        return self.fields.get("title") or self.source_fields.get("title")

    @property
    def description(self) -> str | None:
        return self.fields.get("description") or self.source_fields.get("description")


def env_store(env: BuildEnvironment, attribute: str) -> dict[str, Any]:
    """A dict helpsite keeps on the environment as ``attribute`` (pickled with it, so it
    lasts from one build to the next), created on first use (also in an environment
    pickled before the store existed)."""
    store = getattr(env, attribute, None)
    if store is None:
        store = {}
        setattr(env, attribute, store)
    return store


def pages(env: BuildEnvironment) -> dict[str, PageInfo]:
    """The per-document store of what the front matter says."""
    return env_store(env, "helpsite_pages")


def meta_value(value: Any) -> str | None:
    """A front-matter value as a ``<meta content>``: lists joined, mappings skipped."""
    if value is None or isinstance(value, dict):
        return None
    if isinstance(value, list):
        items = [str(v).strip() for v in value if v is not None and not isinstance(v, dict | list)]
        text = ", ".join(i for i in items if i)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value).strip()
    return text or None


def normalize_robots(value: Any) -> str | None:
    text = meta_value(value)
    if not text:
        return None
    parts = [p.strip().lower() for p in re.split(r"[,\s]+", text) if p.strip()]
    return ", ".join(parts) or None


def parse_date(value: Any) -> dt.date | None:
    """``MM/DD/YYYY`` (also without leading zeros) or ISO; anything else is None."""
    text = meta_value(value)
    if not text:
        return None
    try:
        if match := _DATE_US.match(text):
            month, day, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if match := _DATE_ISO.match(text):
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def _shared(value: Any) -> Any:
    """One string object for every page's ``ms.author``, ``Normal``, ``article``…: the
    pickled environment then holds each once (pickle stores a repeated object as a
    reference). For 3,000 articles the store halves, and an incremental build that
    pickles and unpickles it gains a twentieth of a second."""
    if isinstance(value, str) and len(value) < _SHARED_LENGTH:
        return sys.intern(value)
    return value


def page_info_from(data: dict[str, Any], key_lines: dict[str, int]) -> PageInfo:
    data = {_shared(key): _shared(value) for key, value in data.items()}
    info = PageInfo(raw=data)
    lowered = {k.lower(): k for k in data}
    for name in TRANSLATABLE_FIELDS:
        key = lowered.get(name)
        text = meta_value(data.get(key)) if key else None
        if key and text:
            info.source_fields[name] = " ".join(text.split())
            info.field_lines[name] = key_lines.get(key, 1)
    if "robots" in lowered:
        info.robots = _shared(normalize_robots(data[lowered["robots"]]))
    date = parse_date(data.get("ms.date"))
    info.date = _shared(date.isoformat()) if date else None
    for key, value in data.items():
        if key.lower() in _SPECIAL_KEYS or not _META_NAME.match(key):
            continue
        text = meta_value(value)
        if text is not None:
            info.meta[key] = _shared(text)
    return info


def blank_front_matter(text: str, body_start_line: int, body: str) -> str:
    """The text with its front matter replaced by blank lines (line numbers unchanged)."""
    return "\n" * (body_start_line - 1) + body


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    text = source[0].removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    path = Path(app.env.doc2path(docname))
    article = parse_article(text, path, str(path))
    for finding in article.findings:
        if finding.code.group in _READ_GROUPS and finding.code is not Code.FILE_EMPTY:
            logger.warning(
                "%s: %s", finding.code.code, finding.message,
                location=(docname, finding.line), type="helpsite", subtype=finding.code.code,
            )
    info = page_info_from(article.metadata, article.front_matter.key_lines)
    pages(app.env)[docname] = info
    if article.has_front_matter:
        # Even unloadable YAML is blanked: MyST must never parse it with its own loader.
        source[0] = blank_front_matter(text, article.body_start_line, article.body)
    else:
        source[0] = text


def on_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    pages(env).pop(docname, None)


def on_merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    theirs = pages(other)
    mine = pages(env)
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]
