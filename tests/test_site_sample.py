"""The repository's own sample site and the real corpus, built as a writer would."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.reader import SampleSite, build_sample_site
from helpsite.sitebuild.localeprocess import run_locale
from helpsite.sitebuild.plan import make_plan

REPO = Path(__file__).resolve().parents[1]
WARNING_LINE = re.compile(r"^/\S.*\.md:\d+: WARNING: .+ \[[a-z0-9_.-]+\]$")


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleSite:
    """The sample site as the reader and browser tests share it (helpers/reader.py)."""
    return build_sample_site(tmp_path_factory)


@pytest.mark.slow
def test_sample_site_builds_every_locale_without_warnings(sample: SampleSite) -> None:
    plan = make_plan(REPO, REPO / "source", sample.html.parent)
    assert [b.tag for b in plan.builds] == ["en-US", "nl-NL", "de-DE", "ja-JP", "ar-SA"]
    assert list(sample.results) == [b.tag for b in plan.builds]
    pages: dict[str, set[str]] = {}
    for build in plan.builds:
        result = sample.results[build.tag]
        assert result.ok, result.output
        assert result.problems == [], build.tag
        assert result.output.strip() == "", build.tag
        pages[build.tag] = {p.relative_to(build.html_dir).as_posix()
                            for p in build.html_dir.rglob("*.html")}
    assert len({frozenset(p) for p in pages.values()}) == 1  # every locale has every page
    arabic = BeautifulSoup(sample.path("ar-SA", "index.html").read_text(), "lxml")
    assert (arabic.html["lang"], arabic.html["dir"]) == ("ar-SA", "rtl")


def _corpus_sample(corpus: Path, target: Path, count: int) -> Path:
    source = corpus / "alchemy" / "nl-NL"
    target.mkdir(parents=True)
    articles = sorted(p for p in source.glob("*.md") if " " not in p.name)[:count]
    for path in [source / "index.md", *articles]:
        shutil.copy2(path, target / path.name)
    (target / "commercial-dialogues").mkdir()
    for path in sorted((source / "commercial-dialogues").glob("*.md"))[:10]:
        shutil.copy2(path, target / "commercial-dialogues" / path.name)
    shutil.copytree(source / "media", target / "media")
    return target


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_articles_build_as_a_dutch_site(corpus: Path, tmp_path: Path) -> None:
    source = _corpus_sample(corpus, tmp_path / "nl-NL", 120)
    plan = make_plan(REPO, source, tmp_path / "out", source_locale="nl-NL",
                     defines=["helpsite_category_page_size=50"])
    result = run_locale(plan, plan.builds[0])
    assert result.ok, result.output
    assert "Traceback" not in result.output
    # what is reported is a content defect at a file and line, nothing else
    for line in result.output.splitlines():
        assert WARNING_LINE.match(line), line
    html = plan.builds[0].html_dir
    for md in sorted(source.glob("*.md"))[:40]:
        anchor = re.search(r'^# <a name="([^"]+)"></a>', md.read_text(encoding="utf-8"), re.M)
        if not anchor:
            continue
        page = BeautifulSoup((html / f"{md.stem}.html").read_text(encoding="utf-8"), "lxml")
        assert page.html["lang"] == "nl-NL"
        assert page.find("article").find("section")["id"] == anchor.group(1)
        tree = page.find("div", class_="sidebar-tree")
        assert len(tree.find_all("a")) <= 2 + 3 + 50  # categories + parts + one part
    assert (html / "articles" / "part-3.html").is_file()  # 120 top-level articles, 50 a part
    index = BeautifulSoup((html / "index.html").read_text(encoding="utf-8"), "lxml")
    assert [a["href"] for a in index.find("ul", class_="helpsite-categories").find_all("a")] == [
        "articles/index.html", "commercial-dialogues/index.html"]
