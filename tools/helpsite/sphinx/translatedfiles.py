"""A translation may name only the files its source names.

Translators are the least trusted contributors: a msgstr that points an image or a
download at another file — ``../../etc/passwd``, a draft elsewhere in the tree — must not
publish it. :class:`RecordSourceFiles` notes the files the article itself names before any
translation (images, downloads); :class:`CheckTranslatedFiles`, after translation, lets a
translated element keep a file only when it is one of those or its localized variant
(Sphinx's ``figure_language_filename``: ``media/shot.png`` → ``media/shot.nl-NL.png``). Any
other file is removed from the page with a finding, ``build.translation-file``; the link
text of a download stays. Files outside the tree are refused for everyone by
:mod:`helpsite.sphinx.pathgate`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.i18n import get_image_filename_for_language

from helpsite.findings import Code
from helpsite.sphinx.confvalues import is_source_build
from helpsite.sphinx.nodeplace import finding_line, translated_element

logger = logging.getLogger(__name__)

_SOURCE_FILES = "helpsite_source_files"  # a Python attribute of the document, not pickled


def _normal(path: str) -> str:
    return posixpath.normpath(path.strip().replace("\\", "/"))


def named_files(document: nodes.Node) -> Iterator[tuple[nodes.Element, str]]:
    """Every (node, file name) an image or a download of the document names."""
    for image in document.findall(nodes.image):
        uri = image.get("uri", "")
        if uri and "://" not in uri and not uri.startswith("data:"):
            yield image, uri
    for download in document.findall(addnodes.download_reference):
        target = download.get("reftarget", "")
        if target and "://" not in target:
            yield download, target


def _translating(transform: SphinxTransform) -> bool:
    return bool(transform.config.helpsite_locale) and not is_source_build(transform.config)


class RecordSourceFiles(SphinxTransform):
    default_priority = 16  # before translation (fasti18n at 19, Locale at 20)

    def apply(self, **kwargs: object) -> None:
        if _translating(self):  # a source build has nothing to compare
            files = {_normal(name) for _, name in named_files(self.document)}
            setattr(self.document, _SOURCE_FILES, files)


class CheckTranslatedFiles(SphinxTransform):
    default_priority = 710  # after translation and the raw HTML policy (700)

    def apply(self, **kwargs: object) -> None:
        # Taken off the document either way: it is not to be pickled with the doctree.
        source_files: set[str] = vars(self.document).pop(_SOURCE_FILES, set())
        if not _translating(self):
            return
        allowed = source_files | {
            _normal(get_image_filename_for_language(name, self.env)) for name in source_files}
        for node, name in list(named_files(self.document)):
            if translated_element(node) is not None and _normal(name) not in allowed:
                self.refuse(node, name)

    def refuse(self, node: nodes.Element, name: str) -> None:
        code = Code.BUILD_TRANSLATION_FILE
        logger.warning(
            "%s: the %s translation names %r, a file its source text does not name; it was "
            "left out. A translation may use the source's files or their localized variants "
            "(%s)", code.code, self.config.helpsite_locale, name[:80],
            get_image_filename_for_language("media/shot.png", self.env),
            location=(self.env.docname, finding_line(node)), type="helpsite", subtype=code.code)
        if isinstance(node, nodes.image):
            node.parent.remove(node)
        else:
            node.replace_self(nodes.inline("", "", *node.children))


def register(app: Sphinx) -> None:
    app.add_transform(RecordSourceFiles)
    app.add_transform(CheckTranslatedFiles)
