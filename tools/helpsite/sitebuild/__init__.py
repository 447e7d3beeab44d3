"""Build the help site of every locale: one Sphinx build per locale, then the root page.

:mod:`.plan` decides what to build from ``conf.py`` and the command line, :mod:`.localeprocess`
runs one Sphinx build per locale (each in its own process, because Sphinx keeps its
interface translations in process-wide state), :mod:`.chooser` writes
``build/html/index.html``, and :mod:`.serve` previews the result on 127.0.0.1.
"""
