"""All body checks of one article, run over one parse of its Markdown."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from helpsite.article import Article
from helpsite.checks.bodyparser import (
    ParsedBody,
    check_fences,
    markdown_parser,
    parse_body,
    site_myst_extensions,
)
from helpsite.checks.context import BodyContext
from helpsite.checks.headings import check_headings
from helpsite.checks.html import check_html
from helpsite.checks.links import check_links
from helpsite.checks.steps import check_steps
from helpsite.checks.tree import SourceTree
from helpsite.findings import Finding
from helpsite.metadata.schema import PageKind

BodyCheck = Callable[[ParsedBody, BodyContext], Iterator[Finding]]
BODY_CHECKS: tuple[BodyCheck, ...] = (check_headings, check_links, check_steps, check_html,
                                      check_fences)


class BodyChecker:
    """Runs every body check; one instance (one parser, one tree cache) serves a whole run."""

    def __init__(self, tree: SourceTree) -> None:
        self.tree = tree
        self.parser = markdown_parser(site_myst_extensions(tree.root))

    def check(
        self, article: Article, kind: PageKind, folder: tuple[str, ...] | None = None
    ) -> list[Finding]:
        """Findings for the body; ``folder`` is the article's folder in the tree, if known."""
        parsed = parse_body(article.body, self.parser)
        ctx = BodyContext(
            path=article.display_path,
            folder=folder if folder is not None else self.tree.parts_of(article.path),
            body_start_line=article.body_start_line,
            lines=parsed.lines,
            tree=self.tree,
            kind=kind,
        )
        return [finding for check in BODY_CHECKS for finding in check(parsed, ctx)]
