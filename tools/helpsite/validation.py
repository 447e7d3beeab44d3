"""``helpsite validate``: every check over a set of articles, as one list of findings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from helpsite.article import Article, read_article
from helpsite.findings import Finding, apply_policy

# Folders of a help repository that hold no articles of their own.
SKIPPED_DIRS = {"media", "images", "_build", "build", "node_modules", ".git"}


@dataclass
class ValidationReport:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0


def iter_markdown_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The ``.md`` files named or found under ``paths``, in a stable order."""
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*.md")):
                if not SKIPPED_DIRS.intersection(found.relative_to(path).parts[:-1]):
                    yield found
        else:
            yield path


def check_article(article: Article) -> list[Finding]:
    """All per-article findings (the model's own plus metadata and body checks)."""
    return list(article.findings)


def validate_paths(
    paths: Sequence[Path], *, suppress: Sequence[str] = (), strict: bool = False
) -> ValidationReport:
    report = ValidationReport()
    for file in iter_markdown_files(paths):
        article = read_article(file, str(file))
        report.files_checked += 1
        report.findings.extend(check_article(article))
    report.findings = apply_policy(report.findings, suppress=suppress, strict=strict)
    return report
