"""The search page's texts in the reader's language, and a search page that finishes.

Sphinx's search page takes its texts from ``sphinx.js`` of the build language (written to
``_static/translations.js``). As shipped with Sphinx 9, those catalogs break the page:

- untranslated messages are empty strings, not missing, so the Arabic search page says
  "" instead of "Searching" (the page falls back to English only for missing ones);
- ``plural_expr`` of Dutch and German is ``(n != 1)``, a boolean, which indexes no array:
  the "found N pages" line throws, and the search never reports that it finished.

So each build gets its own copy of the language's ``sphinx.js`` in its catalog folder
(where Sphinx looks first): empty translations dropped, the plural expression made a
number, and the search page's own lines filled in from :data:`SEARCH_TEXTS` where Sphinx
has none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sphinx
from sphinx.application import Sphinx
from sphinx.config import Config

from helpsite.files import write_atomic
from helpsite.locales import primary_language
from helpsite.sphinx.catalogcompile import MIRROR_NAME

FOUND = "Search finished, found one page matching the search query."
NO_MATCH = ("Your search did not match any documents. Please make sure that all words are "
            "spelled correctly and that you've selected enough categories.")
_PREFIX = "Documentation.addTranslations("

# Lines of the search page, by language: a string, or the plural forms of FOUND in the
# order of the language's plural expression (${resultCount} is the number).
SEARCH_TEXTS: dict[str, dict[str, str | list[str]]] = {
    "nl": {
        FOUND: ["Zoeken voltooid: één pagina gevonden.",
                "Zoeken voltooid: ${resultCount} pagina's gevonden."],
    },
    "de": {
        FOUND: ["Suche abgeschlossen: eine Seite gefunden.",
                "Suche abgeschlossen: ${resultCount} Seiten gefunden."],
    },
    "ja": {
        FOUND: ["検索が完了しました。${resultCount} 件のページが見つかりました。"],
    },
    "ar": {
        "Searching": "جارٍ البحث",
        "Preparing search...": "جارٍ تحضير البحث...",
        "Search Results": "نتائج البحث",
        "Hide Search Matches": "إخفاء نتائج البحث",
        NO_MATCH: "لم يطابق بحثك أي صفحة. تأكد من كتابة جميع الكلمات بشكل صحيح.",
        FOUND: ["اكتمل البحث: لم يتم العثور على أي صفحة.",
                "اكتمل البحث: تم العثور على صفحة واحدة.",
                "اكتمل البحث: تم العثور على صفحتين.",
                "اكتمل البحث: تم العثور على ${resultCount} صفحات.",
                "اكتمل البحث: تم العثور على ${resultCount} صفحة.",
                "اكتمل البحث: تم العثور على ${resultCount} صفحة."],
    },
    "he": {
        FOUND: ["החיפוש הסתיים: נמצא דף אחד.", "החיפוש הסתיים: נמצאו שני דפים.",
                "החיפוש הסתיים: נמצאו ${resultCount} דפים."],
    },
}


def parse_catalog(text: str) -> dict[str, Any]:
    start, end = text.index(_PREFIX) + len(_PREFIX), text.rindex(")")
    return json.loads(text[start:end])


def repaired(catalog: dict[str, Any], texts: dict[str, str | list[str]]) -> dict[str, Any]:
    """The catalog without empty translations, with a numeric plural expression, and
    with ``texts`` where the catalog has nothing."""
    messages = {key: value for key, value in catalog.get("messages", {}).items()
                if value and (not isinstance(value, list) or all(value))}
    forms = len(catalog.get("messages", {}).get(FOUND) or []) or None
    for key, value in texts.items():
        if key in messages:
            continue
        if isinstance(value, list) and forms and len(value) != forms:
            value = (value + value[-1:] * forms)[:forms]
        messages[key] = value
    expression = catalog.get("plural_expr") or "0"
    return {**catalog, "messages": messages, "plural_expr": f"Number({expression})"}


def render(catalog: dict[str, Any]) -> bytes:
    return (_PREFIX + json.dumps(catalog, ensure_ascii=False, indent=4, sort_keys=True)
            + ");\n").encode("utf-8")


def prepare_search_texts(app: Sphinx, config: Config) -> None:
    """``config-inited``, after the catalogs are compiled: the repaired ``sphinx.js``."""
    mirror = Path(app.doctreedir) / MIRROR_NAME
    if str(mirror) not in [str(d) for d in config.locale_dirs]:
        return
    language = str(config.language or "")
    primary = primary_language(language)
    target = mirror / language / "LC_MESSAGES" / "sphinx.js"
    shipped = Path(sphinx.package_dir) / "locale" / primary / "LC_MESSAGES" / "sphinx.js"
    texts = SEARCH_TEXTS.get(primary, {})
    if not shipped.is_file() or not language:
        return
    data = render(repaired(parse_catalog(shipped.read_text(encoding="utf-8")), texts))
    if not target.is_file() or target.read_bytes() != data:
        write_atomic(target, data)


def register(app: Sphinx) -> None:
    app.connect("config-inited", prepare_search_texts, priority=460)
