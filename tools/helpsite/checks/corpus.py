"""Checks across all articles of a run: shared help IDs, duplicate titles, file names.

A shared help ID or title is one problem however many articles share it, so it is one
finding (at the first file, in path order) that names every file involved.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from helpsite.findings import Code, Finding

# A help ID is a number; ms.custom also carries tags (commerce_billing) and GUIDs, which
# many articles share on purpose and which no help button opens.
_HELP_ID = re.compile(r"\d+")
_URL_BREAKING = {"#": "a '#'", "?": "a '?'", "%": "a '%'"}
_MAYBE_ODD = re.compile(r"[^\x21-\x7e]|[#?%]")


def file_name_problems(parts: Sequence[str]) -> list[str]:
    """What is wrong with a file's path segments (folders and name) as parts of a URL."""
    if not _MAYBE_ODD.search("".join(parts)):
        return []  # plain printable ASCII: nearly every name
    problems: dict[str, int] = {}
    for char in "".join(parts):
        problem = _char_problem(char)
        if problem:
            problems[problem] = problems.get(problem, 0) + 1
    return [problem if count == 1 else f"{count} x {problem}" for problem, count in
            problems.items()]


def _char_problem(char: str) -> str | None:
    category = unicodedata.category(char)
    if char.isspace() or category == "Zs":
        return "a space" if char == " " else f"a space character ({_describe(char)})"
    if category == "Pd" and char != "-":
        return f"a dash other than '-' ({_describe(char)})"
    if category in ("Cf", "Cc", "Co", "Cn"):
        return f"an invisible character ({_describe(char)})"
    return _URL_BREAKING.get(char)


def _describe(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED').lower()}"


def check_file_name(path: str, parts: Sequence[str]) -> list[Finding]:
    problems = file_name_problems(parts)
    if not problems:
        return []
    return [Finding.of(Code.FILE_NAME, path, 1, 1,
                       f"the file name has {', '.join(problems)}, which breaks or disguises "
                       "its URL; rename it with lowercase letters, digits and '-'")]


@dataclass
class _Use:
    path: str
    line: int


@dataclass(frozen=True)
class CorpusRecord:
    """What one article contributes to the corpus checks (small, so it can cross processes)."""

    path: str
    help_ids: tuple[str, ...]
    help_ids_line: int
    title: str | None
    title_line: int

    @classmethod
    def of(cls, path: str, metadata: dict[str, Any], key_lines: dict[str, int]) -> CorpusRecord:
        ids = metadata.get("ms.custom")
        help_ids = tuple(dict.fromkeys(
            i for i in (ids if isinstance(ids, list) else ())
            if isinstance(i, str) and _HELP_ID.fullmatch(i)
        ))
        title = metadata.get("title")
        return cls(path, help_ids, key_lines.get("ms.custom", 1),
                   title.strip() if isinstance(title, str) and title.strip() else None,
                   key_lines.get("title", 1))


@dataclass
class CorpusIndex:
    """Collects what each article declares; :meth:`findings` compares them."""

    help_ids: dict[str, list[_Use]] = field(default_factory=lambda: defaultdict(list))
    titles: dict[str, list[_Use]] = field(default_factory=lambda: defaultdict(list))
    shown_titles: dict[str, str] = field(default_factory=dict)

    def add(self, record: CorpusRecord) -> None:
        for help_id in record.help_ids:
            self.help_ids[help_id].append(_Use(record.path, record.help_ids_line))
        if record.title is not None:
            key = " ".join(record.title.split()).casefold()
            self.titles[key].append(_Use(record.path, record.title_line))
            self.shown_titles.setdefault(key, record.title)

    def findings(self) -> list[Finding]:
        found = [
            _shared(Code.CORPUS_HELP_ID_SHARED, f"help ID {help_id}", uses,
                    "give each article its own help ID, or keep it on the one article it "
                    "should open")
            for help_id, uses in self.help_ids.items() if len(uses) > 1
        ]
        found += [
            _shared(Code.CORPUS_TITLE_DUPLICATE, f"the title '{self.shown_titles[key]}'", uses,
                    "make each title say what sets the article apart")
            for key, uses in self.titles.items() if len(uses) > 1
        ]
        return found


def _shared(code: Code, what: str, uses: Iterable[_Use], advice: str) -> Finding:
    ordered = sorted(uses, key=lambda use: use.path)
    first = ordered[0]
    paths = [use.path for use in ordered]
    try:
        folder = os.path.commonpath([os.path.dirname(p) for p in paths])
    except ValueError:  # absolute and relative paths mixed
        folder = ""
    shown = [os.path.relpath(p, folder) for p in paths] if folder else paths
    where = f" (in {folder}{os.sep})" if folder else ""
    return Finding.of(code, first.path, first.line, 1,
                      f"{what} is used by {len(ordered)} articles{where}: "
                      f"{', '.join(shown)}; {advice}")
