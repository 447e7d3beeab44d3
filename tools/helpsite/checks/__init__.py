"""Checks of article bodies (one article at a time) and of the corpus as a whole."""
