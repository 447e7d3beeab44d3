"""Front matter: find the ``---`` block, and load its YAML safely and within bounds.

Loading is two passes over the YAML. The token scan is iterative, so it can refuse
anchors, aliases and explicit tags and bound the nesting depth before the recursive
composer ever sees the input (a 10,000-deep document would otherwise blow the stack).
Only then does a safe-loader subclass build the values, reporting duplicate
keys and remembering the line of every top-level key. Line numbers are the file's own.

Both passes use libyaml (``yaml.CSafeLoader``) when PyYAML was built with it: the pure
Python loader takes about 4 ms per article, too slow for a corpus of thousands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from helpsite.findings import Code, Finding

MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_NESTING_DEPTH = 16

_OPEN_TOKENS = (
    yaml.BlockMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.FlowSequenceStartToken,
)
_CLOSE_TOKENS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


@dataclass
class FrontMatter:
    """The loaded front matter of one file, with the file line of each top-level key."""

    data: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    start_line: int = 0  # file line of the opening '---' (0: no front matter)
    end_line: int = 0  # file line of the closing '---'
    ok: bool = True  # False when the YAML could not be loaded


@dataclass
class Split:
    """A file's text cut into front-matter YAML and Markdown body."""

    yaml_text: str | None
    body: str
    body_start_line: int  # file line of the body's first line
    unterminated: bool = False


def split_front_matter(text: str) -> Split:
    """Cut ``text`` (LF newlines, no BOM) at the ``---`` fences; never raises."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return Split(None, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index]) + "\n"
            body = "\n".join(lines[index + 1 :])
            return Split(yaml_text, body, index + 2)
    return Split(None, text, 1, unterminated=True)


# The C loader scans and parses in libyaml; construction stays SafeConstructor's Python code,
# so the safety rules (and the overrides below) are the same with either base.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _BoundedSafeLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """SafeLoader that reports duplicate keys and keeps dates as the text the writer typed."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, yaml.Mark]] = []
        self.top_key_marks: dict[str, yaml.Mark] = {}
        self._root: yaml.Node | None = None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            hashable = key if isinstance(key, (str, int, float, bool, type(None))) else repr(key)
            if hashable in seen:
                self.duplicates.append((str(key), key_node.start_mark))
            seen.add(hashable)
            if node is self._root and isinstance(key, str):
                self.top_key_marks.setdefault(key, key_node.start_mark)
        return super().construct_mapping(node, deep=deep)

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        self._root = node
        return None if node is None else self.construct_document(node)


# Help articles write dates as MM/DD/YYYY strings; ISO dates must not silently become
# datetime objects that the schema then rejects with a confusing message.
_BoundedSafeLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str
)


def _file_position(mark: yaml.Mark | None, first_line: int) -> tuple[int, int]:
    if mark is None:
        return first_line, 1
    return first_line + mark.line, mark.column + 1


def _scan_for_unsafe_constructs(yaml_text: str, path: str, first_line: int) -> list[Finding]:
    """Token pass: refuse anchors, aliases and tags, and bound the nesting depth."""
    findings: list[Finding] = []
    depth = 0
    aliases: list[tuple[int, int, str]] = []  # one finding for all: a bomb has hundreds
    for token in yaml.scan(yaml_text, Loader=_SafeBase):
        line, col = _file_position(token.start_mark, first_line)
        if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
            kind = "anchor" if isinstance(token, yaml.AnchorToken) else "alias"
            aliases.append((line, col, f"{kind} '{token.value}'"))
        elif isinstance(token, yaml.TagToken):
            handle, suffix = token.value
            findings.append(Finding.of(
                Code.YAML_TAG, path, line, col,
                f"YAML tag '{handle or ''}{suffix}' refused: front matter holds plain "
                "strings, numbers and lists only.",
            ))
        elif isinstance(token, _OPEN_TOKENS):
            depth += 1
            if depth > MAX_NESTING_DEPTH:
                findings.append(Finding.of(
                    Code.YAML_TOO_DEEP, path, line, col,
                    f"front matter nests more than {MAX_NESTING_DEPTH} levels deep; "
                    "help-article metadata is flat keys and lists.",
                ))
                break
        elif isinstance(token, _CLOSE_TOKENS):
            depth -= 1
    if aliases:
        line, col, first = aliases[0]
        more = f" (and {len(aliases) - 1} more)" if len(aliases) > 1 else ""
        findings.insert(0, Finding.of(
            Code.YAML_ALIAS, path, line, col,
            f"YAML {first}{more} refused: anchors and aliases are not allowed in front "
            "matter; write the value out.",
        ))
    return findings


# Anchors start with '&', aliases with '*', tags with '!'; flow collections with '[' or '{'.
# Front matter with none of these (nearly all of it) cannot hold what the token pass
# refuses, and its block nesting is measured on the loaded data instead.
_SCAN_TRIGGERS = frozenset("&*![{")


def _needs_token_scan(yaml_text: str) -> bool:
    return not _SCAN_TRIGGERS.isdisjoint(yaml_text)


def _depth(data: Any) -> int:
    """How deeply lists and mappings nest in loaded data (iterative: no recursion)."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if depth <= MAX_NESTING_DEPTH:
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _yaml_error_finding(
    error: yaml.YAMLError, yaml_text: str, path: str, first_line: int
) -> Finding:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    context_mark = getattr(error, "context_mark", None)
    # An unclosed '[' or quote is detected only at the end of the text; the writer needs
    # the line where it was opened.
    if context_mark is not None and mark is not None and mark.index >= len(yaml_text) - 2:
        mark = context_mark
    line, col = _file_position(mark, first_line)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if "nesting depth" in problem:
        # libyaml stops at 1,000 levels while scanning ahead, before our own bound is seen.
        return Finding.of(
            Code.YAML_TOO_DEEP, path, line, col,
            f"front matter nests more than {MAX_NESTING_DEPTH} levels deep; "
            "help-article metadata is flat keys and lists.",
        )
    context = getattr(error, "context", None)
    detail = f"{context}: {problem}" if context else problem
    return Finding.of(Code.YAML_SYNTAX, path, line, col, f"invalid YAML ({detail})")


def load_front_matter(
    yaml_text: str, path: str, first_line: int
) -> tuple[FrontMatter, list[Finding]]:
    """Load the YAML between the fences; ``first_line`` is the file line of its first line."""
    matter = FrontMatter(start_line=first_line - 1)
    size = len(yaml_text.encode("utf-8"))
    if size > MAX_FRONT_MATTER_BYTES:
        matter.ok = False
        return matter, [Finding.of(
            Code.YAML_TOO_LARGE, path, first_line, 1,
            f"front matter is {size:,} bytes; the bound is {MAX_FRONT_MATTER_BYTES:,}. "
            "Move long text into the article body.",
        )]
    try:
        findings = (
            _scan_for_unsafe_constructs(yaml_text, path, first_line)
            if _needs_token_scan(yaml_text) else []
        )
        if findings:
            matter.ok = False
            return matter, findings
        loader = _BoundedSafeLoader(yaml_text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        matter.ok = False
        return matter, [_yaml_error_finding(error, yaml_text, path, first_line)]
    except RecursionError:
        matter.ok = False
        return matter, [Finding.of(
            Code.YAML_TOO_DEEP, path, first_line, 1, "front matter nests too deeply to load"
        )]
    findings = [
        Finding.of(
            Code.YAML_DUPLICATE_KEY, path, *_file_position(mark, first_line),
            f"duplicate key '{key}': it is already set above; keep one of them",
        )
        for key, mark in loader.duplicates
    ]
    if data is None:
        data = {}
    if _depth(data) > MAX_NESTING_DEPTH:  # block nesting the token pass did not look at
        matter.ok = False
        return matter, [Finding.of(
            Code.YAML_TOO_DEEP, path, first_line, 1,
            f"front matter nests more than {MAX_NESTING_DEPTH} levels deep; "
            "help-article metadata is flat keys and lists.",
        )]
    if not isinstance(data, dict):
        matter.ok = False
        findings.append(Finding.of(
            Code.YAML_NOT_MAPPING, path, first_line, 1,
            f"front matter is a {type(data).__name__}, not 'key: value' lines",
        ))
        return matter, findings
    matter.data = {str(k): v for k, v in data.items()}
    matter.key_lines = {
        key: _file_position(mark, first_line)[0] for key, mark in loader.top_key_marks.items()
    }
    return matter, findings
