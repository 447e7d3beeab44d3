"""A new writer's first hour (issue 16): the documented path works on a clean clone, and
the rough edges met on the way are gone. The make-level checks run ``make`` itself (``-n``
prints what a target would run without running it) and parse its output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpsite.commands import main
from helpsite.console import WIDE, console_width
from helpsite.sitebuild.defines import check_defines
from helpsite.sitebuild.statuspage import (
    REPORT_END,
    REPORT_START,
    STATUS_PAGE,
    fill_status_page,
)

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TARGETS = ["nl-NL", "de-DE", "ja-JP", "ar-SA"]


def run_make(*args: str) -> str:
    result = subprocess.run(["make", "--no-print-directory", "-C", str(REPO), *args],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


# -- make html, then make linkcheck -------------------------------------------------------


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site as `make html` builds it (every locale), in a fresh folder."""
    out = tmp_path_factory.mktemp("first-hour") / "build"
    assert main(["build", "--conf-dir", str(REPO), "--source", str(REPO / "source"),
                 "--out", str(out)]) == 0
    return out / "html"


def test_linkcheck_right_after_a_build_passes(built_site: Path) -> None:
    """`make html` then `make linkcheck` on a clean clone: the status page used to be in
    the source locale only, so the link checker reported it missing everywhere else."""
    assert main(["linkcheck", str(built_site), "--no-external"]) == 0


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


@pytest.mark.parametrize("folder", ["en-us", "nl-nl", "ar-sa"])
def test_every_locale_has_the_status_page_in_the_site_s_dress(built_site: Path,
                                                              folder: str) -> None:
    page = soup_of(built_site / folder / STATUS_PAGE)
    robots = page.find("meta", attrs={"name": "robots"})
    assert robots is not None and robots["content"] == "noindex"
    # the site's page: its stylesheets, header and language menu, sidebar
    sheets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assert any("furo" in href for href in sheets)
    assert page.find("header", class_="helpsite-topbar") is not None
    assert page.find(class_="sidebar-tree") is not None
    # the statistics filled in: one table per target locale, the placeholder gone
    assert [h.get_text() for h in page.find_all("h2")] == TARGETS
    assert len(page.find_all("table", class_="docutils")) == len(TARGETS)
    assert page.find("section", id="translation-status").find("svg") is not None
    assert page.html["lang"].lower() == folder


def test_the_site_links_to_its_status_page(built_site: Path) -> None:
    article = soup_of(built_site / "nl-nl" / "account" / "add-users.html")
    link = article.select_one(".helpsite-languages li.helpsite-status-link a")
    assert link is not None and link["href"] == "../translation-status.html"
    not_found = soup_of(built_site / "nl-nl" / "404.html")
    rooted = not_found.select_one("li.helpsite-status-link a")
    assert rooted is not None and rooted["href"] == "/nl-nl/translation-status.html"


def test_status_page_is_left_out_of_sitemap_and_search(built_site: Path) -> None:
    sitemap = BeautifulSoup((built_site / "nl-nl" / "sitemap.xml").read_bytes(), "xml")
    locations = [loc.get_text() for loc in sitemap.find_all("loc")]
    assert locations and not any(STATUS_PAGE in loc for loc in locations)
    index = (built_site / "nl-nl" / "searchindex.js").read_text(encoding="utf-8")
    assert "translation-status" not in index


def test_no_empty_sources_folder_in_any_locale(built_site: Path) -> None:
    folders = [p for p in built_site.iterdir() if p.is_dir() and not p.name.startswith("_")]
    assert len(folders) == 1 + len(TARGETS)
    for folder in folders:
        assert not (folder / "_sources").exists(), folder


def test_filling_the_status_page_is_idempotent_and_writes_only_changes(
        tmp_path: Path) -> None:
    page = tmp_path / STATUS_PAGE
    page.write_text(f"<main>{REPORT_START}<p>wait</p>{REPORT_END}</main>", encoding="utf-8")
    assert fill_status_page(page, "<h2>nl-NL</h2>")
    once = page.read_text(encoding="utf-8")
    written = page.stat().st_mtime_ns
    assert fill_status_page(page, "<h2>nl-NL</h2>")
    assert page.read_text(encoding="utf-8") == once and page.stat().st_mtime_ns == written
    assert "wait" not in once and once.count("<h2>") == 1
    assert fill_status_page(page, "<h2>de-DE</h2>")  # a second fill replaces the first
    assert [h.get_text() for h in soup_of(page).find_all("h2")] == ["de-DE"]
    assert not fill_status_page(tmp_path / "missing.html", "<h2>x</h2>")


# -- -D that names nothing ----------------------------------------------------------------


@pytest.mark.parametrize("define, named", [("nonsense=1", "nonsense"),
                                           ("nonsense", "nonsense"),
                                           ("=1", "=1")])
def test_an_unknown_or_malformed_define_stops_the_build_before_it_starts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], define: str, named: str) -> None:
    out = tmp_path / "build"
    assert main(["build", "--conf-dir", str(REPO), "--source", str(REPO / "source"),
                 "--out", str(out), "-D", define]) == 2
    error = capsys.readouterr().err
    assert named in error and "configuration error" in error
    assert not out.exists()  # nothing built, nothing written


def test_known_defines_pass_the_check() -> None:
    check_defines(REPO, ["html_title=Help", "helpsite_min_translated_share=0.5",
                         "myst_heading_anchors=2", "html_theme_options.top_of_page_buttons="])


# -- the command line ---------------------------------------------------------------------


def test_an_unknown_option_shows_the_command_s_usage(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["validate", "--strikt"])
    assert stop.value.code == 2
    error = capsys.readouterr().err
    usage = error.split("\n", 1)[0]
    assert usage.startswith("usage: helpsite validate")
    assert "--strict" in error and "unrecognized arguments: --strikt" in error


def test_tables_are_not_cut_at_80_columns_in_a_pipe() -> None:
    """`helpsite stats | cat` and CI logs: rich falls back to 80 columns without a
    terminal and cuts the page names short."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    result = subprocess.run(
        [PYTHON, "-m", "helpsite", "stats", "--locales-dir", str(REPO / "locales"),
         "--source", str(REPO / "source"), "--locales", "ja-JP"],
        capture_output=True, text=True, timeout=60, check=False, env=env,
        stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout
    pages = {line.split("│")[1].strip() for line in result.stdout.splitlines()
             if line.count("│") > 3}
    assert "account/add-users" in pages


def test_console_width_honours_columns_and_is_wide_without_a_terminal() -> None:
    assert console_width({"COLUMNS": "132"}) == 132
    probe = subprocess.run(
        [PYTHON, "-c", "from helpsite.console import make_console; print(make_console().width)"],
        capture_output=True, text=True, timeout=30, check=True, stdin=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k != "COLUMNS"})
    assert int(probe.stdout) == WIDE


# -- make ---------------------------------------------------------------------------------


def makefile_variables() -> list[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"^([A-Z][A-Z_]*)\s*\?=", text, flags=re.MULTILINE)))


def test_make_help_lists_every_variable_with_its_meaning() -> None:
    output = run_make("-s", "help")
    listed = dict(re.findall(r"^  ([A-Z][A-Z_]*)\s{2,}(\S.*)$", output, flags=re.MULTILINE))
    wanted = makefile_variables()
    assert len(wanted) >= 15  # LOCALES, SOURCE, BUILD, JOBS, PORT, BENCH_ARGS, …
    assert [name for name in wanted if name not in listed] == []
    assert all(len(listed[name].split()) >= 3 for name in wanted)


def test_make_html_echoes_one_command_line() -> None:
    lines = run_make("-n", "html", "LOCALES=nl-NL", "JOBS=2").splitlines()
    build = [line for line in lines if " build " in line and "helpsite" in line]
    assert len(build) == 1
    assert "--locales" in build[0] and "--parallel 2" in build[0]
    assert "--out" in build[0] and not build[0].rstrip().endswith("\\")  # not continued


def test_installing_chromium_waits_for_the_dpkg_lock(tmp_path: Path) -> None:
    output = run_make("-n", "test", f"CHROMIUM={tmp_path / 'no-chromium'}")
    # the install branch of the chromium recipe (the others only print advice)
    start = output.index('if [ "$(id -u)" = 0 ]; then')
    recipe = output[start:output.index("else", start)]
    calls = re.findall(r"apt-get((?:\s+-o\s+\S+)*)\s+(update|install)", recipe)
    assert {command for _options, command in calls} == {"update", "install"}
    for options, _command in calls:
        assert "DPkg::Lock::Timeout=600" in options.split()


# -- the benchmarks -----------------------------------------------------------------------


def test_quick_build_benchmark_imports_a_subset_not_the_corpus(tmp_path: Path) -> None:
    from bench import build as bench

    sxs = tmp_path / "sxs"
    for tag, names in (("nl-NL", ["a", "b", "c", "index", "only-nl"]),
                       ("de-DE", ["a", "b", "c", "index"])):
        for name in names:
            (sxs / tag).mkdir(parents=True, exist_ok=True)
            (sxs / tag / f"{name}.md").write_text(f"# {name}\n", encoding="utf-8")
        (sxs / tag / "media").mkdir()
        (sxs / tag / "media" / "shot.png").write_bytes(b"png")
    subset = bench.sxs_subset(sxs, tmp_path / "subset", 2)
    for tag in bench.CORPUS_LOCALES:
        # the home page, which every benchmark site has, and the first two articles
        assert sorted(p.name for p in (subset / tag).glob("*.md")) == [
            "a.md", "b.md", "index.md"]
        assert (subset / tag / "media" / "shot.png").read_bytes() == b"png"


def test_validate_benchmark_reports_a_missed_goal_and_fails_only_when_asked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import goals
    from bench import validate as bench

    locale = tmp_path / "corpus" / "xx-yy"
    locale.mkdir(parents=True)
    for article in (REPO / "source" / "account").glob("*.md"):
        (locale / article.name).write_bytes(article.read_bytes())
    monkeypatch.setattr(goals, "VALIDATE_CPU_SECONDS", 0.0)  # no run can meet it
    corpus = str(tmp_path / "corpus")
    assert bench.main([corpus, "--runs", "1"]) == 0
    assert bench.main([corpus, "--runs", "1", "--fail-on-goal"]) == 1


# -- docs/configuration.md ----------------------------------------------------------------


def documented_names() -> set[str]:
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    return set(re.findall(r"`([a-z][a-z0-9_]*)`", text))


def test_configuration_page_lists_every_helpsite_conf_value() -> None:
    from helpsite.sitebuild.defines import known_names

    names = known_names(REPO)
    assert names is not None
    registered = {name for name in names if name.startswith("helpsite_")}
    assert {"helpsite_locales", "helpsite_status_page"} <= registered
    assert sorted(registered - documented_names()) == []


def test_configuration_page_lists_every_pyproject_setting() -> None:
    import dataclasses

    from helpsite.catalogs.settings import CatalogSettings
    from helpsite.config import ProjectConfig
    from helpsite.linkcheck.settings import LinkcheckSettings

    settings = {f.name for f in dataclasses.fields(ProjectConfig)} - {"extra", "root"}
    for table in (CatalogSettings, LinkcheckSettings):
        settings |= {f.name for f in dataclasses.fields(table)}
    assert sorted(settings - documented_names()) == []
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert "docs/configuration.md" in pyproject  # the page its comment points to exists
