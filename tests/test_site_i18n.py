"""Catalogs in and out of the build: the gettext builder's messages for the front matter,
incremental rebuilds when one catalog changes, and bad input as build warnings."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from helpers.site import write_files, write_project
from helpsite.sitebuild.localeprocess import sphinx_command
from helpsite.sitebuild.plan import make_plan

CONF = '''
project = "Mini"
extensions = ["helpsite.sphinx"]
helpsite_source_locale = "en-US"
helpsite_locales = ["nl-NL"]
'''

ARTICLE = """\
---
title: Reset your password
description: Choose a new password when you forgot the old one.
---
# <a name="reset-your-password"></a>Reset your password

Open the sign-in page.
"""

BROKEN = """\
---
title: &t Broken front matter
author: *t
---
# Broken

Body.
"""

PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Reset your password"
msgstr "{title}"

msgid "Open the sign-in page."
msgstr "Open de aanmeldpagina."
"""


def sphinx(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sphinx", *args], capture_output=True,
                          text=True, check=False)


@pytest.mark.slow
def test_gettext_builder_writes_front_matter_messages(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    out = tmp_path / "pot"
    result = sphinx(["-q", "-b", "gettext", "-c", str(root), str(root / "source"), str(out)])
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    pot = polib.pofile(str(out / "billing" / "pay.pot"))
    title = pot.find("Pay your bill")
    assert title.comment == "front matter: title"
    # the H1 carries the same text: one message, two places; its <a name> is not in it
    assert [(Path(f).name, int(n)) for f, n in title.occurrences] == [("pay.md", 2),
                                                                      ("pay.md", 14)]
    assert not [e for e in pot if "<a name" in e.msgid]
    description = pot.find("Pay the monthly invoice by card or bank transfer.")
    assert description.comment == "front matter: description"
    assert description.occurrences[0][1] == "3"
    assert pot.find("Add a card") is not None
    # one catalog per article (gettext_compact off), and one of the interface texts
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pot")) == [
        "_interface.pot", "account/close.pot", "account/profile.pot", "account/sign-in.pot",
        "billing/index.pot", "billing/pay.pot", "billing/unsafe.pot", "index.pot", "top.pot"]


def mini_project(root: Path, title_nl: str) -> Path:
    files = {
        "conf.py": CONF,
        "source/index.md": "---\ntitle: Mini\n---\n# Mini\n\nWelcome.\n",
        "source/account/reset.md": ARTICLE,
        "source/account/other.md": "---\ntitle: Other\n---\n# Other\n\nText.\n",
        "source/broken.md": BROKEN,
        "locales/nl-NL/LC_MESSAGES/account/reset.po": PO.format(title=title_nl),
    }
    write_files(root, files)
    return root


def build_nl(root: Path) -> subprocess.CompletedProcess[str]:
    plan = make_plan(root, root / "source", root / "build", locales="nl-NL")
    command = [c for c in sphinx_command(plan, plan.builds[0]) if c != "-q"]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def title(root: Path, pagename: str) -> str:
    page = BeautifulSoup((root / "build/html/nl-nl" / f"{pagename}.html").read_text(), "lxml")
    return page.title.string


@pytest.mark.slow
def test_changed_catalog_rereads_only_its_article(tmp_path: Path) -> None:
    root = mini_project(tmp_path, "Uw wachtwoord opnieuw instellen")
    first = build_nl(root)
    assert first.returncode == 0, first.stderr
    assert title(root, "account/reset") == "Uw wachtwoord opnieuw instellen"
    unchanged = build_nl(root)
    assert "0 added, 0 changed, 0 removed" in unchanged.stdout
    po = root / "locales/nl-NL/LC_MESSAGES/account/reset.po"
    po.write_text(PO.format(title="Nieuw wachtwoord kiezen"), encoding="utf-8")
    second = build_nl(root)
    assert "0 added, 1 changed, 0 removed" in second.stdout, second.stdout
    assert title(root, "account/reset") == "Nieuw wachtwoord kiezen"
    # a new catalog for a page that had none is noticed too
    other = root / "locales/nl-NL/LC_MESSAGES/account/other.po"
    other.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                     'msgid "Other"\nmsgstr "Ander"\n', encoding="utf-8")
    third = build_nl(root)
    assert "0 added, 1 changed, 0 removed" in third.stdout, third.stdout
    assert title(root, "account/other") == "Ander"
    # and so is a catalog deleted: the page falls back to the source
    other.unlink()
    fourth = build_nl(root)
    assert "0 added, 1 changed, 0 removed" in fourth.stdout, fourth.stdout
    assert title(root, "account/other") == "Other"
    assert "0 added, 0 changed, 0 removed" in build_nl(root).stdout


@pytest.mark.slow
def test_front_matter_errors_are_warnings_with_file_and_line(tmp_path: Path) -> None:
    root = mini_project(tmp_path, "Titel")
    result = build_nl(root)
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert re.search(r"broken\.md:2: WARNING: yaml\.alias: YAML anchor 't'.* refused",
                     result.stderr)
    # the page is still built, from its body; MyST never loaded the YAML itself
    page = BeautifulSoup((root / "build/html/nl-nl/broken.html").read_text(), "lxml")
    assert page.find("h1").get_text().rstrip("¶") == "Broken"
    assert page.title.string == "Broken"


@pytest.mark.slow
def test_unreadable_catalog_is_a_warning_and_the_page_falls_back(tmp_path: Path) -> None:
    root = mini_project(tmp_path, "Titel")
    po = root / "locales/nl-NL/LC_MESSAGES/account/reset.po"
    po.write_text('msgid ""\nmsgstr ""\n\nmsgid "Reset your password\nmsgstr "x"\n',
                  encoding="utf-8")
    result = build_nl(root)
    assert result.returncode == 0
    assert "reset.po:" in result.stderr and "build.catalog-invalid" in result.stderr
    page = BeautifulSoup((root / "build/html/nl-nl/account/reset.html").read_text(), "lxml")
    assert page.find("div", class_="helpsite-note-fallback") is not None
