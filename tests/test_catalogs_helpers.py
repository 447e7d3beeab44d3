"""The catalog test helpers (tests/helpers/catalogs.py) write files polib can read."""

from __future__ import annotations

from pathlib import Path

from helpers.catalogs import make_tree, po_entry, po_text, polib_entries, pot_text


def test_helpers_write_files_polib_can_read(tmp_path: Path) -> None:
    _pot_dir, _locales, po_path = make_tree(
        tmp_path, pot_text(["Hello"]), po_text([po_entry("Hello", "Hallo")]))
    assert polib_entries(po_path)["Hello"].msgstr == "Hallo"
