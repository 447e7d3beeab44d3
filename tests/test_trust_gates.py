"""The trust boundary of a build (docs/security.md): no file from outside the source tree
reaches the site by any route, a translation names only its source's files, the build
fetches nothing, and no script URL becomes a link — each refusal one finding at its line.

One attack project is built once for the module (English and nl-NL, each locale in its own
Sphinx process, as ``helpsite build`` runs them); every test reads what it wrote.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.linkcheck import LocalServer
from helpers.site import build_locales, write_files
from helpers.trust import files_holding, script_urls
from helpsite.sitebuild.localeprocess import LocaleResult
from helpsite.sitebuild.plan import BuildPlan, make_plan
from helpsite.sphinx.pathgate import allowed_roots, is_inside

CANARY = "CANARY-7f3a9e-OUTSIDE-THE-TREE"
ALLOWED_TEXT = "ALLOWED-FOLDER-CONTENT-5521"
FETCHED_TEXT = "FETCHED-BY-ALLOWED-PREFIX-9931"
FINDING = re.compile(r"^(?P<path>.+?):(?P<line>\d+)?:? WARNING: (?P<code>[a-z]+\.[a-z-]+): "
                     r"(?P<message>.*)$")
# A PNG header, then the canary: copying this file anywhere would publish the canary.
PNG = b"\x89PNG\r\n\x1a\n" + CANARY.encode()

CONF = """\
project = "Gate Help"
extensions = ["helpsite.sphinx"]
helpsite_source_locale = "en-US"
helpsite_locales = ["nl-NL"]
helpsite_base_url = "https://help.example.test/"
helpsite_allowed_paths = ["../allowed"]
helpsite_raw_url_prefixes = ["{allowed_url}"]
"""

INDEX = """\
---
title: Gate help
---
# Gate help

```{toctree}
routes
translated
Evil one <javascript://%0aalert(1)>
Evil two <JaVaScRiPt://x%0Aalert(2)>
Evil three <vbscript://x%0Amsgbox(3)>
```
"""

# Each route names its own outside file, so each finding maps to one line.
ROUTES = """\
---
title: Every route
---
# Every route

![image](../../outside/image.png)

```{figure} ../../outside/figure.png
A figure.
```

```{image} ../../outside/myst-image.png
```

{download}`a download <../../outside/download.txt>`

[a link to a file](../../outside/link.txt)

```{include} ../../outside/include.md
```

```{literalinclude} ../../outside/literal.txt
```

```{literalinclude} ../../source/media/inside.txt
:diff: ../../outside/diff.txt
```

```{raw} html
:file: ../../outside/raw.html
```

```{csv-table}
:file: ../../outside/table.csv
```

```{eval-rst}
.. include:: ../../outside/rst-include.rst

.. image:: ../../outside/rst-image.png
```

![through a symlink](media/escape.png)

![a symlinked folder](linked/image.png)

```{raw} html
:url: {refused_url}
```

```{csv-table}
:url: {refused_csv_url}
```

```{raw} html
:url: {allowed_url}page.html
```

![from the allowed folder](../../allowed/ok.png)

{download}`an allowed download <../../allowed/ok.txt>`

![inside the tree](media/shot.png)

{download}`an inside download <media/inside.txt>`
"""

TRANSLATED = """\
---
title: Translated page
---
# Translated page

A picture: ![shot](media/shot.png)

A file: {download}`the file <media/inside.txt>`

Plain words to translate.
"""

TRANSLATED_NL = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: nl_NL\n"

msgid "Translated page"
msgstr "Vertaalde pagina"

msgid "A picture: ![shot](media/shot.png)"
msgstr "Een plaatje: ![shot](media/shot.nl-NL.png)"

msgid "A file: {download}`the file <media/inside.txt>`"
msgstr "Een bestand: {download}`het bestand <media/draft.txt>`"

msgid "Plain words to translate."
msgstr ""
"Gewone woorden ![x](../../../../../../../../outside/po-image.png) "
"{download}`y <../../outside/po-download.txt>` ![z](media/draft.png)"
"""

OUTSIDE_FILES = ("image.png", "figure.png", "myst-image.png", "rst-image.png", "po-image.png",
                 "download.txt", "link.txt", "include.md", "literal.txt", "diff.txt",
                 "raw.html", "table.csv", "rst-include.rst", "po-download.txt")


@dataclass
class GateSite:
    root: Path
    plan: BuildPlan
    server: LocalServer
    results: dict[str, LocaleResult] = field(default_factory=dict)

    @property
    def html(self) -> Path:
        return self.plan.html_root

    def findings(self, tag: str, code: str) -> list[dict[str, str]]:
        found = []
        for line in self.results[tag].output.splitlines():
            match = FINDING.match(line.strip())
            if match and match["code"] == code:
                found.append(match.groupdict())
        return found

    def page(self, tag: str, name: str) -> BeautifulSoup:
        text = (self.html / tag.lower() / f"{name}.html").read_text(encoding="utf-8")
        return BeautifulSoup(text, "lxml")


def _write_outside(root: Path) -> None:
    outside = root / "outside"
    outside.mkdir()
    for name in OUTSIDE_FILES:
        data = PNG if name.endswith(".png") else f"{CANARY}\n".encode()
        (outside / name).write_bytes(data)
    (outside / "folder").mkdir()
    (outside / "folder" / "image.png").write_bytes(PNG)
    allowed = root / "allowed"
    allowed.mkdir()
    (allowed / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n" + ALLOWED_TEXT.encode())
    (allowed / "ok.txt").write_text(ALLOWED_TEXT, encoding="utf-8")


def _write_project(root: Path, server: LocalServer) -> Path:
    _write_outside(root)
    project = root / "proj"
    allowed_url = server.url("/allowed/")
    routes = (ROUTES.replace("{refused_url}", server.url("/refused-raw"))
              .replace("{refused_csv_url}", server.url("/refused-csv"))
              .replace("{allowed_url}", allowed_url))
    write_files(project, {
        "conf.py": CONF.replace("{allowed_url}", allowed_url),
        "source/index.md": INDEX,
        "source/routes.md": routes,
        "source/translated.md": TRANSLATED,
        "source/media/inside.txt": "inside the tree\n",
        "source/media/draft.txt": "a draft nobody published\n",
        "locales/nl-NL/LC_MESSAGES/translated.po": TRANSLATED_NL,
    }, dedent=False)
    media = project / "source" / "media"
    for name in ("shot.png", "shot.nl-NL.png", "draft.png"):
        (media / name).write_bytes(b"\x89PNG\r\n\x1a\n" + name.encode())
    (media / "escape.png").symlink_to(root / "outside" / "image.png")
    (project / "source" / "linked").symlink_to(root / "outside" / "folder")
    return project


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GateSite]:
    server = LocalServer()
    server.page("/refused-raw", f"<p>{CANARY}</p>")
    server.page("/refused-csv", CANARY)
    server.page("/allowed/page.html", f"<p>{FETCHED_TEXT}</p>")
    try:
        root = tmp_path_factory.mktemp("gates")
        project = _write_project(root, server)
        plan = make_plan(project, project / "source", project / "build")
        yield GateSite(project, plan, server, build_locales(plan))
    finally:
        server.stop()


def _line_naming(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_both_locales_built(site: GateSite) -> None:
    for tag, result in site.results.items():
        assert result.ok, (tag, result.output[-2000:])
        assert "Traceback" not in result.output


def test_no_output_file_holds_an_outside_file(site: GateSite) -> None:
    build = site.root / "build"
    assert files_holding(build, CANARY) == []
    copied = {p.name for p in build.rglob("*") if p.is_file()}
    assert copied.isdisjoint({"image.png", "figure.png", "download.txt", "po-download.txt",
                              "po-image.png", "link.txt", "escape.png"})


@pytest.mark.parametrize("tag", ["en-US", "nl-NL"])
@pytest.mark.parametrize("name", [
    "image.png", "figure.png", "myst-image.png", "download.txt", "link.txt", "include.md",
    "literal.txt", "diff.txt", "raw.html", "table.csv", "rst-include.rst", "rst-image.png",
])
def test_each_route_is_one_finding_at_its_line(site: GateSite, tag: str, name: str) -> None:
    routes = site.root / "source" / "routes.md"
    found = [f for f in site.findings(tag, "build.path-outside-tree")
             if f"outside/{name}'" in f["message"] and f["path"].endswith("routes.md")]
    assert len(found) == 1, site.results[tag].output
    assert int(found[0]["line"]) == _line_naming(routes, f"outside/{name}")
    assert "helpsite_allowed_paths" in found[0]["message"]  # says how to fix


def test_symlinks_out_of_the_tree_are_refused(site: GateSite) -> None:
    messages = [f["message"] for f in site.findings("en-US", "build.path-outside-tree")]
    assert any("'media/escape.png'" in m for m in messages)
    assert any("'linked/image.png'" in m for m in messages)


def test_allowed_folder_and_inside_files_are_published(site: GateSite) -> None:
    build = site.html / "en-us"
    published = [p for p in build.rglob("*") if p.is_file()]
    assert any(ALLOWED_TEXT.encode() in p.read_bytes() for p in published if p.suffix == ".png")
    assert any(p.name == "ok.txt" for p in published)
    assert any(p.name == "shot.png" for p in published)
    assert any(p.name == "inside.txt" for p in published)


def test_raw_and_csv_urls_are_not_fetched(site: GateSite) -> None:
    assert site.server.requests_for("/refused-raw") == []
    assert site.server.requests_for("/refused-csv") == []
    refused = site.findings("en-US", "build.raw-url")
    routes = site.root / "source" / "routes.md"
    # At the directive's opening line, the line above its :url: option.
    assert sorted(int(f["line"]) for f in refused) == sorted(
        _line_naming(routes, path) - 1 for path in ("/refused-raw", "/refused-csv"))


def test_a_url_under_an_allowed_prefix_is_fetched(site: GateSite) -> None:
    assert site.server.requests_for("/allowed/page.html")
    assert FETCHED_TEXT in site.page("en-US", "routes").get_text()


@pytest.mark.parametrize("tag", ["en-US", "nl-NL"])
def test_no_script_url_on_any_page(site: GateSite, tag: str) -> None:
    pages = sorted((site.html / tag.lower()).rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        assert script_urls(page.read_text(encoding="utf-8")) == [], page
    entries = site.findings(tag, "build.url-unsafe")
    assert len([f for f in entries if "toctree entry" in f["message"]]) == 3
    assert {int(f["line"]) for f in entries} == {6}  # the toctree's line in index.md


def test_translation_may_use_the_localized_variant(site: GateSite) -> None:
    images = [img["src"] for img in site.page("nl-NL", "translated").find_all("img")]
    assert any(src.endswith("shot.nl-NL.png") for src in images), images


def test_translation_naming_other_files_is_refused(site: GateSite) -> None:
    refused = site.findings("nl-NL", "build.translation-file")
    names = sorted(re.search(r"names '([^']+)'", f["message"])[1] for f in refused)
    assert names == sorted(["media/draft.txt", "media/draft.png",
                            "../../../../../../../../outside/po-image.png",
                            "../../outside/po-download.txt"])
    translated = site.root / "source" / "translated.md"
    assert {int(f["line"]) for f in refused} == {
        _line_naming(translated, "A file:"), _line_naming(translated, "Plain words")}
    nl = site.html / "nl-nl"
    names_published = {p.name for p in nl.rglob("*") if p.is_file()}
    assert "draft.txt" not in names_published and "draft.png" not in names_published
    text = site.page("nl-NL", "translated").get_text()
    assert "het bestand" in text and "Gewone woorden" in text  # the words stay


def test_source_locale_has_no_translation_findings(site: GateSite) -> None:
    assert site.findings("en-US", "build.translation-file") == []


def test_gate_follows_symlinks(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "media").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("x")
    (source / "media" / "ok.txt").write_text("y")
    (source / "media" / "alias.txt").symlink_to(tmp_path / "secret.txt")
    roots = allowed_roots(source, tmp_path, [])
    assert is_inside(source / "media" / "ok.txt", roots)
    assert not is_inside(source / "media" / "alias.txt", roots)
    assert not is_inside(source / ".." / "secret.txt", roots)
    assert is_inside(tmp_path / "secret.txt", allowed_roots(source, tmp_path, ["."]))


def _cli_build(project: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "helpsite", "build", "--conf-dir", str(project),
               "--source", str(project / "source"), "--out", str(project / "build")]
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env,
                          check=False)


def test_helpsite_build_exits_1_when_content_was_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text(CANARY, encoding="utf-8")
    project = tmp_path / "proj"
    article = "---\ntitle: One\n---\n# One\n\nWords.\n"
    write_files(project, {
        "conf.py": 'extensions = ["helpsite.sphinx"]\nhelpsite_locales = []\n',
        "source/index.md": article,
    }, dedent=False)
    clean = _cli_build(project)
    assert clean.returncode == 0, clean.stderr[-2000:]
    (project / "source" / "index.md").write_text(
        article + "\n{download}`x <../../secret.txt>`\n", encoding="utf-8")
    refused = _cli_build(project)
    assert refused.returncode == 1, refused.stderr[-2000:]
    assert "build.path-outside-tree" in refused.stderr
    assert "1 error finding(s)" in refused.stderr
    assert (project / "build" / "html" / "en-us" / "index.html").is_file()  # still written
    assert "Traceback" not in refused.stdout + refused.stderr
