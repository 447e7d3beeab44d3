"""Translated pages built the fast way (helpsite's reused parser, messages translated
before Sphinx's Locale) against the same pages built the plain way
(``helpsite_fast_build=False``: MyST's parser per document, Sphinx's Locale): same text,
same ids, same links, same warnings — and doctrees without throw-away documents."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sphinx
from bs4 import BeautifulSoup
from docutils import nodes
from helpers.site import BUILDS_AT_ONCE, write_files
from helpsite.sphinx.mdparser import ReusableRenderer, cached_parser
from myst_parser.config.main import MdParserConfig
from myst_parser.mdit_to_docutils.base import make_document
from sphinx.application import Sphinx

pytestmark = pytest.mark.compat  # make test-compat: fast path = plain Sphinx

CONF = '''
import json
from pathlib import Path

project = "Fast"
extensions = ["helpsite.sphinx"]
helpsite_source_locale = "en-US"
helpsite_locales = ["nl-NL"]
helpsite_base_url = "https://help.example.test/"

# Which pages Sphinx's Locale transform ran on (the test of skipping it).
_locale_ran = {}


def _note_transforms(app, doctree):
    applied = [t[1].__name__ for t in doctree.transformer.applied]
    _locale_ran[app.env.current_document.docname] = "Locale" in applied


def _write_notes(app, exception):
    Path(app.outdir, "locale-ran.json").write_text(json.dumps(_locale_ran, sort_keys=True))


def setup(app):
    app.connect("doctree-read", _note_transforms)
    app.connect("build-finished", _write_notes)
'''

GUIDE = """\
---
title: Manage your cards
description: Add, change and remove payment cards.
---
# <a name="manage-your-cards"></a>Manage your cards

Open the **Billing** page of the [portal](https://portal.example.test/) and sign in.

## Add a card

See [the section below](#remove-a-card) and [the other guide](other.md) first.[^fee]

1. Select *Add card*.
2. Enter the number in `Card number`.

| Setting | Value |
|---|---|
| Currency | Euro |

```{note}
Cards expire after five years.
```

![A card form](media/card.png)

Keep the receipt.<br>Second line.

A sentence the translator turns into a list.

A sentence whose link the translator changes: [guide](other.md).

Unsafe in the translation only.

Underlined in the translation only.

## Remove a card

Select **Remove**.

[^fee]: A fee may apply.
"""

OTHER = """\
---
title: Other guide
---
# Other guide

Nothing to translate here.
"""

INDEX = """\
---
title: Fast Help
---
# Fast Help

Welcome.
"""

HEADING = """\
---
title: Headings
---
# Headings

## A heading the translator turns into a list

Plain text.
"""

OTHER_PO = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Other guide"
msgstr "Andere handleiding"

msgid "Nothing to translate here."
msgstr ""
'''

HEADING_PO = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Headings"
msgstr "Koppen"

msgid "A heading the translator turns into a list"
msgstr "1. Een kop die een lijst werd"

msgid "Plain text."
msgstr "Gewone tekst."
'''

PO = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"X-Meta-ms.translationtype: HT\n"

msgid "Manage your cards"
msgstr "Uw kaarten beheren"

msgid "Add, change and remove payment cards."
msgstr "Betaalkaarten toevoegen, wijzigen en verwijderen."

msgid "Open the **Billing** page of the [portal](https://portal.example.test/) and sign in."
msgstr "Open de pagina **Facturering** van de [portal](https://portal.example.test/) en meld u aan."

msgid "Add a card"
msgstr "Een kaart toevoegen"

msgid "See [the section below](#remove-a-card) and [the other guide](other.md) first.[^fee]"
msgstr "Zie eerst [de sectie hieronder](#remove-a-card) en [de andere handleiding](other.md).[^fee]"

msgid "Select *Add card*."
msgstr "Selecteer *Kaart toevoegen*."

msgid "Enter the number in `Card number`."
msgstr "Voer het nummer in bij `Card number`."

msgid "Currency"
msgstr "Valuta"

msgid "Cards expire after five years."
msgstr "Kaarten verlopen na vijf jaar."

msgid "A card form"
msgstr "Een kaartformulier"

msgid "Keep the receipt.<br>Second line."
msgstr "Bewaar het bewijs.<br>Tweede regel."

msgid "A sentence the translator turns into a list."
msgstr "1. Een zin die een lijst werd."

msgid "A sentence whose link the translator changes: [guide](other.md)."
msgstr "Een zin met een andere link: [handleiding](index.md)."

msgid "Unsafe in the translation only."
msgstr "Hier <script>steal()</script> en [klik](javascript:alert(1))."

msgid "Underlined in the translation only."
msgstr "Alleen in de vertaling <u>onderstreept</u>."

msgid "Remove a card"
msgstr "Een kaart verwijderen"

msgid "Select **Remove**."
msgstr "Selecteer **Verwijderen**."

msgid "A fee may apply."
msgstr "Er kunnen kosten gelden."
'''


def write_project(root: Path) -> Path:
    files = {
        "conf.py": CONF,
        "source/index.md": INDEX,
        "source/guide.md": GUIDE,
        "source/other.md": OTHER,
        "source/heading.md": HEADING,
        "locales/nl-NL/LC_MESSAGES/guide.po": PO,
        "locales/nl-NL/LC_MESSAGES/heading.po": HEADING_PO,
        "locales/nl-NL/LC_MESSAGES/other.po": OTHER_PO,
    }
    write_files(root, files)
    (root / "source" / "media").mkdir()
    (root / "source" / "media" / "card.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


def build(root: Path, name: str, language: str, fast: bool) -> tuple[Path, Path, str]:
    out, doctrees = root / name / "html", root / name / "doctrees"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(root),
               "-d", str(doctrees), "-D", f"language={language}",
               "-D", f"helpsite_fast_build={int(fast)}", str(root / "source"), str(out)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out, doctrees, result.stderr


def builds_side_by_side(root: Path, wanted: dict[str, tuple[str, bool]]
                        ) -> dict[str, tuple[Path, Path, str]]:
    """``build`` of each ``name: (language, fast)`` of ``wanted``, ``BUILDS_AT_ONCE`` at a
    time: each is a Sphinx process of its own, writing to a folder of its own."""
    with ThreadPoolExecutor(max_workers=BUILDS_AT_ONCE) as pool:
        started = {name: pool.submit(build, root, name, language, fast)
                   for name, (language, fast) in wanted.items()}
        return {name: future.result() for name, future in started.items()}


def page_facts(path: Path) -> dict[str, object]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    article = soup.find("article")
    assert article is not None, path
    description = soup.find("meta", attrs={"name": "description"})
    return {
        "title": soup.title.get_text() if soup.title else None,
        "description": description["content"] if description else None,
        "text": " ".join(article.get_text(" ").split()),
        "ids": [tag["id"] for tag in article.find_all(id=True)],
        "links": [(a.get("href"), " ".join(a.get_text(" ").split()))
                  for a in article.find_all("a")],
        "langs": [(tag.name, tag["lang"]) for tag in article.find_all(lang=True)],
    }


def warning_lines(stderr: str) -> list[str]:
    return sorted(line for line in stderr.splitlines() if "WARNING" in line)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, str]]:
    root = write_project(tmp_path_factory.mktemp("fast"))
    return builds_side_by_side(root, {"fast": ("nl_NL", True), "plain": ("nl_NL", False),
                                      "source": ("en_US", True)})


@pytest.mark.parametrize("page", ["guide", "other", "index", "heading"])
def test_translated_page_same_as_plain_sphinx(builds: dict, page: str) -> None:
    fast = page_facts(builds["fast"][0] / f"{page}.html")
    plain = page_facts(builds["plain"][0] / f"{page}.html")
    assert fast == plain


def test_translation_really_applied(builds: dict) -> None:
    facts = page_facts(builds["fast"][0] / "guide.html")
    text = facts["text"]
    assert "Open de pagina Facturering van de portal en meld u aan." in text
    assert "Er kunnen kosten gelden." in text and "Kaarten verlopen na vijf jaar." in text
    # a translation that parses to a list is not used: the source sentence stays, marked
    assert "A sentence the translator turns into a list." in text
    assert ("p", "en-US") in facts["langs"]
    # headings keep their English ids; the in-page link still points at one of them
    assert "manage-your-cards" in facts["ids"] and "remove-a-card" in facts["ids"]
    hrefs = [href for href, _text in facts["links"]]
    assert "#remove-a-card" in hrefs and "other.html" in hrefs
    assert not any(href and href.startswith("javascript:") for href in hrefs)
    assert facts["title"].startswith("Uw kaarten beheren")
    assert facts["description"] == "Betaalkaarten toevoegen, wijzigen en verwijderen."
    soup = BeautifulSoup((builds["fast"][0] / "guide.html").read_text("utf-8"), "lxml")
    assert soup.find("img", alt="Een kaartformulier") is not None
    assert soup.find("script", string=lambda s: s and "steal" in s) is None
    assert "Unsafe in the translation only." in text  # ... and the source text shown
    assert "Alleen in de vertaling onderstreept." in text and soup.find("u") is None


def test_same_warnings_as_plain_sphinx(builds: dict) -> None:
    fast, plain = warning_lines(builds["fast"][2]), warning_lines(builds["plain"][2])
    assert fast == plain
    joined = "\n".join(fast)
    if sphinx.version_info >= (9,):  # Sphinx 8 counts a message's links, 9 compares targets
        assert "inconsistent term references" in joined  # the changed link target
    assert "qa.unsafe-html" in joined  # the <script> translation is refused ...
    assert "build.html-dropped" in joined and "(in the nl-NL translation)" in joined


def node_facts(doctree_file: Path) -> list[tuple[object, ...]]:
    """Every node of a pickled doctree: class, source, line, attributes or text."""
    doctree = pickle.loads(doctree_file.read_bytes())
    return [(type(n).__name__, n.source, n.line,
             repr(sorted(n.attributes.items())) if isinstance(n, nodes.Element) else str(n))
            for n in doctree.findall()]


@pytest.mark.parametrize("page", ["guide", "other", "index", "heading"])
def test_translated_doctree_same_as_plain_sphinx(builds: dict, page: str) -> None:
    """Same nodes, ids, names, translated flags and the lines warnings point at."""
    fast = node_facts(builds["fast"][1] / f"{page}.doctree")
    assert fast == node_facts(builds["plain"][1] / f"{page}.doctree")
    assert any("translated" in facts[3] for facts in fast) or page != "guide"


def test_locale_runs_only_where_something_is_left_to_it(builds: dict) -> None:
    """Every message of guide and other is translated, or only to be marked untranslated,
    before Locale; a heading whose translation is no paragraph is Locale's to try again;
    index has no catalog (Locale looks for one and stops)."""
    def ran(name: str) -> dict[str, bool]:
        return json.loads((builds[name][0] / "locale-ran.json").read_text(encoding="utf-8"))

    assert ran("fast") == {"guide": False, "other": False, "index": True, "heading": True}
    assert set(ran("plain").values()) == {True}


def _documents_in(doctree: nodes.document) -> set[int]:
    return {id(node._document) for node in doctree.findall()
            if getattr(node, "_document", None) is not None}


def test_doctrees_keep_no_throw_away_documents(builds: dict) -> None:
    fast_tree = builds["fast"][1] / "guide.doctree"
    plain_tree = builds["plain"][1] / "guide.doctree"
    source_tree = builds["source"][1] / "guide.doctree"
    doctree = pickle.loads(fast_tree.read_bytes())
    assert _documents_in(doctree) <= {id(doctree)}
    # plain Sphinx keeps one document per translated message: the reason for the check
    assert len(_documents_in(pickle.loads(plain_tree.read_bytes()))) > 5
    assert fast_tree.stat().st_size <= 2 * source_tree.stat().st_size
    assert plain_tree.stat().st_size > 2 * source_tree.stat().st_size


def test_reusable_renderer_sets_up_what_myst_sets_up() -> None:
    """Guard against MyST adding per-render state our setup_render would not reset."""
    config = MdParserConfig()
    md = cached_parser(config)
    assert cached_parser(config) is md  # one parser per configuration
    assert cached_parser(config, messages=True) is not md  # messages count no words
    document = make_document()
    options = {**md.options, "document": document}
    theirs = ReusableRenderer(md)
    super(ReusableRenderer, theirs).setup_render(options, {})
    ours = ReusableRenderer(md)
    ours.setup_render(options, {})
    assert set(vars(ours)) == set(vars(theirs))
    assert ours.document is document and ours.current_node is document


REAL_ARTICLES = [
    "commercial-dialogues/aad-security-and-identity",  # lists, bold, links
    "get-a-copy-of-your-bill-azure",  # numbered lists, hard line breaks
    "Alchemy-Insight-Template",  # nested list, a DocFX note, code
    "error-code-0x15",  # a table
    "workflow-email-not-being-sent",  # a <span> inside a sentence
    "azure-subscription-payment-change",  # run-in steps the translation made a list
]


@pytest.mark.corpus
def test_real_articles_same_as_plain_sphinx(corpus: Path, tmp_path: Path) -> None:
    from helpsite.importers.inputs import read_sxs_folder
    from helpsite.importers.pipeline import run_import

    sxs = tmp_path / "sxs"
    for name in REAL_ARTICLES:
        target = sxs / f"{name}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((corpus / "alchemy-sxs" / "nl-NL" / f"{name}.md").read_bytes())
    root = tmp_path / "project"
    report = run_import(read_sxs_folder(sxs), locale="nl-NL", out=root)
    assert not report.stopped
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    (root / "source" / "index.md").write_text(INDEX, encoding="utf-8")
    both = builds_side_by_side(root, {"fast": ("nl_NL", True), "plain": ("nl_NL", False)})
    (fast, fast_trees, fast_err), (plain, plain_trees, plain_err) = both["fast"], both["plain"]
    assert warning_lines(fast_err) == warning_lines(plain_err)
    translated = 0
    for name in REAL_ARTICLES:
        facts = page_facts(fast / f"{name}.html")
        assert facts == page_facts(plain / f"{name}.html"), name
        assert node_facts(fast_trees / f"{name}.doctree") == node_facts(
            plain_trees / f"{name}.doctree"), name
        translated += ("p", "en-US") not in facts["langs"]
    assert translated >= 4  # the pages really are Dutch, not the source shown twice


@pytest.mark.corpus
def test_plain_messages_skip_the_parser_with_the_same_nodes(corpus: Path) -> None:
    """Real Dutch sentences without inline syntax: the paragraph made without the
    parser is node for node (class, source, line, attributes, text) what MyST makes."""
    from helpsite.sphinx.fasti18n import _Translator, batchable, plain_text
    from helpsite.sphinx.mdparser import message_parser

    md = message_parser(MdParserConfig())
    is_plain = plain_text(md)
    texts: list[str] = []
    for article in sorted((corpus / "alchemy" / "nl-NL").glob("*.md"))[:2000]:
        for line in article.read_text(encoding="utf-8").split("---", 2)[-1].splitlines():
            text = line.strip()
            if text and batchable(text) and is_plain(text):
                texts.append(text)
    assert len(texts) > 1500
    document = make_document()
    document["source"] = "article.md"
    translator = _Translator.__new__(_Translator)
    translator.document, translator.source, translator.md = document, "article.md", md
    translator.reporter, translator.hidden = document.reporter, []
    lines = list(range(1, len(texts) + 1))
    fast = translator.publish_all(texts, lines)
    parsed = translator.parse_together(texts, lines)
    assert [paragraph_facts(p) for p in fast] == [paragraph_facts(p) for p in parsed]
    assert not is_plain("Klik op **Opslaan**.") and not is_plain("Zie [de site](x.md).")
    assert not plain_text(message_parser(MdParserConfig(enable_extensions={"linkify"})))(
        "Ga naar www.example.com")


def paragraph_facts(paragraph: nodes.Element | None) -> list[tuple[object, ...]]:
    """Every node of a paragraph: class, source, line, rawsource, attributes or text."""
    assert paragraph is not None
    return [(type(n).__name__, n.source, n.line, n.rawsource if isinstance(
        n, nodes.Element) else None, repr(sorted(n.attributes.items())) if isinstance(
        n, nodes.Element) else str(n)) for n in paragraph.findall()]


@pytest.mark.corpus
@pytest.mark.parametrize("locale", ["nl-NL", "de-DE"])
def test_one_line_messages_together_same_nodes_as_alone(corpus: Path, locale: str,
                                                        tmp_path: Path) -> None:
    """Real translated sentences with links, emphasis, code, HTML: rendered together
    without the block parser, each paragraph is node for node what MyST makes of the
    message alone (as Sphinx's Locale would parse it)."""
    from helpsite.sphinx.fasti18n import _Translator, batchable, plain_text
    from helpsite.sphinx.mdparser import message_parser

    md = message_parser(MdParserConfig(heading_anchors=3))
    is_plain = plain_text(md)
    texts: list[str] = []
    for article in sorted((corpus / "alchemy" / locale).glob("*.md")):
        for line in article.read_text(encoding="utf-8").split("---", 2)[-1].splitlines():
            text = line.strip()
            if text and batchable(text) and not is_plain(text):
                texts.append(text)
    assert len(texts) > 4000
    assert any("](" in t for t in texts) and any("**" in t for t in texts)
    # MyST's Sphinx renderer makes cross-references of links: it needs a build environment.
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser"]\n', encoding="utf-8")
    app = Sphinx(tmp_path, tmp_path, tmp_path / "out", tmp_path / "doctrees", "html",
                 status=None, warning=None)
    app.env.current_document.docname = "article"
    document = make_document()
    document["source"] = "article.md"
    document.settings.env = app.env
    translator = _Translator.__new__(_Translator)
    translator.document, translator.source, translator.md = document, "article.md", md
    translator.reporter, translator.hidden = document.reporter, []
    publish, one_by_one = translator.publish, []
    for start in range(0, len(texts), 40):  # pages of 40 messages
        batch = texts[start:start + 40]
        lines = list(range(start + 1, start + len(batch) + 1))
        translator.publish = lambda text, line: one_by_one.append(text) or publish(text, line)
        together = translator.parse_together(batch, lines)
        translator.publish = publish
        alone = [publish(text, line) for text, line in zip(batch, lines, strict=True)]
        assert [paragraph_facts(p) for p in together] == [paragraph_facts(p) for p in alone]
    assert len(one_by_one) < len(texts) / 10  # really rendered together, mostly

