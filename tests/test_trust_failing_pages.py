"""One article that cannot be built is one finding, not a failed site (issue 15, part 3).

A small project (the site fixture of helpers.site, three locales) gets one article
that is not UTF-8, one whose directive raises, one with an unclosed code fence and a
catalog that cannot be parsed. It is built once per module through the ``helpsite build``
command in a subprocess, serially and with ``-j 2``; every other page must exist in every
locale, each failure must be one line naming the file and line, the command exits 1 and
prints no traceback. A compiled catalog damaged in the build folder, an article fixed
after a failed build, and ``sphinx-build -b gettext`` over the broken tree are checked on
copies of the project.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.site import CONF, PO_HEADER, write_files, write_project
from helpsite.catalogs.pofile import parse_catalog_bytes
from helpsite.checks.bodyparser import parse_body, unclosed_fences
from helpsite.sitebuild.plan import make_plan

HELPSITE = [sys.executable, "-m", "helpsite"]
LOCALES = ("en-US", "nl-NL", "ar-SA")

# A directive that raises, as a buggy or hostile extension's would.
EXPLODING_CONF = CONF + '''
from docutils.parsers.rst import Directive


class Explode(Directive):
    has_content = True

    def run(self):
        raise RuntimeError("the explode directive always fails")


def setup(app):
    app.add_directive("explode", Explode)
'''

NOT_UTF8 = (b"---\ntitle: Not UTF-8\n---\n# Not UTF-8\n\nFirst line.\n"
            b"Caf\xe9 au lait, saved as Latin-1.\n")  # the bad byte: line 7, column 4

EXPLODES = """\
---
title: Explodes
---
# Explodes

Before the directive.

```{explode}
content
```
"""  # the directive opens on line 8

FENCE = """\
---
title: Unclosed fence
---
# Unclosed fence

Run this:

```bash
echo hello

## Afterwards

This heading and paragraph are swallowed by the fence.
"""  # the fence opens on line 8

PROFILE_NL = PO_HEADER.format(language="nl_NL", kind="HT", source_hash="") + """\
msgid "Edit your profile"
msgstr "Uw profiel bewerken"
"""

# An unterminated string on line 3 of the body: the catalog cannot be parsed.
BROKEN_CATALOG = 'msgid ""\nmsgstr ""\n\nmsgid "Sign in\nmsgstr "Aanmelden"\n'

BAD_PAGES = ("account/not-utf8", "billing/explodes")
GOOD_PAGES = ("index", "top", "billing/index", "billing/pay", "account/sign-in",
              "account/profile", "account/close", "account/fence")


def write_broken_project(root: Path) -> Path:
    write_project(root)
    write_files(root, {
        "conf.py": EXPLODING_CONF,
        "source/billing/explodes.md": EXPLODES,
        "source/account/fence.md": FENCE,
        "locales/nl-NL/LC_MESSAGES/account/profile.po": PROFILE_NL,
        "locales/nl-NL/LC_MESSAGES/account/sign-in.po": BROKEN_CATALOG,
    })
    (root / "source/account/not-utf8.md").write_bytes(NOT_UTF8)
    return root


@dataclass
class Run:
    returncode: int
    output: str  # stdout and stderr
    stdout: str


def run(*args: str | Path, cwd: Path) -> Run:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    return Run(done.returncode, done.stdout + done.stderr, done.stdout)


def helpsite_build(project: Path, out: Path, *args: str) -> Run:
    return run(*HELPSITE, "build", "--conf-dir", project, "--source", project / "source",
               "--out", out, *args, cwd=project)


def page(out: Path, tag: str, pagename: str) -> BeautifulSoup:
    path = out / "html" / tag.lower() / f"{pagename}.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def category_links(out: Path, tag: str) -> set[str]:
    """The links of the account category's listing pages (parts of two articles)."""
    folder = out / "html" / tag.lower() / "account"
    return {a["href"] for part in sorted(folder.glob("part-*.html"))
            for a in page(out, tag, f"account/{part.stem}").find("article").find_all(
                "a", href=True)}


def lines_with(output: str, code: str) -> list[str]:
    return [line for line in output.splitlines() if f" {code}: " in line]


@dataclass
class Built:
    project: Path
    out: Path
    result: Run
    report: list[dict[str, object]]


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The broken project, every locale built one Sphinx process each, serial reading."""
    project = write_broken_project(tmp_path_factory.mktemp("broken"))
    out, report = project / "out", project / "report.json"
    result = helpsite_build(project, out, "-j", "1", "--report", str(report))
    rows = json.loads(report.read_text(encoding="utf-8"))["locales"]
    return Built(project, out, result, rows)


@pytest.fixture(scope="module")
def broken_parallel(broken: Built) -> Built:
    """The same project, the source locale read by two processes (sphinx-build -j 2)."""
    out = broken.project / "out-parallel"
    result = helpsite_build(broken.project, out, "--locales", "en-US", "-j", "2")
    return Built(broken.project, out, result, [])


def test_the_command_exits_1_after_building_every_locale(broken: Built) -> None:
    assert broken.result.returncode == 1, broken.result.output
    assert "Traceback" not in broken.result.output
    assert [(row["locale"], len(row["page_failures"])) for row in broken.report] == [
        ("en-US", 2), ("nl-NL", 2), ("ar-SA", 2)]
    assert (broken.out / "html" / "index.html").is_file()  # the site root is written too


@pytest.mark.parametrize("tag", LOCALES)
def test_every_other_page_is_built_in_every_locale(broken: Built, tag: str) -> None:
    for pagename in GOOD_PAGES:
        soup = page(broken.out, tag, pagename)
        assert soup.find("h1") is not None, (tag, pagename)
    assert page(broken.out, tag, "account/sign-in").find("h1").get_text().rstrip("¶") \
        == "Sign in"


@pytest.mark.parametrize("tag", LOCALES)
def test_a_failed_page_is_left_out_of_the_site_search_and_sitemap(broken: Built,
                                                                  tag: str) -> None:
    site = broken.out / "html" / tag.lower()
    for pagename in BAD_PAGES:
        assert not (site / f"{pagename}.html").exists()
    sitemap = BeautifulSoup((site / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    locations = [loc.get_text() for loc in sitemap.find_all("loc")]
    assert any(loc.endswith("/account/close.html") for loc in locations)
    assert not [loc for loc in locations if "not-utf8" in loc or "explodes" in loc]
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    data = json.loads(index[index.index("(") + 1:index.rindex(")")])
    assert "account/close" in data["docnames"]
    assert not set(BAD_PAGES) & set(data["docnames"])
    links = category_links(broken.out, tag)
    assert "close.html" in links and "fence.html" in links
    assert not [href for href in links if "not-utf8" in href]


def test_invalid_utf8_is_one_finding_with_line_and_column(broken: Built) -> None:
    found = lines_with(broken.result.output, "file.encoding")
    assert len(found) == len(LOCALES), found  # once per locale build, nothing more
    assert all(re.search(r"source/account/not-utf8\.md:7: ERROR: file\.encoding: byte 0xe9 "
                         r"at column 4 is not UTF-8", line) for line in found), found
    assert "0 pages" not in broken.result.output


def test_a_raising_directive_is_one_finding_at_its_line(broken: Built) -> None:
    found = lines_with(broken.result.output, "build.page-failed")
    assert len(found) == len(LOCALES), found
    assert all(re.search(r"source/billing/explodes\.md:8: ERROR: build\.page-failed: "
                         r"RuntimeError: the explode directive always fails", line)
               for line in found), found


def test_an_unclosed_fence_warns_at_the_line_it_opens(broken: Built) -> None:
    found = lines_with(broken.result.output, "body.unclosed-fence")
    assert found and all(re.search(r"source/account/fence\.md:8: WARNING: "
                                   r"body\.unclosed-fence: ", line) for line in found), found
    # the page is still built: what the fence swallowed is code, not a heading
    soup = page(broken.out, "en-US", "account/fence")
    assert "Afterwards" in soup.find("pre").get_text()
    assert not [h for h in soup.find_all("h2") if "Afterwards" in h.get_text()]


def test_an_unparseable_catalog_falls_back_to_the_source_text(broken: Built) -> None:
    found = lines_with(broken.result.output, "build.catalog-invalid")
    assert any(re.search(r"nl-NL/LC_MESSAGES/account/sign-in\.po:\d+: WARNING: "
                         r"build\.catalog-invalid: ", line) for line in found), found
    soup = page(broken.out, "nl-NL", "account/sign-in")
    assert soup.find("div", class_="helpsite-note-fallback") is not None
    assert page(broken.out, "nl-NL", "account/profile").find("h1").get_text().rstrip(
        "¶") == "Uw profiel bewerken"  # the good catalog beside it is used


def test_parallel_reading_leaves_out_the_same_pages(broken_parallel: Built) -> None:
    result = broken_parallel.result
    assert result.returncode == 1, result.output
    assert "Traceback" not in result.output
    assert len(lines_with(result.output, "file.encoding")) == 1
    assert len(lines_with(result.output, "build.page-failed")) == 1
    for pagename in GOOD_PAGES:
        assert page(broken_parallel.out, "en-US", pagename).find("h1") is not None
    for pagename in BAD_PAGES:
        assert not (broken_parallel.out / "html/en-us" / f"{pagename}.html").exists()


def copy_project(built: Built, target: Path) -> Path:
    for name in ("source", "locales"):
        shutil.copytree(built.project / name, target / name)
    shutil.copyfile(built.project / "conf.py", target / "conf.py")
    return target


def test_the_next_build_reads_the_fixed_article_again(broken: Built, tmp_path: Path) -> None:
    project = copy_project(broken, tmp_path / "project")
    out = tmp_path / "out"
    first = helpsite_build(project, out, "--locales", "en-US")
    assert first.returncode == 1, first.output
    # nothing changed: the failed article is still not up to date, and fails again
    again = helpsite_build(project, out, "--locales", "en-US")
    assert again.returncode == 1 and "up to date" not in again.output, again.output
    assert len(lines_with(again.output, "file.encoding")) == 1
    (project / "source/account/not-utf8.md").write_bytes(NOT_UTF8.replace(b"\xe9", b"e"))
    (project / "source/billing/explodes.md").unlink()
    fixed = helpsite_build(project, out, "--locales", "en-US")
    assert fixed.returncode == 0, fixed.output
    assert page(out, "en-US", "account/not-utf8").find("h1").get_text().rstrip(
        "¶") == "Not UTF-8"
    assert "not-utf8.html" in category_links(out, "en-US")


def test_a_page_written_before_its_article_broke_is_removed(broken: Built,
                                                            tmp_path: Path) -> None:
    project = copy_project(broken, tmp_path / "project")
    (project / "source/billing/explodes.md").unlink()
    # error findings that make a build exit 1 on their own (docs/security.md)
    (project / "source/account/fence.md").unlink()
    (project / "source/billing/unsafe.md").unlink()
    good = NOT_UTF8.replace(b"\xe9", b"e")
    (project / "source/account/not-utf8.md").write_bytes(good)
    out = tmp_path / "out"
    fixed = helpsite_build(project, out, "--locales", "en-US")
    assert fixed.returncode == 0, fixed.output
    assert (out / "html/en-us/account/not-utf8.html").is_file()
    (project / "source/account/not-utf8.md").write_bytes(NOT_UTF8)
    broke = helpsite_build(project, out, "--locales", "en-US")
    assert broke.returncode == 1, broke.output
    assert not (out / "html/en-us/account/not-utf8.html").exists()


def test_a_damaged_compiled_catalog_is_compiled_again(broken: Built, tmp_path: Path) -> None:
    project = copy_project(broken, tmp_path / "project")
    out = tmp_path / "out"
    helpsite_build(project, out, "--locales", "nl-NL")
    build = next(b for b in make_plan(project, project / "source", out,
                                      locales="nl-NL").builds)
    mo = next(build.doctree_dir.rglob("account/profile.mo"))
    good = mo.read_bytes()
    mo.write_bytes(b"\x00" * len(good))  # same size: the catalog index takes it as current
    (project / "source/account/profile.md").touch()  # read again, so the .mo is loaded
    second = helpsite_build(project, out, "--locales", "nl-NL")
    assert "Traceback" not in second.output
    found = lines_with(second.output, "build.catalog-invalid")
    assert any("profile.mo cannot be loaded" in line and "compiled again" in line
               for line in found), found
    assert not [line for line in lines_with(second.output, "build.page-failed")
                if "profile" in line]
    assert mo.read_bytes() == good
    assert page(out, "nl-NL", "account/profile").find("h1").get_text().rstrip(
        "¶") == "Uw profiel bewerken"


def test_gettext_over_a_broken_tree_reports_and_extracts_the_rest(broken: Built,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "gettext"
    result = run(sys.executable, "-m", "sphinx", "-b", "gettext", "-c", broken.project,
                 "-D", "gettext_compact=0", broken.project / "source", out, cwd=tmp_path)
    assert result.returncode == 1, result.output
    assert "Traceback" not in result.output
    assert re.search(r"not-utf8\.md:7: ERROR: file\.encoding: ", result.output)
    assert re.search(r"explodes\.md:8: ERROR: build\.page-failed: ", result.output)
    pot = parse_catalog_bytes((out / "account/close.pot").read_bytes(), "close.pot",
                              template=True)
    assert "Close your account" in {entry.msgid for entry in pot.active}
    assert not (out / "account/not-utf8.pot").exists()


@pytest.mark.parametrize(("body", "lines"), [
    ("```\ncode\n```\n", []),
    ("```\ncode\n", [0]),
    ("Text\n\n~~~~ python\ncode\n~~~\n", [2]),  # a shorter closing fence does not close
    ("````{note}\n```\nnested\n```\n````\n", []),
    ("```{note}\nText\n\n```python\ncode\n```\n", [3]),  # the note closed early; then open
    ("- item\n\n  ```\n  code\n  ```\n", []),
    ("> ```\n> quoted\n", [0]),
    ("```", [0]),
])
def test_unclosed_fences_are_found_where_they_open(body: str, lines: list[int]) -> None:
    assert [located.line for located in unclosed_fences(parse_body(body))] == lines


def test_validate_reports_the_unclosed_fence(tmp_path: Path) -> None:
    write_files(tmp_path, {"fence.md": FENCE})
    result = run(*HELPSITE, "validate", "--format", "json", tmp_path / "fence.md",
                 cwd=tmp_path)
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    fences = [f for f in findings if f["code"] == "body.unclosed-fence"]
    assert [(f["line"], f["severity"]) for f in fences] == [(8, "error")]
