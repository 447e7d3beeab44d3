"""Helpers shared by the site-build tests: a small project (English + nl-NL + ar-SA) built
once per test session, and parsing helpers for what the builds wrote.

The project is written by code (not copied from source/), so each test states exactly the
input it relies on.
"""

from __future__ import annotations

import hashlib
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from helpsite.sitebuild.chooser import write_chooser
from helpsite.sitebuild.localeprocess import LocaleResult
from helpsite.sitebuild.parallel import cpu_count, run_builds
from helpsite.sitebuild.plan import BuildPlan, make_plan

BASE_URL = "https://help.example.test/"
# `helpsite build` of this project exits 1 whenever it reads billing/unsafe.md and
# billing/pay.md: their scripts and javascript: links are refused content (error findings,
# docs/security.md), the site written all the same. A build that reads neither exits 0.
REFUSED_CONTENT = 1

CONF = f'''
project = "Fixture Help"
html_title = "Fixture Help"
extensions = ["helpsite.sphinx"]
helpsite_source_locale = "en-US"
helpsite_locales = ["nl-NL", "ar-SA"]
helpsite_base_url = "{BASE_URL}"
helpsite_category_page_size = 2
'''

PAY = """\
---
title: Pay your bill
description: Pay the monthly invoice by card or bank transfer.
author: writer1
ms.author: wone
ms.topic: article
ms.service: fixture-cloud
ms.date: 04/15/2021
ROBOTS: NOINDEX, NOFOLLOW
ms.custom:
- "7001001"
- "7001002"
---
# <a name="pay-your-bill"></a>Pay your bill

This paragraph is translated.

This paragraph stays in English.<br>Second line.

## Add a card

See [the card section](#add-a-card) for details.

The translator puts unsafe things here.

Select the button.
"""

UNSAFE = """\
---
title: Unsafe article
description: Raw HTML that must never reach a page.
ms.date: 06/01/2024
---
# Unsafe article

Before <script>alert("source")</script> after.

An image <img src="pic.png" onerror="alert(1)"> here.

A [bad link](javascript:alert(1)) here.
"""

SIGN_IN = """\
---
title: Sign in
description: Sign in with your work account.
ms.date: 01/02/2024
---
# <a name="sign-in"></a>Sign in

Go to the portal and sign in.
"""

TOP = """\
---
title: Top level article
description: An article that is in no folder.
---
# Top level article

It belongs to the default category.
"""

INDEX = """\
---
title: Fixture Help
description: Help for the fixture product.
---
# Fixture Help

Welcome.
"""

BILLING_INDEX = """\
---
title: Billing
description: Paying for the fixture product.
---
# Billing

```{toctree}
:maxdepth: 1

pay
unsafe
```
"""


def _more(title: str) -> str:
    return f"---\ntitle: {title}\n---\n# {title}\n\nText of {title.lower()}.\n"


PO_HEADER = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {language}\\n"
"X-Meta-ms.translationtype: {kind}\\n"
"X-Meta-ms.lasthandoff: 05/01/2021\\n"
"X-Source-Hash: {source_hash}\\n"

"""

# nl-NL was completed for the source as it is; ar-SA for an older version of it (stale).
PAY_SOURCE_HASH = hashlib.sha1(textwrap.dedent(PAY).encode("utf-8")).hexdigest()
PAY_NL = PO_HEADER.format(language="nl_NL", kind="HT", source_hash=PAY_SOURCE_HASH) + """\
msgid "Pay your bill"
msgstr "Uw rekening betalen"

msgid "Pay the monthly invoice by card or bank transfer."
msgstr "Betaal de maandfactuur met een kaart of per overschrijving."

msgid "This paragraph is translated."
msgstr "Deze alinea is vertaald."

msgid "Add a card"
msgstr "Een kaart toevoegen"

msgid "See [the card section](#add-a-card) for details."
msgstr "Zie [het kaartgedeelte](#add-a-card) voor details."

msgid "The translator puts unsafe things here."
msgstr ""
"Hier <script>steal()</script> en <img src=x onerror=alert(2)> en "
"[klik](javascript:alert(3))."

msgid "Select the button."
msgstr "Selecteer de <u>knop</u>."
"""

PAY_AR = PO_HEADER.format(language="ar_SA", kind="MT", source_hash="0" * 40) + """\
msgid "Pay your bill"
msgstr "ادفع فاتورتك"

msgid "Add a card"
msgstr "أضف بطاقة"
"""

UNSAFE_NL = PO_HEADER.format(language="nl_NL", kind="HT", source_hash="") + """\
msgid "Unsafe article"
msgstr "Onveilig artikel"
"""


def write_files(root: Path, files: dict[str, str], *, dedent: bool = True) -> None:
    """Each ``name: text`` of ``files`` written below ``root`` (folders made as needed)."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if dedent else text, encoding="utf-8")


def write_project(root: Path) -> Path:
    files = {
        "conf.py": CONF,
        "source/index.md": INDEX,
        "source/top.md": TOP,
        "source/billing/index.md": BILLING_INDEX,
        "source/billing/pay.md": PAY,
        "source/billing/unsafe.md": UNSAFE,
        "source/account/sign-in.md": SIGN_IN,
        "source/account/profile.md": _more("Edit your profile"),
        "source/account/close.md": _more("Close your account"),
        "locales/nl-NL/LC_MESSAGES/billing/pay.po": PAY_NL,
        "locales/nl-NL/LC_MESSAGES/billing/unsafe.po": UNSAFE_NL,
        "locales/ar-SA/LC_MESSAGES/billing/pay.po": PAY_AR,
    }
    write_files(root, files)
    return root


@dataclass
class BuiltSite:
    root: Path
    plan: BuildPlan
    results: dict[str, LocaleResult] = field(default_factory=dict)

    @property
    def html(self) -> Path:
        return self.plan.html_root

    def page(self, tag: str, pagename: str) -> BeautifulSoup:
        path = self.html / tag.lower() / f"{pagename}.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")

    def problems(self, tag: str) -> list[str]:
        return self.results[tag].problems


# Locale builds a shared test site runs side by side: each is a process of its own, so two
# keep both cores of the test machine busy; more would only wait for a core.
BUILDS_AT_ONCE = 2
# Shared sites are built as a reproducible release build is (the year in the copyright
# line from this date): test_build_orchestration compares the sample site byte for byte
# with a build of its own instead of making two.
SOURCE_DATE_EPOCH = "1700000000"


def build_locales(plan: BuildPlan) -> dict[str, LocaleResult]:
    """Every locale of ``plan`` built, ``BUILDS_AT_ONCE`` at a time, with
    ``SOURCE_DATE_EPOCH``, each checked to have succeeded. Side by side gives the same
    bytes as one after another
    (test_build_orchestration.py::test_two_builds_of_the_same_inputs_are_byte_identical)."""
    plan.parallel = max(1, min(BUILDS_AT_ONCE, cpu_count()))
    with mock.patch.dict(os.environ, {"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}):
        results = {result.tag: result for result in run_builds(plan)}
    for result in results.values():
        assert result.ok, result.output
    return results


_BUILT: dict[str, BuiltSite] = {}


def build_fixture_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The fixture project, built once per session (each locale in its own process) and
    shared by every module that reads it: tests read the site, none changes it."""
    if "fixture" not in _BUILT:
        root = write_project(tmp_path_factory.mktemp("site"))
        plan = make_plan(root, root / "source", root / "build")
        site = BuiltSite(root, plan, build_locales(plan))
        write_chooser(plan.html_root, plan.configured, plan.project)
        _BUILT["fixture"] = site
    return _BUILT["fixture"]


def text_of(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


def meta(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"name": name})
    return tag["content"] if tag else None
