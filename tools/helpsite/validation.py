"""``helpsite validate``: every check over a set of articles, as one list of findings.

Per file: reading (encoding, framing, YAML safety), the file name, the metadata schema and
the body checks. Then, across all files: shared help IDs and duplicate titles. The
expensive parts (the Markdown parser, the compiled JSON Schema validators, the directory
listings) are built once per run, not per file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from helpsite.article import Article, read_article
from helpsite.checks.body import BodyChecker
from helpsite.checks.corpus import CorpusIndex, check_file_name
from helpsite.checks.tree import SourceTree, find_source_root
from helpsite.findings import Code, Finding, apply_policy
from helpsite.metadata import MetadataChecker, PageKind

# Folders of a help repository that hold no articles of their own.
SKIPPED_DIRS = {"media", "images", "_build", "build", "node_modules", ".git"}
# Folders of Markdown fragments pulled into articles: no front matter, no H1 of their own.
INCLUDE_DIRS = {"includes", "_includes"}
LANDING_PAGE = "index.md"

ProgressCallback = Callable[[int, int, Path], None]


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


def page_kind(parts: Sequence[str]) -> PageKind:
    """What a file is, from its path under the source root."""
    if INCLUDE_DIRS.intersection(parts[:-1]):
        return PageKind.INCLUDE
    if parts and parts[-1] == LANDING_PAGE:
        return PageKind.LANDING
    return PageKind.ARTICLE


class Validator:
    """Checks files one by one, then the set; reusable across the files of one run."""

    def __init__(self, root: Path | None = None) -> None:
        self.fixed_root = root
        self.trees: dict[Path, SourceTree] = {}
        self.roots: dict[Path, Path] = {}  # folder -> its source root
        self.metadata = MetadataChecker()
        self.bodies: dict[Path, BodyChecker] = {}
        self.corpus = CorpusIndex()

    def _tree_for(self, file: Path) -> SourceTree:
        folder = file.resolve().parent
        root = self.fixed_root or self.roots.get(folder)
        if root is None:
            root = self.roots[folder] = find_source_root(folder)
        root = root.resolve()
        if root not in self.trees:
            self.trees[root] = SourceTree(root)
            self.bodies[root] = BodyChecker(self.trees[root])
        return self.trees[root]

    def check_file(self, file: Path, display: str | None = None) -> list[Finding]:
        shown = display or str(file)
        tree = self._tree_for(file)
        folder = tree.parts_of(file)
        parts = (*folder, file.name) if folder is not None else (file.name,)
        kind = page_kind(parts)
        article = read_article(file, shown)
        findings = list(article.findings)
        findings += check_file_name(shown, parts)
        if not article.readable or any(f.code is Code.FILE_EMPTY for f in findings):
            return findings
        findings += self._front_matter_findings(article, kind)
        findings += self.bodies[tree.root].check(article, kind)
        return findings

    def _front_matter_findings(self, article: Article, kind: PageKind) -> list[Finding]:
        if not article.has_front_matter:
            if kind is PageKind.INCLUDE:
                return []
            return [Finding.of(Code.FM_MISSING, article.display_path, 1, 1,
                               "the article has no front matter: start the file with a line "
                               "'---', the keys (title: ...), and another '---'")]
        result = self.metadata.check(article.front_matter, article.display_path, kind)
        if article.front_matter.ok and kind is not PageKind.INCLUDE:
            self.corpus.add(article.display_path, result.data, article.front_matter.key_lines)
        return result.findings

    def corpus_findings(self) -> list[Finding]:
        return self.corpus.findings()


def validate_paths(
    paths: Sequence[Path],
    *,
    suppress: Sequence[str] = (),
    strict: bool = False,
    root: Path | None = None,
    on_progress: ProgressCallback | None = None,
) -> ValidationReport:
    """Check every article under ``paths``; findings sorted by place, policy applied."""
    files = list(iter_markdown_files(paths))
    validator = Validator(root)
    report = ValidationReport()
    for done, file in enumerate(files, 1):
        report.findings.extend(validator.check_file(file))
        report.files_checked += 1
        if on_progress is not None:
            on_progress(done, len(files), file)
    report.findings.extend(validator.corpus_findings())
    report.findings = apply_policy(report.findings, suppress=suppress, strict=strict)
    return report
