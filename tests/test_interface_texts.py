"""Every interface text of a page (theme, Sphinx, helpsite) is in the page's language.

One tiny project is built once for every language helpsite supports out of the box; each
page's texts and aria-label/title/alt/placeholder values outside the article are compared
with the English interface texts, taken from the templates and the code
(:func:`helpsite.sphinx.ui.interface_messages`), not from a list kept here.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup, Comment, Tag
from helpsite.catalogs.pofile import read_catalog
from helpsite.catalogs.stats import collect_stats
from helpsite.catalogs.update import update_catalogs
from helpsite.locales import output_folder, sphinx_language
from helpsite.sphinx import ui

# One tag per language helpsite ships interface texts for.
TAGS = {"nl": "nl-NL", "de": "de-DE", "fr": "fr-FR", "es": "es-ES", "pt_BR": "pt-BR",
        "pl": "pl-PL", "ru": "ru-RU", "ko": "ko-KR", "zh_TW": "zh-TW", "th": "th-TH",
        "ja": "ja-JP", "ar": "ar-SA", "he": "he-IL", "it": "it-IT", "zh_CN": "zh-CN"}
ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")
# What the project's own _interface.po says instead of helpsite's Dutch "Terug naar boven".
PROJECT_BACK_TO_TOP = "Snel naar boven"

ARTICLE = """---
title: Reset your password
description: How to reset a forgotten password.
---

# Reset your password

Open the sign-in page.

## If the link expired

Ask for a new link.
"""

INDEX = """---
title: Contoso help
description: Help for Contoso.
---

# Contoso help

Start here.
"""


def write_project(root: Path) -> None:
    tags = ", ".join(f'"{tag}"' for tag in TAGS.values())
    files = {
        "conf.py": (f'project = "Contoso Help"\ncopyright = "2026, Contoso"\n'
                    f'extensions = ["helpsite.sphinx"]\nhtml_theme = "helpsite"\n'
                    f'helpsite_source_locale = "en-US"\nhelpsite_locales = [{tags}]\n'
                    f'helpsite_base_url = "https://help.example.com/"\n'),
        "source/index.md": INDEX,
        "source/account/reset-password.md": ARTICLE,
        "locales/nl-NL/LC_MESSAGES/_interface.po": (
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
            f'"Language: nl_NL\\n"\n\nmsgid "Back to top"\nmsgstr "{PROJECT_BACK_TO_TOP}"\n'),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project built for every language: 16 locales, 37 s of CPU (``time pytest
    tests/test_interface_texts.py -k left_in_english``: 1 min 54 s wall with the two cores
    shared by other work, about 20 s on two free ones)."""
    root = tmp_path_factory.mktemp("interface")
    write_project(root)
    done = subprocess.run(
        [sys.executable, "-m", "helpsite", "build", "--conf-dir", str(root),
         "--source", str(root / "source"), "--out", str(root / "build")],
        capture_output=True, text=True, timeout=170)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return root


def shipped(language: str) -> dict[str, str]:
    """helpsite's interface.po of ``language``: msgid → msgstr."""
    path = ui.SOURCE_DIR / language / "LC_MESSAGES" / f"{ui.SHIPPED_DOMAIN}.po"
    return {entry.msgid: entry.msgstr for entry in polib.pofile(str(path))}


def visible_fragments(msgid: str) -> list[str]:
    """The pieces of a msgid a reader sees: tags split it, entities are read, whitespace
    folded (``<a href="%(path)s">Copyright</a> &#169; %(copyright)s`` → two pieces)."""
    pieces = re.split(r"<[^>]+>", msgid)
    return [" ".join(html.unescape(piece).split()) for piece in pieces if piece.strip()]


def fragment_pattern(fragment: str) -> re.Pattern[str]:
    parts = PLACEHOLDER.split(fragment)
    return re.compile(".+".join(re.escape(part) for part in parts) + r"\Z")


def english_patterns(language: str) -> list[tuple[str, re.Pattern[str]]]:
    """Patterns of the English interface texts whose translation differs from English
    (Dutch "Index" is "Index": seeing it proves nothing)."""
    translated = shipped(language)
    patterns = []
    for message in ui.interface_messages():
        own = set(visible_fragments(translated.get(message.msgid, "")))
        for fragment in visible_fragments(message.msgid):
            if fragment not in own and re.search("[A-Za-z]{2}", PLACEHOLDER.sub("", fragment)):
                patterns.append((message.msgid, fragment_pattern(fragment)))
    return patterns


def in_other_language(node: Tag, page_language: str) -> bool:
    """Inside an element marked with another language (the language menu's names, a
    paragraph left in English with ``lang="en-US"``)."""
    for element in [node, *node.parents]:
        if isinstance(element, Tag) and element.get("lang"):
            return str(element["lang"]).lower() != page_language.lower()
    return False


def interface_texts(page: Path, page_language: str) -> list[str]:
    """Texts and labelling attribute values of the page outside the article's content."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    for element in soup.select("article, script, style, title"):
        element.decompose()
    texts = []
    for string in soup.find_all(string=True):
        text = " ".join(string.split())
        if (text and not isinstance(string, Comment) and string.parent is not None
                and not in_other_language(string.parent, page_language)):
            texts.append(text)
    for element in soup.find_all(True):
        for name in ATTRIBUTES:
            value = element.get(name)
            if value and not in_other_language(element, page_language):
                texts.append(" ".join(str(value).split()))
    return texts


@pytest.mark.slow
@pytest.mark.parametrize("language", sorted(TAGS))
def test_no_interface_text_left_in_english(site: Path, language: str) -> None:
    tag = TAGS[language]
    folder = site / "build" / "html" / output_folder(tag)
    pages = sorted(folder.rglob("*.html"))
    names = {p.relative_to(folder).as_posix() for p in pages}
    # The home page, an article, the search page and the 404 page are looked at.
    assert {"index.html", "account/reset-password.html", "search.html", "404.html"} <= names
    patterns = english_patterns(language)
    assert len(patterns) > 30, "the English interface texts were not found"
    left = set()
    for page in pages:
        for text in interface_texts(page, tag):
            for msgid, pattern in patterns:
                if pattern.match(text):
                    left.add((page.relative_to(folder).as_posix(), text, msgid))
    assert not left, f"English interface texts on {tag} pages: {sorted(left)}"


@pytest.mark.slow
def test_the_project_translation_wins_over_helpsite(site: Path) -> None:
    page = site / "build" / "html" / "nl-nl" / "account" / "reset-password.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    back = soup.select_one(".back-to-top")
    assert back is not None
    assert " ".join(back.get_text().split()) == PROJECT_BACK_TO_TOP
    # Sphinx's own Dutch "Zoeken" and helpsite's "Volgende" are still there.
    assert soup.select_one("link[rel=search]")["title"] == "Zoeken"
    german = site / "build" / "html" / "de-de" / "account" / "reset-password.html"
    soup = BeautifulSoup(german.read_text(encoding="utf-8"), "lxml")
    assert " ".join(soup.select_one(".back-to-top").get_text().split()) == "Nach oben"


@pytest.mark.parametrize("language", ui.SHIPPED_LANGUAGES)
def test_every_interface_text_is_translated_in_each_shipped_language(language: str) -> None:
    path = ui.SOURCE_DIR / language / "LC_MESSAGES" / f"{ui.SHIPPED_DOMAIN}.po"
    catalog = read_catalog(path, str(path))  # helpsite's strict reader: it must parse
    assert catalog.header_value("Language") == language
    assert catalog.header_value("Plural-Forms")
    entries = {entry.msgid: entry for entry in catalog.active}
    for message in ui.interface_messages():
        entry = entries.get(message.msgid)
        assert entry is not None and entry.msgstr.strip(), (language, message.msgid)
        assert not entry.fuzzy, (language, message.msgid)
        assert sorted(PLACEHOLDER.findall(entry.msgstr)) == \
            sorted(PLACEHOLDER.findall(message.msgid)), (language, message.msgid)


def test_interface_messages_come_from_templates_and_code() -> None:
    messages = {m.msgid: m for m in ui.interface_messages()}
    # A {% trans %} block of Furo, a literal aria-label of Furo, helpsite's Python strings
    # (one inside an f-string), Sphinx's permalink title.
    assert "furo/page.html" in messages["Back to top"].locations[-1]
    assert messages["Toggle site navigation sidebar"].locations
    assert any(loc.startswith("notfound.py") for loc in messages["Go to the home page"].locations)
    assert "Link to this heading" in messages
    assert messages["Last updated on %(last_updated)s"].flags == ["python-format"]
    assert messages["Help ID {id}"].flags == ["python-brace-format"]


def test_literal_attributes_go_through_the_translation_function() -> None:
    source = ('<input aria-label="Toggle site navigation sidebar"> <img alt="-"> '
              '<a title="{{ name }}">')
    wrapped = ui.translatable_attributes(source)
    assert "aria-label=\"{{ _('Toggle site navigation sidebar')|e }}\"" in wrapped
    assert 'alt="-"' in wrapped and 'title="{{ name }}"' in wrapped


def test_gettext_writes_the_interface_pot_that_update_po_and_stats_take(tmp_path: Path) -> None:
    write_project(tmp_path)
    (tmp_path / "locales" / "ko-KR" / "LC_MESSAGES").mkdir(parents=True)
    pot_dir = tmp_path / "build" / "gettext"
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "gettext", "-c", str(tmp_path),
         "-D", "gettext_compact=0", str(tmp_path / "source"), str(pot_dir)],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    pot = read_catalog(pot_dir / "_interface.pot", "_interface.pot", template=True)
    assert {e.msgid for e in pot.active} == {m.msgid for m in ui.interface_messages()}
    report = update_catalogs(pot_dir, tmp_path / "locales", ["nl-NL", "ko-KR"],
                             source_dir=tmp_path / "source", base=tmp_path)
    assert not report.findings
    korean = read_catalog(tmp_path / "locales/ko-KR/LC_MESSAGES/_interface.po", "ko")
    assert korean.header_value("Language") == sphinx_language("ko-KR")
    assert len(korean.active) == len(pot.active)
    dutch = read_catalog(tmp_path / "locales/nl-NL/LC_MESSAGES/_interface.po", "nl")
    kept = {e.msgid: e.msgstr for e in dutch.active if e.msgstr}
    assert kept == {"Back to top": PROJECT_BACK_TO_TOP}  # nothing lost in the merge
    stats = collect_stats(tmp_path / "locales", ["nl-NL"], source_dir=tmp_path / "source",
                          pot_dir=pot_dir)
    interface = [p for p in stats.locales[0].pages if p.page == ui.INTERFACE_DOMAIN]
    assert interface and interface[0].translated == 1
    assert interface[0].total == len(pot.active)
