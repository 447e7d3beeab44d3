"""The read-phase transforms, in the order they run around Sphinx's Locale (priority 20).

- :class:`PrepareSource` (15): heading anchors become ids, front-matter fields become
  messages — before translation, so catalogs hold them and ids come from the source.
- :class:`SanitizeRawHtml` (700): the raw HTML policy, after translation.
- :class:`FinishTranslation` (800): source ids restored, translated fields harvested,
  untranslated content marked, notes added.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain

from helpsite.findings import Code
from helpsite.sphinx import anchors, fallback, fields, rawhtml
from helpsite.sphinx.catalogcompile import (
    header_meta,
    load_compiled,
    messages,
    mirror_folder,
    translated_from_other_source,
)
from helpsite.sphinx.confvalues import is_source_build
from helpsite.sphinx.pages import PageInfo, meta_value, pages

logger = logging.getLogger(__name__)


class _PageTransform(SphinxTransform):
    @property
    def docname(self) -> str:
        return self.env.current_document.docname

    def page_info(self) -> PageInfo:
        store = pages(self.env)
        if self.docname not in store:
            store[self.docname] = PageInfo()
        return store[self.docname]

    def is_target_build(self) -> bool:
        return bool(self.config.helpsite_locale) and not is_source_build(self.config)


class PrepareSource(_PageTransform):
    default_priority = 15

    def apply(self, **kwargs: object) -> None:
        anchors.promote_heading_anchors(self.document)
        source = str(self.env.doc2path(self.docname))
        fields.insert_fields(self.document, self.page_info(), source)
        self.check_category_key()

    def check_category_key(self) -> None:
        key = self.config.helpsite_category_key
        if key == "folder" or self.docname == self.config.root_doc:
            return
        if meta_value(self.page_info().raw.get(key)) is None:
            code = Code.BUILD_CATEGORY
            logger.warning("%s: no '%s' in the front matter; the article is listed under "
                           "'%s'", code.code, key, self.config.helpsite_root_category,
                           location=(self.docname, 1), type="helpsite", subtype=code.code)


class SanitizeRawHtml(_PageTransform):
    default_priority = 700

    def apply(self, **kwargs: object) -> None:
        if getattr(self.env, "helpsite_extracting", False):
            return  # gettext: catalogs get the source as written; nothing is published
        translated_from = self.config.helpsite_locale if self.is_target_build() else None
        rawhtml.sanitize_doctree(self.document, self.docname, translated_from)


class FinishTranslation(_PageTransform):
    default_priority = 800

    def apply(self, **kwargs: object) -> None:
        anchors.restore_source_ids(self.document)
        info = self.page_info()
        fields.harvest_fields(self.document, info)
        info.translation_meta = {}
        info.field_languages = {}
        if not self.is_target_build() or not self.config.locale_dirs:
            info.state = "source"
            return
        page_tag = self.config.helpsite_locale
        source_tag = self.config.helpsite_source_locale
        domain = docname_to_domain(self.docname, self.config.gettext_compact)
        folder = mirror_folder(Path(self.env.doctreedir), self.config.language)
        compiled = load_compiled(folder, domain)
        if compiled is None:
            info.state = "fallback"
            info.field_languages = dict.fromkeys(info.fields, source_tag)
            fallback.mark_whole_page(self.document, source_tag)
            fallback.insert_after_title(self.document, fallback.fallback_note(page_tag, source_tag))
            return
        # No dependency on the .mo: helpsite.sphinx.catalogpages re-reads the page when
        # its catalog changes.
        info.state = "translated"
        info.translation_meta = header_meta(compiled)
        catalog = messages(compiled)
        fallback.mark_untranslated(self.document, source_tag, catalog)
        info.field_languages = dict.fromkeys(
            fields.untranslated_fields(self.document, info, catalog), source_tag)
        if info.translation_meta.get("ms.translationtype", "").strip().upper() == "MT":
            fallback.insert_after_title(self.document, fallback.machine_translation_note(page_tag))
        source = Path(self.env.doc2path(self.docname))
        info.stale = translated_from_other_source(compiled, source)
        if info.stale:
            fallback.insert_after_title(self.document, fallback.stale_note(page_tag))
