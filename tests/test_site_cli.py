"""``helpsite build`` and ``helpsite serve``: what gets built where, subsets, another source
tree, the root chooser, and a preview that listens on loopback only."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from helpers.site import write_project
from helpsite.commands import main
from helpsite.config import ConfigError
from helpsite.sitebuild.chooser import chooser_html
from helpsite.sitebuild.localeprocess import sphinx_command
from helpsite.sitebuild.plan import make_plan
from helpsite.sitebuild.serve import make_server


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path)


def test_plan_builds_every_configured_locale_into_lowercase_folders(project: Path) -> None:
    plan = make_plan(project, project / "source", project / "build")
    assert [b.tag for b in plan.builds] == ["en-US", "nl-NL", "ar-SA"]
    assert [b.html_dir.relative_to(project).as_posix() for b in plan.builds] == [
        "build/html/en-us", "build/html/nl-nl", "build/html/ar-sa"]
    assert [b.doctree_dir.relative_to(project).as_posix() for b in plan.builds] == [
        "build/doctrees/en-us", "build/doctrees/nl-nl", "build/doctrees/ar-sa"]
    command = sphinx_command(plan, plan.builds[2])
    assert command[command.index("-D") + 1] == "language=ar_SA"
    assert "helpsite_locale=ar-SA" in command


def test_plan_subset_and_unknown_locales(project: Path) -> None:
    plan = make_plan(project, project / "source", project / "build", locales="nl-nl ar_SA")
    assert [b.tag for b in plan.builds] == ["nl-NL", "ar-SA"]
    with pytest.raises(ConfigError, match="de-DE not configured"):
        make_plan(project, project / "source", project / "build", locales="de-DE")
    with pytest.raises(ConfigError, match="not a locale tag"):
        make_plan(project, project / "source", project / "build", locales="dutch!")
    with pytest.raises(ConfigError, match="does not exist"):
        make_plan(project, project / "nowhere", project / "build")


def test_plan_for_another_source_tree(project: Path) -> None:
    plan = make_plan(project, project / "source", project / "other", source_locale="nl-NL")
    assert [b.tag for b in plan.builds] == ["nl-NL"]
    assert plan.configured == ["nl-NL"]
    assert "helpsite_source_locale=nl-NL" in plan.defines
    assert "helpsite_locales=" in plan.defines
    assert "helpsite_base_url=" in plan.defines  # conf.py's site URL is not this site's


@pytest.mark.slow
def test_build_command_builds_a_subset_and_the_chooser(project: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["build", "--conf-dir", str(project), "--source", str(project / "source"),
                   "--out", str(project / "build"), "--locales", "nl-NL"])
    # Exit 1: the fixture's billing/unsafe.md holds scripts the build removed (refused
    # content, docs/security.md); the site is written all the same.
    assert status == 1
    html = project / "build" / "html"
    assert sorted(p.name for p in html.iterdir()) == ["index.html", "nl-nl", "sitemap.xml"]
    index = BeautifulSoup((html / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    assert [loc.text for loc in index.find_all("loc")] == [
        "https://help.example.test/nl-nl/sitemap.xml"]
    assert (html / "nl-nl" / "billing" / "pay.html").is_file()
    chooser = BeautifulSoup((html / "index.html").read_text(encoding="utf-8"), "lxml")
    assert [a["hreflang"] for a in chooser.find("main").find_all("a")] == ["nl-NL"]
    err = capsys.readouterr().err
    assert "nl-NL" in err
    refused = [line for line in err.splitlines()
               if "build.html-unsafe" in line or "build.url-unsafe" in line]
    assert refused and all("billing/" in line for line in refused)
    assert "error finding(s)" in err


def test_a_bad_config_value_says_what_to_write_not_where_sphinx_saved_a_traceback(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["build", "--conf-dir", str(project), "--source", str(project / "source"),
                   "--out", str(project / "build"), "--locales", "nl-NL",
                   "-D", "helpsite_search=bogus"])
    assert status == 1
    err = capsys.readouterr().err
    assert "Configuration error: helpsite_search = 'bogus': write 'pagefind' or 'sphinx'." \
        in err.splitlines()
    assert "sphinx-err-" not in err and "report this error to the developers" not in err


def test_a_search_index_that_cannot_be_made_is_a_finding_and_the_site_is_built(
        project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        ) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # a Pagefind that fails
    main(["build", "--conf-dir", str(project), "--source", str(project / "source"),
          "--out", str(project / "build"), "--locales", "nl-NL"])
    err = capsys.readouterr().err
    findings = [line for line in err.splitlines() if "build.search-index:" in line]
    assert findings and "Pagefind could not index" in findings[0]
    assert (project / "build" / "html" / "nl-nl" / "billing" / "pay.html").is_file()
    assert not (project / "build" / "html" / "nl-nl" / "pagefind").exists()


@pytest.mark.slow
def test_another_source_tree_builds_in_its_own_language(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project")
    dutch = tmp_path / "dutch"
    (dutch / "facturen").mkdir(parents=True)
    (dutch / "index.md").write_text("---\ntitle: Hulp\n---\n# Hulp\n\nWelkom.\n",
                                    encoding="utf-8")
    (dutch / "facturen" / "betalen.md").write_text(
        "---\ntitle: Betalen\nms.date: 04/15/2021\n---\n"
        "# <a name=\"pay\"></a>Betalen\n\nTekst.\n", encoding="utf-8")
    status = main(["build", "--conf-dir", str(project), "--source", str(dutch),
                   "--source-locale", "nl-NL", "--out", str(tmp_path / "out")])
    assert status == 0
    page = BeautifulSoup((tmp_path / "out/html/nl-nl/facturen/betalen.html").read_text(),
                         "lxml")
    assert page.html["lang"] == "nl-NL"
    assert page.find("section")["id"] == "pay"
    assert page.find("time").get_text() == "15 april 2021"
    assert page.find("nav", class_="helpsite-languages") is None  # one locale: no switcher
    assert page.find("link", hreflang=True) is None
    assert not (tmp_path / "out/html/nl-nl/sitemap.xml").exists()  # no base URL given


def test_chooser_picks_exact_tag_then_language_then_source() -> None:
    page = BeautifulSoup(chooser_html(["en-US", "nl-NL", "ar-SA"], "Help <Site>"), "lxml")
    assert page.title.string == "Help <Site>"
    script = page.find("script").string
    assert '"nl-nl": "nl-nl/index.html"' in script
    assert 'var fallback = "en-us"' in script
    # exact match first, then the first locale with the same language
    assert script.index("sites[tag]") < script.index('split("-")[0]')
    assert [a.get_text() for a in page.find_all("a")] == ["English", "Nederlands", "العربية"]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "en-us").mkdir()
    (tmp_path / "index.html").write_text("<p>chooser</p>", encoding="utf-8")
    server = make_server(tmp_path, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()


def test_serve_previews_the_site_on_loopback(served: str) -> None:
    response = httpx.get(f"{served}/index.html", timeout=5)
    assert response.status_code == 200
    assert response.text == "<p>chooser</p>"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "example.com"])
def test_serve_refuses_other_addresses(tmp_path: Path, host: str) -> None:
    with pytest.raises(ConfigError, match="this machine only"):
        make_server(tmp_path, host, 0)
