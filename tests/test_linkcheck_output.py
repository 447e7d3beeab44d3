"""`helpsite linkcheck`: finding lines, summary table, JSON, JUnit XML, exit status."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from helpers.linkcheck import LocalServer, html_page, link, write_site
from helpsite.commands import main
from helpsite.linkcheck.progress import Phases, RichPhases, phases_for
from helpsite.linkcheck.runner import check_site
from helpsite.linkcheck.settings import LinkcheckSettings
from rich.console import Console

FINDING_LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning) "
    r"(?P<code>check\.[a-z-]+): (?P<message>.+)$"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: LocalServer) -> Path:
    """A project folder with settings that allow the local server, and a built site."""
    (tmp_path / "pyproject.toml").write_text(
        "[tool.helpsite]\nsuppress = []\n\n[tool.helpsite.linkcheck]\n"
        "allow_private_addresses = true\ntimeout = 3\nconnect_timeout = 1\nretries = 0\n"
        "dns_canary = ''\n", encoding="utf-8")
    server.page("/fine")
    server.page("/gone", status=404)
    server.route("/moved", lambda r: r.respond(301, b"", {"Location": "/fine"}))
    write_site(tmp_path / "build" / "html", {
        "en-us": {"index.html": html_page(link(server.url("/fine")), link("mailto:a@b.c")),
                  "about.html": html_page(link("index.html"))},
        "nl-nl": {"index.html": html_page(link(server.url("/gone")),
                                          link(server.url("/moved")), link("nope.html"))},
    })
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_text_output_exit_status_and_table(project: Path, server: LocalServer,
                                           capsys: pytest.CaptureFixture[str]):
    status = main(["linkcheck", "build/html"])

    out, err = capsys.readouterr()
    assert status == 1
    findings = [FINDING_LINE.match(line) for line in out.splitlines()]
    assert all(findings), out
    by_code = {m["code"]: m for m in findings if m}
    assert set(by_code) == {"check.broken", "check.redirect-permanent",
                            "check.internal-missing", "check.page-missing"}
    assert by_code["check.broken"]["path"] == "build/html/nl-nl/index.html"
    assert by_code["check.broken"]["line"] == "5"
    assert by_code["check.redirect-permanent"]["severity"] == "warning"
    assert server.url("/fine") in by_code["check.redirect-permanent"]["message"]
    assert by_code["check.page-missing"]["path"] == "build/html/nl-nl/about.html"
    assert "Link check per locale" in err
    table_rows = {line.split("│")[1].strip(): line for line in err.splitlines()
                  if line.startswith("│")}
    assert set(table_rows) == {"en-us", "nl-nl", "all"}
    nl_cells = [cell.strip() for cell in table_rows["nl-nl"].split("│")[1:-1]]
    # locale, pages, links, ok, redirected, broken, timeout, unreachable, unverified,
    # skipped, ignored, missing pages
    assert nl_cells == ["nl-nl", "1", "3", "0", "1", "2", "0", "0", "0", "0", "0", "1"]
    assert "mailto: 1" in err
    assert (project / "build" / "linkcheck" / "cache.sqlite").is_file()


def test_json_and_junit(project: Path, capsys: pytest.CaptureFixture[str]):
    status = main(["linkcheck", "build/html", "--format", "json", "--junit",
                   "build/linkcheck/junit.xml", "--no-cache"])

    out, _ = capsys.readouterr()
    assert status == 1
    document = json.loads(out)
    summary = {row["locale"]: row for row in document["summary"]}
    assert summary["en-us"]["ok"] == 2 and summary["en-us"]["skipped"] == 1
    assert summary["nl-nl"]["broken"] == 2 and summary["nl-nl"]["missing_pages"] == 1
    assert document["skipped_schemes"] == {"mailto": 1}
    assert {f["code"] for f in document["findings"]} >= {"check.broken", "check.page-missing"}
    gone = next(r for r in document["results"] if r["url"].endswith("/gone"))
    assert gone["locale"] == "nl-nl" and gone["line"] == 5 and gone["status"] == "broken"
    assert not (project / "build" / "linkcheck" / "cache.sqlite").exists()

    tree = ElementTree.parse(project / "build" / "linkcheck" / "junit.xml")
    suites = {s.get("name"): s for s in tree.getroot().iter("testsuite")}
    assert set(suites) == {"linkcheck.en-us", "linkcheck.nl-nl"}
    assert suites["linkcheck.en-us"].get("failures") == "0"
    assert suites["linkcheck.nl-nl"].get("failures") == "2"  # index.html and about.html
    failure = suites["linkcheck.nl-nl"].find("testcase[@name='index.html']/failure")
    assert failure is not None and "/gone" in failure.text and "nope.html" in failure.text
    assert "/moved" not in failure.text  # a warning, not a failure


def test_strict_and_suppress(project: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["linkcheck", "build/html", "--no-external", "--suppress", "check",
                 "--no-cache"]) == 0
    capsys.readouterr()
    status = main(["linkcheck", "build/html", "--locales", "en-US", "--strict"])
    out, _ = capsys.readouterr()
    assert status == 0 and out == ""  # en-us alone has nothing to report


def test_clean_site_exits_zero(project: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["linkcheck", "build/html", "--locales", "en-US"]) == 0


def test_missing_site_and_bad_settings_are_usage_errors(
        project: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["linkcheck", "no/such/site"]) == 2
    assert "build it first" in capsys.readouterr().err
    (project / "pyproject.toml").write_text(
        "[tool.helpsite]\n[tool.helpsite.linkcheck]\ntimeout = 'soon'\n", encoding="utf-8")
    assert main(["linkcheck", "build/html"]) == 2
    assert "timeout must be a number" in capsys.readouterr().err


def _canonical_site(project: Path) -> None:
    """A one-locale site whose canonical link names the published address."""
    shutil.rmtree(project / "build" / "html")
    write_site(project / "build" / "html", {"nl-nl": {"index.html": html_page(
        '<link rel="canonical" href="https://help.contoso.example/nl-nl/index.html">',
        link("https://help.contoso.example/nl-nl/gone.html"))}})


def _statuses(out: str) -> list[str]:
    return sorted(r["status"] for r in json.loads(out)["results"])


def test_the_site_address_and_source_locale_come_from_conf_py(
        project: Path, capsys: pytest.CaptureFixture[str]):
    _canonical_site(project)
    (project / "conf.py").write_text(
        'helpsite_source_locale = "nl-NL"\n'
        'helpsite_base_url = "https://help.contoso.example"\n', encoding="utf-8")
    assert main(["linkcheck", "build/html", "--no-external", "--format", "json"]) == 1
    # both absolute links are the site's own: checked against the built files
    assert _statuses(capsys.readouterr().out) == ["broken", "ok"]

    assert main(["linkcheck", "build/html", "--no-external", "--format", "json",
                 "--site-url", ""]) == 0  # an explicit address wins: here none
    assert _statuses(capsys.readouterr().out) == ["skipped", "skipped"]


def test_without_conf_py_the_site_has_no_address(
        project: Path, capsys: pytest.CaptureFixture[str]):
    _canonical_site(project)
    assert main(["linkcheck", "build/html", "--no-external", "--format", "json"]) == 0
    assert _statuses(capsys.readouterr().out) == ["skipped", "skipped"]
    assert main(["linkcheck", "build/html", "--site-url", "help.contoso.example"]) == 2
    assert "absolute http(s) URL" in capsys.readouterr().err


def test_progress_is_drawn_only_on_a_terminal(project: Path):
    plain = Console(file=io.StringIO(), force_terminal=False)
    assert type(phases_for(plain)) is Phases
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=100)
    phases = phases_for(terminal)
    assert isinstance(phases, RichPhases)
    with phases:
        check_site(project / "build" / "html", LinkcheckSettings(), external=False,
                   phases=phases)
    drawn = screen.getvalue()
    assert "Reading pages" in drawn and "3/3" in drawn
