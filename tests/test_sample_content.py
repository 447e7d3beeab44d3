"""The sample help site in source/ and its catalogs in locales/ are what they claim to be.

The sample content is the project's own showcase and the fixture of the build tests, so it
is held to the rules it demonstrates: real front-matter shapes, clean articles, links that
resolve, catalogs whose msgids match a fresh Sphinx extraction and whose translations keep
every link target, code span and role of the source text.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import struct
import subprocess
import sys
import zlib
from collections import Counter
from datetime import datetime
from pathlib import Path

import polib
import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from helpsite.article import Article, read_article
from helpsite.validation import check_article
from markdown_it import MarkdownIt
from markdown_it.token import Token
from myst_parser.slugs import github_slugify

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "source"
LOCALES = REPO / "locales"
CATEGORIES = ("account", "security", "billing", "data")
SOURCE_KEYS = (
    "title", "description", "author", "ms.author", "manager", "ms.audience", "ms.topic",
    "ms.service", "ms.date", "localization_priority", "ms.collection", "ms.custom",
)
PER_TRANSLATION_KEYS = (
    "ms.translationtype", "ms.contentlocale", "ms.lasthandoff", "ms.openlocfilehash",
    "ms.locfileid",
)
HELP_ID = re.compile(r"7\d{6}")
QUOTED_LIST_ITEM = re.compile(r'- "(7\d{6})"')
# Markdown inline syntax that a translation must carry over unchanged.
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"`[^`]+`")
ROLE = re.compile(r"\{[\w:-]+\}`")
HTML_ANCHOR = re.compile(r'^<a name="[^"]+"></a>')
FRONT_MATTER_COMMENTS = {"front matter: title", "front matter: description"}

MARKDOWN = MarkdownIt("commonmark")


# -- the source tree ------------------------------------------------------------------


def articles() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.md") if p.name != "index.md")


def docnames() -> list[str]:
    """Every page of the site (articles and index pages) as Sphinx docnames."""
    return sorted(p.relative_to(SOURCE).with_suffix("").as_posix() for p in SOURCE.rglob("*.md"))


def docname(path: Path) -> str:
    return path.relative_to(SOURCE).with_suffix("").as_posix()


def read(path: Path) -> Article:
    return read_article(path, str(path.relative_to(REPO)))


def tokens(markdown: str) -> list[Token]:
    return MARKDOWN.parse(markdown)


def inline_children(markdown: str) -> list[Token]:
    return [child for t in tokens(markdown) if t.type == "inline" for child in t.children or []]


def link_targets(markdown: str) -> list[str]:
    return [c.attrs["href"] for c in inline_children(markdown) if c.type == "link_open"]


def image_sources(markdown: str) -> list[str]:
    return [c.attrs["src"] for c in inline_children(markdown) if c.type == "image"]


def heading_slugs(markdown: str) -> set[str]:
    """The ids MyST gives headings (myst_heading_anchors): text and code, no raw HTML."""
    found, parsed = set(), tokens(markdown)
    for index, token in enumerate(parsed):
        if token.type == "heading_open":
            children = parsed[index + 1].children or []
            text = "".join(c.content for c in children if c.type in ("text", "code_inline"))
            found.add(github_slugify(text))
    return found


def toctree_entries(markdown: str) -> list[str]:
    fences = [t for t in tokens(markdown) if t.type == "fence" and t.info.strip() == "{toctree}"]
    assert len(fences) == 1, "an index page has exactly one toctree"
    lines = (line.strip() for line in fences[0].content.splitlines())
    return [line for line in lines if line and not line.startswith(":")]


def test_ten_articles_in_categories() -> None:
    found = articles()
    assert len(found) == 10
    assert {p.parent.name for p in found} == set(CATEGORIES)
    assert all(sum(p.parent.name == c for p in found) >= 2 for c in CATEGORIES)


def test_navigation_lists_categories_not_every_article() -> None:
    root = read(SOURCE / "index.md")
    assert toctree_entries(root.body) == [f"{c}/index" for c in CATEGORIES]
    for category in CATEGORIES:
        index = read(SOURCE / category / "index.md")
        assert index.findings == []
        listed = sorted(toctree_entries(index.body))
        assert listed == sorted(p.stem for p in (SOURCE / category).glob("*.md")
                                if p.name != "index.md")


@pytest.mark.parametrize("path", articles(), ids=docname)
def test_article_reads_and_checks_clean(path: Path) -> None:
    article = read(path)
    assert article.findings == []
    assert [f.format() for f in check_article(article)] == []


@pytest.mark.parametrize("path", articles(), ids=docname)
def test_front_matter_has_source_shapes(path: Path) -> None:
    meta = read(path).metadata
    assert [k for k in SOURCE_KEYS if not meta.get(k)] == []
    assert [k for k in PER_TRANSLATION_KEYS if k in meta] == []
    assert meta["ms.topic"] == "article"
    assert meta["localization_priority"] in ("Priority", "Normal")
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", meta["ms.date"])
    datetime.strptime(meta["ms.date"], "%m/%d/%Y")  # a real date
    assert meta.get("ROBOTS", "NOINDEX, NOFOLLOW") == "NOINDEX, NOFOLLOW"


@pytest.mark.parametrize("path", articles(), ids=docname)
def test_help_ids_are_a_list_of_quoted_ids(path: Path) -> None:
    article = read(path)
    ids = article.metadata["ms.custom"]
    assert isinstance(ids, list) and ids
    assert all(isinstance(i, str) and HELP_ID.fullmatch(i) for i in ids)
    lines = path.read_text(encoding="utf-8").splitlines()
    first = article.front_matter.key_lines["ms.custom"]  # 1-based line of the key
    assert lines[first - 1] == "ms.custom:"
    quoted = [QUOTED_LIST_ITEM.fullmatch(line) for line in lines[first:first + len(ids)]]
    assert [m.group(1) for m in quoted if m] == ids


def test_one_help_id_is_shared_by_two_articles_and_robots_is_rare() -> None:
    metas = [read(p).metadata for p in articles()]
    owners = Counter(i for meta in metas for i in meta["ms.custom"])
    assert sorted(owners.values(), reverse=True)[:2] == [2, 1]
    assert 1 <= sum("ROBOTS" in meta for meta in metas) <= 2


@pytest.mark.parametrize("path", articles(), ids=docname)
def test_body_structure(path: Path) -> None:
    body = read(path).body
    parsed = tokens(body)
    levels = [int(t.tag[1]) for t in parsed if t.type == "heading_open"]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert 2 in levels
    steps = [t for t in parsed if t.type == "ordered_list_open"]
    assert steps, "numbered steps"
    assert any(t.type == "fence" and t.info.strip() == "{note}" for t in parsed)
    assert any(c.type == "strong_open" for c in inline_children(body))
    assert link_targets(body), "links to other articles or sites"
    assert 150 <= len(re.findall(r"\w+", body)) <= 400


def test_set_has_anchored_titles_images_external_and_mailto_links() -> None:
    bodies = [read(p).body for p in articles()]
    anchored = [b for b in bodies if HTML_ANCHOR.match(b.removeprefix("# "))]
    assert 0 < len(anchored) < len(bodies), "some H1s carry <a name>, some are plain"
    targets = [t for b in bodies for t in link_targets(b)]
    assert any(t.startswith("https://") for t in targets)
    assert any(t.startswith("mailto:") for t in targets)
    assert any(".md#" in t for t in targets)
    assert 1 <= sum(bool(image_sources(b)) for b in bodies) <= 3


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a well-formed PNG (signature, CRCs, decompressible pixels)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, chunks = 8, {}
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        payload = data[offset + 8:offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])
        assert zlib.crc32(kind + payload) == crc
        chunks[kind] = chunks.get(kind, b"") + payload
        offset += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    assert b"IEND" in chunks and zlib.decompress(chunks[b"IDAT"])
    return width, height


@pytest.mark.parametrize("path", articles(), ids=docname)
def test_relative_links_and_images_resolve(path: Path) -> None:
    body = read(path).body
    for target in link_targets(body) + image_sources(body):
        if re.match(r"[a-z]+:", target):
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve()
        assert resolved.is_file(), target
        assert resolved.is_relative_to(SOURCE), target
        if anchor:
            assert anchor in heading_slugs(read(resolved).body), target
        if resolved.suffix == ".png":
            assert min(png_size(resolved.read_bytes())) > 0


# -- the catalogs -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def fresh_pots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh extraction of source/ with the project's own conf.py and gettext builder
    (front-matter title and description included; warnings are errors)."""
    work = tmp_path_factory.mktemp("gettext")
    command = [sys.executable, "-m", "sphinx", "-q", "-W", "-n", "-b", "gettext",
               "-c", str(SOURCE.parent), "-d", str(work / "doctrees"), str(SOURCE),
               str(work / "pot")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return work / "pot"


def expected_msgids(pots: Path, doc: str) -> set[str]:
    return {e.msgid for e in polib.pofile(str(pots / f"{doc}.pot"))}


def catalogs(tag: str) -> dict[str, polib.POFile]:
    folder = LOCALES / tag / "LC_MESSAGES"
    return {p.relative_to(folder).with_suffix("").as_posix(): polib.pofile(str(p))
            for p in sorted(folder.rglob("*.po"))}


def translated_share(po: polib.POFile) -> float:
    return len(po.translated_entries()) / len(po)


def test_catalogs_exist_only_for_source_pages() -> None:
    tags = sorted(p.name for p in LOCALES.iterdir() if p.is_dir())
    assert tags == ["ar-SA", "de-DE", "ja-JP", "nl-NL"]
    for tag in tags:
        assert set(catalogs(tag)) <= set(docnames()), tag


@pytest.mark.parametrize("tag", ["nl-NL", "de-DE", "ja-JP", "ar-SA"])
def test_msgids_equal_a_fresh_extraction(tag: str, fresh_pots: Path) -> None:
    for doc, po in catalogs(tag).items():
        assert {e.msgid for e in po} == expected_msgids(fresh_pots, doc), (tag, doc)
        assert po.obsolete_entries() == []


@pytest.mark.parametrize("tag", ["nl-NL", "de-DE", "ja-JP", "ar-SA"])
def test_front_matter_messages_are_marked(tag: str) -> None:
    for doc, po in catalogs(tag).items():
        meta = read(SOURCE / f"{doc}.md").metadata
        for key in ("title", "description"):
            entry = po.find(meta[key])
            assert entry is not None and f"front matter: {key}" in entry.comment, (doc, key)
        marked = [e.msgid for e in po if e.comment in FRONT_MATTER_COMMENTS]
        assert sorted(marked) == sorted({meta["title"], meta["description"]})


@pytest.mark.parametrize("tag", ["nl-NL", "de-DE", "ja-JP", "ar-SA"])
def test_headers_are_proper(tag: str) -> None:
    language = tag.replace("-", "_")
    plurals, _ = get_plural(language)
    for doc, po in catalogs(tag).items():
        meta = po.metadata
        assert meta["Language"] == language, doc
        assert meta["Content-Type"] == "text/plain; charset=UTF-8", doc
        assert meta["Plural-Forms"].startswith(f"nplurals={plurals};"), doc
        path = LOCALES / tag / "LC_MESSAGES" / f"{doc}.po"
        with path.open("rb") as handle:  # Sphinx reads catalogs through Babel
            assert read_po(handle, locale=language).locale.language == language.split("_")[0]
        if po.translated_entries():
            assert meta["X-Meta-ms.contentlocale"] == tag, doc
            assert meta["X-Meta-ms.translationtype"] in ("HT", "MT"), doc


@pytest.mark.parametrize("tag", ["nl-NL", "de-DE"])
def test_complete_locales(tag: str) -> None:
    found = catalogs(tag)
    assert sorted(found) == docnames()
    for doc, po in found.items():
        assert po.percent_translated() == 100, doc
        assert [e.msgid for e in po if "fuzzy" in e.flags] == [], doc
        assert not po.metadata_is_fuzzy, doc
        assert po.metadata["X-Meta-ms.translationtype"] == "HT", doc
        source = (SOURCE / f"{doc}.md").read_bytes()
        assert po.metadata["X-Source-Hash"] == hashlib.sha1(source).hexdigest(), doc


def test_japanese_is_partial_with_fallback() -> None:
    found = catalogs("ja-JP")
    article_docs = [docname(p) for p in articles()]
    shares = {doc: translated_share(found[doc]) for doc in article_docs if doc in found}
    complete = [d for d, share in shares.items() if share == 1]
    partial = [d for d, share in shares.items() if 0 < share < 1]
    assert 4 <= len(complete) <= 6, "about half of the articles fully translated"
    assert partial, "a few messages of another article"
    untranslated = [d for d in article_docs if shares.get(d, 0) == 0]
    assert untranslated, "an article with no translation at all falls back to English"
    assert [e for po in found.values() for e in po if "fuzzy" in e.flags] == []


def test_arabic_has_three_articles_and_one_machine_translation() -> None:
    found = catalogs("ar-SA")
    article_docs = {docname(p) for p in articles()}
    translated = [d for d, po in found.items() if d in article_docs and po.translated_entries()]
    assert len(translated) == 3
    kinds = Counter(po.metadata.get("X-Meta-ms.translationtype")
                    for po in found.values() if po.translated_entries())
    assert kinds["MT"] == 1
    assert kinds["HT"] == sum(1 for po in found.values() if po.translated_entries()) - 1


def markup(text: str) -> tuple[object, ...]:
    """The Markdown syntax of a message that its translation must keep."""
    anchor = HTML_ANCHOR.match(text)
    return (
        Counter(LINK_TARGET.findall(text)), Counter(CODE_SPAN.findall(text)),
        Counter(ROLE.findall(text)), anchor.group(0) if anchor else None,
        text.count("**"), text.replace("**", "").count("*"),
    )


@pytest.mark.parametrize("tag", ["nl-NL", "de-DE", "ja-JP", "ar-SA"])
def test_translations_keep_link_targets_and_markup(tag: str) -> None:
    for doc, po in catalogs(tag).items():
        for entry in po.translated_entries():
            assert markup(entry.msgstr) == markup(entry.msgid), (doc, entry.msgid)
            assert link_targets(entry.msgstr) == link_targets(entry.msgid), (doc, entry.msgid)
            assert entry.msgstr != entry.msgid, ("copied, not translated", doc, entry.msgid)
            assert entry.msgstr.strip() == entry.msgstr, (doc, entry.msgid)
