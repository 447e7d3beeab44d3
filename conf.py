"""Sphinx configuration of helpsite's sample help site: build it with `make html`.

`helpsite build` runs one Sphinx build per locale (it passes `-D language=nl_NL`); a plain
`sphinx-build -c . source out` builds the source locale. See docs/building.md.
"""

project = "Contoso Cloud Help"
author = "Contoso documentation team"
copyright = "2026, Contoso"

extensions = ["helpsite.sphinx"]  # sets up myst_parser itself
root_doc = "index"
html_theme = "helpsite"  # Furo with the site header and language menu (docs/configuration.md)
html_title = project

# Locales are BCP 47 tags; catalogs live in locales/<tag>/LC_MESSAGES/<docname>.po.
helpsite_source_locale = "en-US"
helpsite_locales = ["nl-NL", "de-DE", "ja-JP", "ar-SA"]
helpsite_locale_dir = "locales"
helpsite_base_url = "https://help.contoso.example/"
# Articles are grouped into categories by their folder (source/billing/ → "billing").
helpsite_category_key = "folder"
