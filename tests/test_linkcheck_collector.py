"""The collector extension: links reported at their Markdown source line, translations too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.linkcheck import LocalServer, local_settings
from helpsite.findings import Code
from helpsite.linkcheck.runner import check_site
from helpsite.linkcheck.sources import SourceMap
from sphinx.cmd.build import build_main

# Only the local server is requested; the theme's own links are not this test's business.
ONLY_LOCAL = {"ignore": [r"^https?://(?!127\.0\.0\.1)"]}


@pytest.fixture
def server(server: LocalServer) -> LocalServer:
    """The shared local server (conftest.py), with the pages these articles link to."""
    server.page("/fine")
    server.page("/gone", status=404)
    server.page("/weg", status=404)
    return server


def write_project(root: Path, server: LocalServer) -> Path:
    source = root / "src"
    (source / "media").mkdir(parents=True)
    (source / "conf.py").write_text(
        'extensions = ["myst_parser", "helpsite.linkcheck.collector"]\n'
        'source_suffix = {".md": "markdown"}\nlocale_dirs = ["../locales"]\n'
        "gettext_compact = False\nhtml_theme = 'basic'\n", encoding="utf-8")
    (source / "index.md").write_text(
        "# Home\n"                                                     # 1
        "\n"
        "```{toctree}\nother\n```\n"                                   # 3-5
        "\n"
        "Read the [other page](other.md) and [its part](other.md#part).\n"  # 7
        "\n"
        f"A [dead link]({server.url('/gone')}) in a paragraph.\n"     # 9
        "\n"
        f"- a [fine link]({server.url('/fine')})\n"                   # 11
        "- a [missing part](other.md#nowhere)\n"                      # 12
        "\n"
        "![picture](media/pic.png)\n", encoding="utf-8")              # 14
    (source / "other.md").write_text(
        "# Other\n\n(part)=\n## Part\n\nBack [home](index.md).\n", encoding="utf-8")
    (source / "media" / "pic.png").write_bytes(b"png")
    catalog = root / "locales" / "nl" / "LC_MESSAGES" / "index.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        f'msgid "A [dead link]({server.url("/gone")}) in a paragraph."\n'
        f'msgstr "Een [dode link]({server.url("/weg")}) in een alinea."\n', encoding="utf-8")
    return source


def build(source: Path, out: Path, *options: str) -> None:
    assert build_main(["-q", "-b", "html", *options, str(source), str(out)]) == 0


def test_collector_records_source_lines(tmp_path: Path, server: LocalServer):
    source = write_project(tmp_path, server)
    out = tmp_path / "out" / "en-us"
    build(source, out)

    document = json.loads((out / "_helpsite" / "links.json").read_text(encoding="utf-8"))
    assert document["version"] == 1
    # relative to the links file: the output does not depend on where it was built
    links_folder = out / "_helpsite"
    assert not Path(document["srcdir"]).is_absolute()
    assert (links_folder / document["srcdir"]).resolve() == source.resolve()
    index = document["pages"]["index.html"]
    assert index["docname"] == "index"
    records = [(r["kind"], r["href"], r["source"], r["line"]) for r in index["links"]]
    assert ("reference", "other.html", "index.md", 7) in records
    assert ("reference", "other.html#part", "index.md", 7) in records
    assert ("reference", server.url("/gone"), "index.md", 9) in records
    assert ("reference", server.url("/fine"), "index.md", 11) in records
    assert ("reference", "other.html#nowhere", "index.md", 12) in records
    assert ("image", "media/pic.png", "index.md", 14) in records
    other = document["pages"]["other.html"]["links"]
    assert [(r["href"], r["source"], r["line"]) for r in other] == [
        ("index.html", "other.md", 6)]


def test_findings_point_at_the_markdown_line(tmp_path: Path, server: LocalServer):
    source = write_project(tmp_path, server)
    out = tmp_path / "out" / "en-us"
    build(source, out)

    report = check_site(out.parent, local_settings(**ONLY_LOCAL))

    broken = [f for f in report.findings if f.code is Code.CHECK_BROKEN]
    assert len(broken) == 1
    assert Path(broken[0].path) == source / "index.md" and broken[0].line == 9
    assert "(built page " in broken[0].message and "en-us/index.html:" in broken[0].message
    anchor = [f for f in report.findings if f.code is Code.CHECK_ANCHOR_MISSING]
    assert [(Path(f.path).name, f.line) for f in anchor] == [("index.md", 12)]


def test_translated_link_is_reported_at_the_source_paragraph(tmp_path: Path,
                                                            server: LocalServer):
    source = write_project(tmp_path, server)
    site = tmp_path / "out"
    build(source, site / "en-us")
    build(source, site / "nl-nl", "-D", "language=nl")

    report = check_site(site, local_settings(**ONLY_LOCAL))

    broken = sorted((f.message.split("]")[0] + "]", Path(f.path).name, f.line)
                    for f in report.findings if f.code is Code.CHECK_BROKEN)
    assert broken == [("[en-us]", "index.md", 9), ("[nl-nl]", "index.md", 9)]
    nl = next(f for f in report.findings if "[nl-nl]" in f.message)
    assert server.url("/weg") in nl.message  # the translator's URL, at the source line
    assert len(server.requests_for("/fine")) == 1  # once for both locales


def test_incremental_build_keeps_and_prunes_records(tmp_path: Path, server: LocalServer):
    source = write_project(tmp_path, server)
    out = tmp_path / "out" / "en-us"
    build(source, out)
    (source / "other.md").write_text("# Other\n\nNo links any more.\n", encoding="utf-8")
    build(source, out)  # only other.md is rewritten

    pages = json.loads((out / "_helpsite" / "links.json").read_text())["pages"]
    assert pages["other.html"]["links"] == []
    assert len(pages["index.html"]["links"]) >= 6  # kept from the first build

    (source / "other.md").unlink()
    (source / "index.md").write_text("# Home\n\nAlone.\n", encoding="utf-8")
    build(source, out)
    pages = json.loads((out / "_helpsite" / "links.json").read_text())["pages"]
    assert set(pages) == {"index.html"}


def test_source_map_matches_quoted_page_names_and_renamed_images(tmp_path: Path):
    (tmp_path / "_helpsite").mkdir()
    (tmp_path / "_helpsite" / "links.json").write_text(json.dumps({
        "version": 1, "srcdir": str(tmp_path / "src"),
        "pages": {"sign-in%20now.html": {"docname": "sign-in now", "links": [
            {"kind": "reference", "href": "a.html", "source": "sign-in now.md", "line": 3},
            {"kind": "reference", "href": "a.html", "source": "sign-in now.md", "line": 9},
            {"kind": "image", "href": "media/pic.png", "source": "sign-in now.md", "line": 5},
        ]}}}), encoding="utf-8")

    sources = SourceMap.load(tmp_path)

    assert sources is not None
    page = "sign-in now.html"
    assert sources.locate(page, "a.html").line == 3
    assert sources.locate(page, "_images/pic.png").line == 5  # matched by file name
    assert sources.locate(page, "a.html").line == 9  # the second "a.html" of the page
    assert sources.locate(page, "a.html").line == 9  # more in the HTML than recorded
    assert sources.locate(page, "b.html") is None
    assert sources.locate(page, "a.html").path == tmp_path / "src" / "sign-in now.md"
