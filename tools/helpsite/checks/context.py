"""What every body check needs to know about the article it looks at."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from helpsite.checks.tree import SourceTree
from helpsite.findings import Code, Finding
from helpsite.metadata.schema import PageKind


@dataclass
class BodyContext:
    """One article's body: where it is, its lines, and the tree its links resolve in."""

    path: str  # the path shown in findings
    folder: tuple[str, ...] | None  # the article's folder under the tree root (None: outside)
    body_start_line: int  # file line of the body's first line
    lines: Sequence[str]  # the body's lines
    tree: SourceTree
    kind: PageKind

    def file_line(self, body_line: int) -> int:
        return self.body_start_line + body_line

    def column(self, body_line: int, needle: str, start: int = 0) -> int:
        """1-based column of ``needle`` on a body line (1 when it cannot be found)."""
        if 0 <= body_line < len(self.lines) and needle:
            index = self.lines[body_line].find(needle, start)
            if index >= 0:
                return index + 1
        return 1

    def finding(self, code: Code, body_line: int, column: int, message: str) -> Finding:
        return Finding.of(code, self.path, self.file_line(body_line), column, message)
