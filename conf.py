"""Sphinx configuration of helpsite's sample help site (build with `make html`)."""

project = "Contoso Cloud Help"
author = "Contoso documentation team"
copyright = "2026, Contoso"

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
root_doc = "index"
language = "en"
html_theme = "furo"
myst_heading_anchors = 3
