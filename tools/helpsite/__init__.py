"""helpsite: localized help sites from Markdown help articles."""

__version__ = "0.1.0"
