"""The one tree walker the build lists articles, catalogs and pages with."""

from __future__ import annotations

import os
from pathlib import Path

from helpsite.files import files_by_suffix, walk_files


def make_tree(root: Path, outside: Path) -> None:
    for name in ("b.po", "a/z.po", "a/y.md", ".hidden/x.po", "a/.git.po", "__pycache__/m.pyc",
                 "c/d/e.po"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name, encoding="utf-8")
    (outside / "secret.po").write_text("outside", encoding="utf-8")
    os.symlink(outside, root / "linked.po")  # a linked folder: never entered


def test_walk_lists_files_in_order_without_linked_or_skipped_folders(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    make_tree(root, outside)
    names = [name for name, _entry in walk_files(root, ordered=True,
                                                 skip_folders=frozenset({"__pycache__"}))]
    assert names == ["b.po", ".hidden/x.po", "a/.git.po", "a/y.md", "a/z.po", "c/d/e.po"]
    visible = sorted(name for name, _entry in walk_files(root, hidden=False))
    assert visible == ["__pycache__/m.pyc", "a/y.md", "a/z.po", "b.po", "c/d/e.po"]


def test_files_by_suffix_maps_names_to_paths(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    make_tree(root, outside)
    found = files_by_suffix(root, ".po")
    assert found == {"a/z": str(root / "a/z.po"), "b": str(root / "b.po"),
                     "c/d/e": str(root / "c/d/e.po")}
    assert files_by_suffix(None, ".po") == {}
    assert files_by_suffix(tmp_path / "missing", ".po") == {}
