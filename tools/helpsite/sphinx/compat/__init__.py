"""The one place where helpsite reaches past the public API of Sphinx, docutils, MyST-Parser,
markdown-it-py and Furo (and of the standard library's gettext).

The rule (tests/test_compat_boundary.py keeps it): no other module of the package imports a
private name (``_x``) of those packages, reads one as an attribute, or puts a module into
``sys.modules``. Each function here names the behaviour it depends on and checks it before
relying on it; when an upgrade changed it, the function raises :class:`CompatError`, naming
the installed version and the range pyproject.toml declares — never a silent fallback. So an
upgrade breaks in one module, with a clear error, and not somewhere in the middle of a build.

- :mod:`.sphinx_api` — Sphinx and docutils: file resolution, translators, what conf.py
  set, the search index, the standard domain's objects, Locale's node updater, pending
  transforms, the gettext builder's classes;
- :mod:`.myst_api` — MyST's renderer state and markdown-it's paragraph tokens;
- :mod:`.python_api` — gettext's catalog table and a deferred import (standard library
  only: a locale process imports it before Sphinx);
- :mod:`.theme` — where Furo keeps its theme, and its base.html's ``<html>`` tag;
- :mod:`.versions` — the supported ranges, the check of the installed versions against
  them, and :class:`CompatError`.
"""

from __future__ import annotations

from helpsite.sphinx.compat.myst_api import paragraph_tokens, setup_render_for
from helpsite.sphinx.compat.python_api import (
    copy_translations,
    defer_import,
    translations_catalog,
)
from helpsite.sphinx.compat.sphinx_api import (
    PathHook,
    drop_pending_transform,
    gettext_classes,
    hook_file_resolution,
    japanese_splitter_model,
    new_search_index,
    node_updater,
    prune_search_index,
    replace_translator,
    set_in_configuration,
    standard_objects_after_documents,
)
from helpsite.sphinx.compat.theme import (
    furo_html_tag_with,
    furo_theme_folder,
    is_furo_base_template,
)
from helpsite.sphinx.compat.versions import (
    CompatError,
    declared_range,
    require_supported_versions,
)

__all__ = [
    "CompatError",
    "PathHook",
    "copy_translations",
    "declared_range",
    "defer_import",
    "drop_pending_transform",
    "furo_html_tag_with",
    "furo_theme_folder",
    "gettext_classes",
    "hook_file_resolution",
    "is_furo_base_template",
    "japanese_splitter_model",
    "new_search_index",
    "node_updater",
    "paragraph_tokens",
    "prune_search_index",
    "replace_translator",
    "require_supported_versions",
    "set_in_configuration",
    "setup_render_for",
    "standard_objects_after_documents",
    "translations_catalog",
]
