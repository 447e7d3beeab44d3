"""BCP 47 locale tags for the Sphinx extension: see :mod:`helpsite.locales`.

The conversions live outside this package so that ``helpsite build`` can use them without
importing Sphinx and the extension (over half a second on every start)."""

from helpsite.locales import (
    LocaleError,
    LocaleInfo,
    babel_locale,
    display_names,
    locale_info,
    normalize_tag,
    output_folder,
    same_locale,
    sphinx_language,
    tag_for_language,
)

__all__ = ["LocaleError", "LocaleInfo", "babel_locale", "display_names", "locale_info",
           "normalize_tag", "output_folder", "same_locale", "sphinx_language",
           "tag_for_language"]
