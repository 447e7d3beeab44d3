"""Site search engines that run outside Sphinx: :mod:`.pagefind` indexes a built locale
folder so a query downloads only the index chunks it needs (Sphinx's search loads the
whole ``searchindex.js`` of a locale on the first query)."""
