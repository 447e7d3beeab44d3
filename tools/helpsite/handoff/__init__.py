"""Translation handoff: the translation memory, the cost analysis and the exchange formats.

- :mod:`.memory` — the TM of a locale and its exact and fuzzy matches
- :mod:`.tmx` — the TM as TMX 1.4b, for other tools
- :mod:`.analysis` — word counts by match band (``helpsite handoff analyse``)
"""
