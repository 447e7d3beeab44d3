"""The ``helpsite_*`` configuration values and the defaults set when the config is read.

Which locale a build is for comes from Sphinx's own ``language`` setting (``-D
language=nl_NL``), because Sphinx loads its interface translations from it before any
extension runs; :func:`resolve_build_locale` maps it to the configured BCP 47 tag.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.config import Config
from sphinx.errors import ConfigError

from helpsite.locales import LocaleError, normalize_tag, output_folder, tag_for_language
from helpsite.sphinx import compat

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_COMMON = PACKAGE_DIR / "templates" / "common"
THEME_DIR = PACKAGE_DIR / "theme"
THEME = "helpsite"
STATIC_DIR = PACKAGE_DIR / "static"

URL_SCHEMES = ("http", "https", "mailto", "ftp", "tel", "ms-settings", "ms-windows-store",
               "feedback-hub")

# name: (default, rebuild, types, description)
CONFIG_VALUES: dict[str, tuple[Any, str, tuple[type, ...], str]] = {
    "helpsite_source_locale": (
        "en-US", "env", (str,), "BCP 47 tag of the language the articles are written in."),
    "helpsite_locales": (
        [], "env", (list, tuple), "BCP 47 tags of the target locales (translations)."),
    "helpsite_locale": (
        None, "env", (str, type(None)),
        "The locale of this build; derived from `language` when not set."),
    "helpsite_base_url": (
        "", "html", (str,), "Public URL of the site root (https://help.example.com/); the "
        "locale folders live under it. Used for hreflang, canonical links and sitemap.xml."),
    "helpsite_locale_dir": (
        "locales", "env", (str, type(None)),
        "Folder of the catalogs, <dir>/<tag>/LC_MESSAGES/<docname>.po, relative to the "
        "folder of conf.py. None leaves Sphinx's locale_dirs alone."),
    "helpsite_category_key": (
        "folder", "env", (str,),
        "How articles are grouped into categories: 'folder' (the first folder of the "
        "article's path) or a front-matter key such as 'ms.topic'."),
    "helpsite_category_page_size": (
        100, "env", (int,), "Largest number of articles listed on one category page and in "
        "the sidebar; bigger categories are split into parts."),
    "helpsite_root_category": (
        "articles", "env", (str,),
        "Page name of the category of articles that are not in a folder."),
    "helpsite_show_date": (True, "html", (bool,), "Show ms.date under the article title."),
    "helpsite_fast_build": (
        True, "env", (bool,), "Parse with one reused MyST parser and translate messages "
        "before Sphinx's Locale transform (False: MyST's and Sphinx's own way, for "
        "comparison)."),
    "helpsite_allowed_paths": (
        [], "env", (list, tuple), "Folders outside the source folder (relative to conf.py) "
        "that content may take images, downloads and includes from (docs/security.md)."),
    "helpsite_raw_url_prefixes": (
        [], "env", (list, tuple), "URL prefixes that raw and csv-table may fetch with :url: "
        "(none by default: the build fetches nothing)."),
    "helpsite_sidebar": (
        "categories", "html", (str,), "'categories': the sidebar lists the categories and the "
        "current category's articles; 'theme': the theme's own sidebar from Sphinx's "
        "toctree (grows with the site: every page lists every page)."),
    "helpsite_feedback_url": (
        "", "html", (str,), "Address that the \"Was this page helpful?\" form under every "
        "article sends its answer to (fields helpful=yes|no, page, locale): an https:// or "
        "http:// URL, or a path on the same server (/feedback). Empty: no form."),
    "helpsite_feedback_method": (
        "post", "html", (str,), "How the feedback form sends: 'post' or 'get'."),
    "helpsite_search": (
        "pagefind", "html", (str,), "Search engine of each locale's site: 'pagefind' (an "
        "index in <locale>/pagefind/, loaded in small parts per query) or 'sphinx' "
        "(Sphinx's searchindex.js, loaded whole on the first query)."),
    "helpsite_search_deferred": (
        False, "", (bool,), "Leave the Pagefind index to whoever runs the build: "
        "helpsite serve --watch sets it, shows the rebuilt pages, then indexes the "
        "folders they are in (helpsite.sitebuild.watch). Not for a site to publish."),
}
FEEDBACK_METHODS = ("post", "get")
SEARCH_ENGINES = ("pagefind", "sphinx")


def register(app: Sphinx) -> None:
    for name, (default, rebuild, types, description) in CONFIG_VALUES.items():
        app.add_config_value(name, default, rebuild, types=types, description=description)
    app.connect("builder-inited", no_empty_sources_folder)


def no_empty_sources_folder(app: Sphinx) -> None:
    """``builder-inited``: Sphinx's HTML builder makes ``_sources/`` whenever its
    ``copysource`` attribute is set, even with ``html_copy_source = False`` (helpsite's
    default), leaving an empty folder in every locale; the attribute follows the
    setting."""
    if hasattr(app.builder, "copysource") and not app.config.html_copy_source:
        app.builder.copysource = False


def user_set(config: Config, name: str) -> bool:
    """True when conf.py or ``-D`` set ``name`` (so a default must not replace it)."""
    return compat.set_in_configuration(config, name)


def set_default(config: Config, name: str, value: Any) -> None:
    if not user_set(config, name):
        setattr(config, name, value)


def resolve_build_locale(config: Config) -> str:
    """Validate the configured tags and return the tag of this build."""
    try:
        source = normalize_tag(config.helpsite_source_locale)
        targets = [normalize_tag(tag) for tag in target_tags(config)]
        if config.helpsite_locale:
            return normalize_tag(config.helpsite_locale)
    except LocaleError as error:
        raise ConfigError(f"helpsite: {error}") from error
    return tag_for_language(config.language, [source, *targets], source)


def target_tags(config: Config) -> list[str]:
    """The configured target locales; ``-D helpsite_locales=`` (empty) means none."""
    value = config.helpsite_locales
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return [tag.strip() for tag in value if tag and tag.strip()]


def all_locales(config: Config) -> list[str]:
    """Source locale first, then the targets, without duplicates."""
    tags = [normalize_tag(config.helpsite_source_locale)]
    for tag in target_tags(config):
        normalized = normalize_tag(tag)
        if normalized not in tags:
            tags.append(normalized)
    return tags


def is_source_build(config: Config) -> bool:
    return normalize_tag(config.helpsite_locale) == normalize_tag(config.helpsite_source_locale)


def catalog_root(app: Sphinx | Builder) -> Path | None:
    """The folder holding ``<tag>/LC_MESSAGES`` for every locale, or None when unmanaged."""
    if app.config.helpsite_locale_dir is None:
        return None
    return (Path(app.confdir) / app.config.helpsite_locale_dir).resolve()


def check_feedback(config: Config) -> None:
    """The feedback form only ever posts to a web address the project chose: a
    ``javascript:`` or ``data:`` value, or a relative path that would resolve differently
    on every page depth, stops the build with a message that says what to write."""
    url = config.helpsite_feedback_url.strip()
    config.helpsite_feedback_url = url
    method = config.helpsite_feedback_method.strip().lower()
    if method not in FEEDBACK_METHODS:
        raise ConfigError(f"helpsite_feedback_method = {config.helpsite_feedback_method!r}: "
                          "write 'post' or 'get'.")
    config.helpsite_feedback_method = method
    if not url:
        return
    parts = urlsplit(url)
    absolute = parts.scheme in ("http", "https") and bool(parts.netloc)
    rooted = not parts.scheme and not parts.netloc and url.startswith("/")
    if not (absolute or rooted):
        raise ConfigError(f"helpsite_feedback_url = {url!r}: write an https:// (or http://) "
                          "address, or a path on the same server that starts with '/'.")


def check_search(config: Config) -> None:
    """One of the engines helpsite ships, or a message that names them."""
    engine = str(config.helpsite_search).strip().lower()
    if engine not in SEARCH_ENGINES:
        raise ConfigError(f"helpsite_search = {config.helpsite_search!r}: write 'pagefind' "
                          "or 'sphinx'.")
    config.helpsite_search = engine


def apply_defaults(app: Sphinx, config: Config) -> None:
    """``config-inited``: derive the build locale and set defaults that scale."""
    config.helpsite_locale = resolve_build_locale(config)
    check_feedback(config)
    check_search(config)
    # One catalog per article: a fix in one translation re-reads one page, not a folder.
    set_default(config, "gettext_compact", False)
    set_default(config, "myst_heading_anchors", 3)
    # Help articles link to Windows settings pages too; javascript: is never a link.
    set_default(config, "myst_url_schemes", list(URL_SCHEMES))
    # helpsite's theme unless conf.py names one; "furo" is Furo's own (helpsite.sphinx.theming).
    set_default(config, "html_theme", THEME)
    set_default(config, "html_show_sourcelink", False)
    set_default(config, "html_copy_source", False)
    set_default(config, "source_suffix", {".md": "markdown"})
    # Localized screenshots sit beside the original: media/sign-in.nl-NL.png
    set_default(config, "figure_language_filename", "{root}." + config.helpsite_locale + "{ext}")
    if config.helpsite_base_url:
        base = config.helpsite_base_url.rstrip("/") + "/"
        config.helpsite_base_url = base
        set_default(config, "html_baseurl", base + output_folder(config.helpsite_locale) + "/")
    # The gettext template, and helpsite/redirect.html (help-ID pages, in every theme; it
    # has no interface text). Templates with texts in templates_path would be extracted
    # into a sphinx.pot by `-b gettext`; the page templates live in the theme instead.
    config.templates_path = [*list(config.templates_path), str(TEMPLATES_COMMON)]
    config.html_static_path = [*list(config.html_static_path), str(STATIC_DIR)]
