"""Real articles: built with the collector, their link problems are found at the Markdown line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.linkcheck import local_settings
from helpsite.findings import Code
from helpsite.linkcheck.model import Status
from helpsite.linkcheck.runner import check_site
from sphinx.cmd.build import build_main

ARTICLES = ["cant-connect-to-the-internet.md", "cannot-see-the-scroll-bar.md"]
IMAGE = "media/16353_Mouse_over_inbox_scrollbar-225x292.gif"  # linked in lowercase


@pytest.mark.corpus
def test_real_articles_are_reported_at_their_source_lines(corpus: Path, tmp_path: Path):
    articles = corpus / "alchemy" / "nl-NL"
    source = tmp_path / "src"
    (source / "media").mkdir(parents=True)
    for name in [*ARTICLES, IMAGE]:
        shutil.copyfile(articles / name, source / name)
    (source / "conf.py").write_text(
        'extensions = ["myst_parser", "helpsite.linkcheck.collector"]\n'
        'source_suffix = {".md": "markdown"}\nhtml_theme = "basic"\n'
        'root_doc = "cant-connect-to-the-internet"\n', encoding="utf-8")
    out = tmp_path / "site" / "nl-nl"
    assert build_main(["-q", "-b", "html", str(source), str(out)]) == 0

    report = check_site(out.parent, local_settings(), external=False)

    errors = {(Path(f.path).name, f.line, f.code) for f in report.findings
              if f.code is not Code.CHECK_PAGE_MISSING}
    # MyST keeps only the URL schemes it knows: ms-settings: became a page fragment.
    assert ("cant-connect-to-the-internet.md", 26, Code.CHECK_ANCHOR_MISSING) in errors
    # The image is linked with another letter case than the file has.
    assert ("cannot-see-the-scroll-bar.md", 26, Code.CHECK_INTERNAL_MISSING) in errors
    source_line = (source / "cant-connect-to-the-internet.md").read_text(
        encoding="utf-8").splitlines()[25]
    assert "ms-settings:troubleshoot" in source_line
    external = [r for r in report.results if r.occurrence.url.startswith("https://support.")]
    assert external and {r.status for r in external} == {Status.SKIPPED}
