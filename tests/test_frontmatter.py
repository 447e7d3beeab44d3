"""Front matter: framing, YAML safety and bounds, line numbers in the file's own numbering."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpsite.article import parse_article, read_article
from helpsite.findings import Code


def codes(text: str) -> list[tuple[str, int]]:
    article = parse_article(text, Path("a.md"), "a.md")
    return [(f.code.code, f.line) for f in article.findings]


def test_seed_front_matter_loads_with_key_lines(seed_article: Path) -> None:
    article = read_article(seed_article)
    assert article.findings == []
    assert article.metadata["ms.custom"] == ["9003546", "6813"]
    assert article.metadata["ms.lasthandoff"] == "04/15/2021"
    assert article.front_matter.key_lines["ms.custom"] == 12
    assert article.body.startswith("# <a name=")
    assert article.body_start_line == 22


def test_unterminated_front_matter() -> None:
    assert codes("---\ntitle: x\n# Heading\n") == [("fm.unterminated", 1)]


@pytest.mark.parametrize("yaml_lines,line", [
    ("title: ok\nauthor: a: b\n", 3),  # the bad line is line 3 of the file
    ("title: ok\nauthor: a\nms.custom: [1, 2\n", 4),  # unclosed '[' opened on line 4
    ('title: "ok\n', 2),  # unclosed quote
])
def test_yaml_syntax_error_line_is_the_files_own(yaml_lines: str, line: int) -> None:
    assert codes("---\n" + yaml_lines + "---\n# T\n") == [("yaml.syntax", line)]


def test_python_tag_refused() -> None:
    assert codes("---\ntitle: !!python/object/apply:os.system ['true']\n---\n") == [
        ("yaml.tag", 2)
    ]


def test_alias_bomb_refused_fast() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    start = time.perf_counter()
    found = codes("---\n" + "\n".join(lines) + "\n---\n# T\n")
    assert time.perf_counter() - start < 1
    assert found and {code for code, _ in found} == {"yaml.alias"}
    assert found[0][1] == 2


@pytest.mark.parametrize("opener,closer", [("[", "]"), ("{a: ", "}")])
def test_nesting_ten_thousand_deep(opener: str, closer: str) -> None:
    text = "---\nx: " + opener * 10_000 + closer * 10_000 + "\n---\n# T\n"
    start = time.perf_counter()
    assert codes(text) == [("yaml.too-deep", 2)]
    assert time.perf_counter() - start < 1


def test_ten_megabyte_front_matter() -> None:
    text = "---\n" + "k: " + "x" * (10 * 1024 * 1024) + "\n---\n# T\n"
    start = time.perf_counter()
    assert codes(text) == [("yaml.too-large", 2)]
    assert time.perf_counter() - start < 1


def test_duplicate_keys_each_reported_at_their_line() -> None:
    assert codes("---\ntitle: a\nauthor: b\ntitle: c\n---\n# T\n") == [
        ("yaml.duplicate-key", 4)
    ]


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    article = read_article(path, "latin1.md")
    assert [(f.code, f.line, f.column) for f in article.findings] == [
        (Code.FILE_ENCODING, 2, 11)
    ]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    assert [f.code for f in read_article(path).findings] == [Code.FILE_EMPTY]


def test_bom_and_crlf_accepted(tmp_path: Path) -> None:
    path = tmp_path / "crlf.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\nms.custom:\r\n- '1'\r\n---\r\n# T\r\n")
    article = read_article(path)
    assert article.findings == []
    assert article.metadata == {"title": "T", "ms.custom": ["1"]}
    assert article.front_matter.key_lines == {"title": 2, "ms.custom": 3}
    assert article.body == "# T\n"
    assert article.body_start_line == 6


def test_not_a_mapping() -> None:
    assert codes("---\n- a\n- b\n---\n# T\n") == [("yaml.not-mapping", 2)]


@pytest.mark.parametrize("depth,expected", [(40, [("yaml.too-deep", 2)]), (10, [])])
def test_block_nesting_is_bounded_too(depth: int, expected: list[tuple[str, int]]) -> None:
    """Block nesting has no '[' or '{': it is measured on the loaded data."""
    keys = "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "x: 1\n"
    assert codes("---\n" + keys + "---\n# T\n") == expected
