"""The help-article model: one Markdown file read into front matter and body.

Reading never raises: every problem with the file (encoding, framing, YAML) becomes a
:class:`~helpsite.findings.Finding` on the returned :class:`Article`, with the file's own
line numbers, so a caller can report and go on with the next file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpsite.findings import Code, Finding
from helpsite.frontmatter import FrontMatter, load_front_matter, split_front_matter

UTF8_BOM = "\ufeff"


@dataclass
class Article:
    """A help article: metadata, Markdown body, and where the body starts in the file."""

    path: Path
    display_path: str
    front_matter: FrontMatter
    body: str
    body_start_line: int
    findings: list[Finding] = field(default_factory=list)
    has_front_matter: bool = False

    @property
    def metadata(self) -> dict[str, Any]:
        return self.front_matter.data

    @property
    def readable(self) -> bool:
        """True when the body can be checked (the file decoded and its framing is sound)."""
        return not any(
            f.code in (Code.FILE_ENCODING, Code.FILE_UNREADABLE, Code.FM_UNTERMINATED)
            for f in self.findings
        )


def decode_article(data: bytes, display_path: str) -> tuple[str | None, list[Finding]]:
    """Bytes to text: strict UTF-8, BOM dropped, CRLF/CR turned into LF."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        return None, [Finding.of(
            Code.FILE_ENCODING, display_path, line, column,
            f"byte 0x{data[error.start]:02x} is not UTF-8 ({error.reason}); "
            "re-save the file as UTF-8",
        )]
    text = text.removeprefix(UTF8_BOM)
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def parse_article(text: str, path: Path, display_path: str) -> Article:
    """Parse already-decoded text; used by :func:`read_article` and by tests."""
    split = split_front_matter(text)
    article = Article(path, display_path, FrontMatter(), split.body, split.body_start_line)
    if not text.strip():
        article.findings.append(Finding.of(
            Code.FILE_EMPTY, display_path, 1, 1,
            "the file is empty; an article needs front matter and an H1 title",
        ))
        return article
    if split.unterminated:
        article.findings.append(Finding.of(
            Code.FM_UNTERMINATED, display_path, 1, 1,
            "front matter opened with '---' on line 1 is never closed; "
            "add a line '---' after the last key",
        ))
        return article
    if split.yaml_text is None:
        return article
    article.has_front_matter = True
    matter, findings = load_front_matter(split.yaml_text, display_path, first_line=2)
    matter.end_line = split.body_start_line - 1
    article.front_matter = matter
    article.findings.extend(findings)
    return article


def read_article(path: Path, display_path: str | None = None) -> Article:
    """Read one article from disk; problems become findings, never exceptions."""
    shown = display_path or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        article = Article(path, shown, FrontMatter(), "", 1)
        article.findings.append(Finding.of(
            Code.FILE_UNREADABLE, shown, 1, 1, f"cannot read the file: {error.strerror}"
        ))
        return article
    text, findings = decode_article(data, shown)
    if text is None:
        article = Article(path, shown, FrontMatter(), "", 1, findings)
        return article
    return parse_article(text, path, shown)
