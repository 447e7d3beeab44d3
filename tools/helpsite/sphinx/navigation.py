"""Categories: navigation that stays small however many articles there are.

Articles are grouped by their first folder (``billing/x`` → ``billing``; top-level ones into
``helpsite_root_category``) or by a front-matter key. A category's page is the writer's
``<folder>/index`` document when there is one, otherwise a generated page listing the
articles. A category larger than ``helpsite_category_page_size`` is split into parts, each
with its own page.

The sidebar of every page lists the categories, and only inside the current category its
articles (or its parts, and the articles of the current part), so a page's navigation is
bounded by categories + parts + page size — never by the number of articles. Sphinx's own
toctree is not asked for a site-wide tree (that made builds quadratic in the article count).
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from helpsite.locales import LocaleError, locale_info
from helpsite.sphinx import ui
from helpsite.sphinx.pages import meta_value, pages

PART_PAGE = "part-{number}"


@dataclass
class Part:
    number: int
    page: str
    articles: list[str]
    label: str = ""


@dataclass
class Category:
    key: str
    title: str
    page: str  # page name of the category page
    page_is_doc: bool  # a document of the writer (else generated)
    managed: bool  # its document has a toctree: the writer lists the articles
    articles: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)


@dataclass
class Navigation:
    categories: list[Category] = field(default_factory=list)
    category_of: dict[str, str] = field(default_factory=dict)  # page → category key
    part_of: dict[str, int] = field(default_factory=dict)  # page → part number
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    # page → the language of its title, when not the page's own (an untranslated title)
    title_languages: dict[str, str] = field(default_factory=dict)
    generated: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    direction: str = "ltr"  # of the build's locale: a title in another script may differ

    def category(self, key: str) -> Category | None:
        return next((c for c in self.categories if c.key == key), None)

    def title_language(self, pagename: str) -> TitleLanguage:
        """``lang`` and ``dir`` for a link to ``pagename`` when its title is not in the
        page's language (an untranslated title): screen readers switch voice, and an
        English title in an Arabic sidebar keeps its own direction."""
        lang = self.title_languages.get(pagename)
        if not lang:
            return TitleLanguage()
        return TitleLanguage(lang, text_direction(lang, self.direction))

    def signature(self) -> tuple[object, ...]:
        """Changes whenever any page's sidebar would change."""
        return tuple(
            (c.key, c.title, c.page, tuple(c.articles),
             tuple((p.page, p.label) for p in c.parts),
             tuple(self.titles.get(a, "") for a in c.articles),
             tuple(self.title_languages.get(a, "") for a in c.articles))
            for c in self.categories
        )

    def sidebar_groups(self) -> dict[str, str]:
        """A digest per group of pages that show the same navigation: ``""`` for what
        every page shows (the categories), ``<key>`` for a category's own page (its
        articles or parts), ``<key>/<n>`` for the pages of part n. When one article's
        title changes, only its group's pages need writing again."""
        groups = {"": _digest([(c.key, c.title, c.page) for c in self.categories])}
        for c in self.categories:
            parts = [(p.page, p.label, len(p.articles)) for p in c.parts]
            if not c.parts:
                groups[c.key] = _digest(self._listed(c.articles))
                continue
            groups[c.key] = _digest(parts)
            for part in c.parts:
                groups[f"{c.key}/{part.number}"] = _digest([parts, self._listed(part.articles)])
        return groups

    def _listed(self, articles: list[str]) -> list[tuple[str, str, str, str]]:
        return [(a, self.titles.get(a, ""), self.descriptions.get(a, ""),
                 self.title_languages.get(a, "")) for a in articles]

    def group_of(self, pagename: str) -> str:
        """The sidebar group of a page (``""``: only what every page shows)."""
        key = self.category_of.get(pagename)
        if key is None:
            return ""
        part = self.part_of.get(pagename)
        return key if part is None else f"{key}/{part}"


@dataclass(frozen=True)
class TitleLanguage:
    lang: str | None = None
    dir: str | None = None  # only when it is not the direction of the page


def text_direction(lang: str, page_direction: str) -> str | None:
    """The direction of ``lang`` when it differs from the page's, else None."""
    try:
        direction = locale_info(lang).direction
    except LocaleError:
        return None
    return direction if direction != page_direction else None


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def slugify(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.strip().lower(), flags=re.UNICODE).strip("-")
    return slug or "other"


def humanize(slug: str) -> str:
    words = re.sub(r"[-_]+", " ", slug).strip()
    return words[:1].upper() + words[1:] if words else slug


def page_title(env: BuildEnvironment, docname: str) -> str:
    info = pages(env).get(docname)
    if info is not None and info.title:
        return info.title
    title = env.titles.get(docname)
    return title.astext() if title is not None else docname


def category_key(config: Config, env: BuildEnvironment, docname: str) -> tuple[str, str]:
    """(category key, folder of the category page) of one document."""
    root = config.helpsite_root_category.strip("/") or "articles"
    if config.helpsite_category_key == "folder":
        key = docname.split("/", 1)[0] if "/" in docname else root
        return key, key
    info = pages(env).get(docname)
    value = info.raw.get(config.helpsite_category_key) if info else None
    if isinstance(value, list):
        value = value[0] if value else None
    text = meta_value(value)
    if not text:
        return root, root
    key = slugify(text)
    return key, f"categories/{key}"


def build_navigation(env: BuildEnvironment, config: Config) -> Navigation:
    nav = Navigation()
    if config.helpsite_locale:
        nav.direction = locale_info(config.helpsite_locale).direction
    root_doc = config.root_doc
    groups: dict[str, list[str]] = {}
    folders: dict[str, str] = {}
    page_docs: dict[str, str] = {}
    for docname in sorted(env.found_docs):
        nav.titles[docname] = page_title(env, docname)
        info = pages(env).get(docname)
        if info is not None and info.description:
            nav.descriptions[docname] = info.description
        language = info.field_languages.get("title") if info is not None else None
        if language:
            nav.title_languages[docname] = language
        if docname == root_doc:
            continue
        key, folder = category_key(config, env, docname)
        folders.setdefault(key, folder)
        groups.setdefault(key, [])
        if docname == f"{folder}/index":
            page_docs[key] = docname
        else:
            groups[key].append(docname)
    for key, articles in groups.items():
        nav.categories.append(_category(env, config, nav, key, folders[key], page_docs, articles))
    _order_categories(env, root_doc, nav, config.helpsite_locale)
    return nav


def _category(
    env: BuildEnvironment, config: Config, nav: Navigation, key: str, folder: str,
    page_docs: dict[str, str], articles: list[str],
) -> Category:
    page = f"{folder}/index"
    is_doc = key in page_docs
    includes = env.toctree_includes.get(page, []) if is_doc else []
    if is_doc:
        title = nav.titles.get(page, humanize(key))
    elif key == (config.helpsite_root_category.strip("/") or "articles"):
        title = ui.text("Articles")
    else:
        title = humanize(key)
    listed = [d for d in includes if d in set(articles)]
    collate = sort_key(config.helpsite_locale)
    rest = sorted(set(articles) - set(listed), key=lambda d: (collate(nav.titles[d]), d))
    category = Category(key, title, page, is_doc, bool(includes), [*listed, *rest])
    if not is_doc:
        nav.generated[page] = (key, None)
    nav.category_of[page] = key
    for docname in category.articles:
        nav.category_of[docname] = key
    _split(config, nav, category, folder, sorted_by_title=not listed)
    return category


def _split(config: Config, nav: Navigation, category: Category, folder: str,
           sorted_by_title: bool) -> None:
    size = max(1, config.helpsite_category_page_size)
    if len(category.articles) <= size:
        return
    chunks = [category.articles[i:i + size] for i in range(0, len(category.articles), size)]
    for number, chunk in enumerate(chunks, start=1):
        page = f"{folder}/{PART_PAGE.format(number=number)}"
        if sorted_by_title:
            label = f"{_short(nav.titles[chunk[0]])} – {_short(nav.titles[chunk[-1]])}"
        else:
            label = ui.text("Part {number} of {count}", number=str(number),
                            count=str(len(chunks)))
        category.parts.append(Part(number, page, chunk, label))
        nav.generated[page] = (category.key, number)
        nav.category_of[page] = category.key
        nav.part_of[page] = number
        for docname in chunk:
            nav.part_of[docname] = number


@functools.cache
def _collator(tag: str | None) -> Any:
    import icu  # PyICU (pyicu-wheels); imported only when a category is sorted

    locale = icu.Locale(tag.replace("-", "_")) if tag else icu.Locale.getRoot()
    return icu.Collator.createInstance(locale)


def sort_key(tag: str | None) -> Callable[[str], bytes]:
    """Titles in the order of the locale's alphabet (CLDR collation through ICU), not of
    code points: Polish "Łączenie" belongs after "Logowanie", not after "Zmiana"; Russian
    "ё" with "е"; Thai ignores a leading vowel (เ แ โ ใ ไ, written before its consonant)
    at first; zh-TW orders Han by stroke count."""
    collator = _collator(tag)
    return lambda title: bytes(collator.getSortKey(title))


def _clusters(text: str) -> list[str]:
    """``text`` as user-perceived characters: a base with its combining marks (Thai vowel
    and tone marks, Hangul jamo, accents) and what a zero-width joiner binds to it."""
    clusters: list[str] = []
    for char in text:
        if clusters and (unicodedata.category(char).startswith("M") or char == "\u200d"
                         or clusters[-1].endswith("\u200d")):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _width(cluster: str) -> int:
    """Columns a character takes: two for wide and full-width ones (Han, Hangul, kana)."""
    return 2 if unicodedata.east_asian_width(cluster[0]) in "WF" else 1


def _short(title: str, limit: int = 24) -> str:
    """At most ``limit`` columns of ``title``, cut between characters (never between a
    Thai consonant and its vowel mark), a Han or Hangul character counting two."""
    clusters = _clusters(title)
    if sum(_width(c) for c in clusters) <= limit:
        return title
    kept, used = [], 0
    for cluster in clusters:
        if used + _width(cluster) > limit - 1:
            break
        kept.append(cluster)
        used += _width(cluster)
    return "".join(kept).rstrip() + "…"


def _order_categories(env: BuildEnvironment, root_doc: str, nav: Navigation,
                      tag: str | None) -> None:
    listed = env.toctree_includes.get(root_doc, [])
    rank = {page: index for index, page in enumerate(listed)}
    collate = sort_key(tag)
    nav.categories.sort(key=lambda c: (rank.get(c.page, len(rank)), collate(c.title), c.key))


def orphans(env: BuildEnvironment, nav: Navigation, root_doc: str) -> set[str]:
    """Documents the categories list although no toctree includes them: Sphinx must not
    warn that they are in no toctree. Articles of a category whose page has a toctree
    stay the writer's responsibility (Sphinx's warning then means a forgotten entry)."""
    included = {d for children in env.toctree_includes.values() for d in children}
    root_managed = bool(env.toctree_includes.get(root_doc))
    result = set()
    for category in nav.categories:
        if category.page_is_doc and not root_managed:
            result.add(category.page)
        if not category.managed:
            result.update(category.articles)
    return result - included


# -- HTML


def _link(href: str, text: str, current: bool = False,
          language: TitleLanguage | None = None) -> str:
    aria = ' aria-current="page"' if current else ""
    return (f'<a class="reference internal" href="{html.escape(href)}"{aria}'
            f"{language_attributes(language)}>{html.escape(text)}</a>")


def language_attributes(language: TitleLanguage | None) -> str:
    """`` lang="en-US" dir="ltr"`` for a title shown in another language than the
    page's (screen readers switch voice; bidi text keeps its order), else ``""``."""
    if language is None or not language.lang:
        return ""
    attributes = f' lang="{html.escape(language.lang)}"'
    if language.dir:
        attributes += f' dir="{html.escape(language.dir)}"'
    return attributes


@dataclass
class _Item:
    title: str
    href: str
    level: int
    current: bool  # on the path to the page
    is_page: bool  # the page itself
    children: list[_Item] = field(default_factory=list)
    language: TitleLanguage | None = None  # the title's language when not the page's
    markup: str | None = None  # already rendered (an article that is not the page)


def _sidebar_items(nav: Navigation, pagename: str, uri: Callable[[str], str]) -> list[_Item]:
    """Categories; inside the current one its articles, or its parts and the articles of
    the current part."""
    current_key = nav.category_of.get(pagename)
    current_part = nav.part_of.get(pagename)
    items = []
    for category in nav.categories:
        is_current = category.key == current_key
        item = _Item(category.title, uri(category.page), 1, is_current,
                     category.page == pagename, language=nav.title_language(category.page))
        if is_current and category.parts:
            for part in category.parts:
                in_part = part.number == current_part
                child = _Item(part.label, uri(part.page), 2, in_part, part.page == pagename)
                if in_part:
                    child.children = _article_items(nav, part.articles, pagename, uri, 3)
                item.children.append(child)
        elif is_current:
            item.children = _article_items(nav, category.articles, pagename, uri, 2)
        items.append(item)
    return items


class _RenderedArticles:
    """The sidebar entries of a category's or part's articles, rendered once per folder
    of pages (about 400,000 links a locale, rendered as 14,000). A page links every
    article by its URL relative to the page, which depends only on the page's folder (the
    html builder's pages are ``<docname>.html``); an entry holds no per-page state. The
    page itself is rendered for each page, and its entry for the others is made from
    another page (a link from a page to itself is ``""``). Kept for one navigation: a new
    one (a new build, or changed titles) starts afresh."""

    def __init__(self) -> None:
        self.nav: Navigation | None = None
        self.entries: dict[tuple[int, int, str], list[str | None]] = {}

    def get(self, nav: Navigation, articles: list[str], level: int, pagename: str,
            uri: Callable[[str], str]) -> list[str | None]:
        """The entries of ``articles`` seen from ``pagename`` (None: the page itself)."""
        if nav is not self.nav:
            self.nav, self.entries = nav, {}
        key = (id(articles), level, pagename.rpartition("/")[0])  # lists live with nav
        entries = self.entries.setdefault(key, [None] * len(articles))
        for index, docname in enumerate(articles):
            if entries[index] is None and docname != pagename:
                entries[index] = _Renderer(False).item(_Item(
                    nav.titles.get(docname, docname), uri(docname), level, False, False,
                    language=nav.title_language(docname)))
        return [None if d == pagename else entry for d, entry in zip(articles, entries,
                                                                      strict=True)]


_RENDERED = _RenderedArticles()


def _article_items(nav: Navigation, articles: list[str], pagename: str,
                   uri: Callable[[str], str], level: int) -> list[_Item]:
    rendered = _RENDERED.get(nav, articles, level, pagename, uri)
    return [_Item(nav.titles.get(d, d), uri(d), level, True, True,
                  language=nav.title_language(d)) if markup is None
            else _Item("", "", level, False, False, markup=markup)
            for d, markup in zip(articles, rendered, strict=True)]


class _Renderer:
    """Sphinx's toctree markup; with ``toggles``, already decorated the way Furo does it
    (checkbox and label on items with children, ``current-page`` on the deepest current
    item), so Furo need not re-parse every page's sidebar with BeautifulSoup."""

    def __init__(self, toggles: bool) -> None:
        self.toggles = toggles
        self.count = 0

    def items(self, items: list[_Item], top: bool = False) -> str:
        opening = '<ul class="current">' if top else "<ul>"
        return opening + "".join(self.item(item) for item in items) + "</ul>"

    def item(self, item: _Item) -> str:
        if item.markup is not None:
            return item.markup
        classes = [f"toctree-l{item.level}"]
        if item.current:
            classes.append("current")
        toggle = ""
        if self.toggles and item.children:
            classes.append("has-children")
            self.count += 1
            name = f"toctree-checkbox-{self.count}"
            label = html.escape(ui.text("Toggle navigation of {title}", title=item.title))
            checked = ' checked=""' if item.current else ""
            toggle = (f'<input aria-label="{label}"{checked} class="toctree-checkbox" '
                      f'id="{name}" name="{name}" role="switch" type="checkbox"/>'
                      f'<label for="{name}"><span class="icon"><svg>'
                      f'<use href="#svg-arrow-right"></use></svg></span></label>')
        if self.toggles and item.current and not any(c.current for c in item.children):
            classes.append("current-page")
        children = self.items(item.children) if item.children else ""
        return (f'<li class="{" ".join(classes)}">'
                + _link(item.href, item.title, item.is_page, item.language)
                + toggle + children + "</li>")


def sidebar_html(nav: Navigation, pagename: str, uri: Callable[[str], str], *,
                 toggles: bool = False) -> str:
    """The sidebar tree of one page: its size depends on the number of categories, parts
    and the page size, never on the number of articles."""
    caption = (f'<p class="caption" role="heading" aria-level="2"><span class="caption-text">'
               f'{html.escape(ui.text("Categories"))}</span></p>')
    return caption + _Renderer(toggles).items(_sidebar_items(nav, pagename, uri), top=True)


def listing_html(nav: Navigation, articles: list[str], uri: Callable[[str], str]) -> str:
    """The list of articles on a category or part page, with their descriptions."""
    items = []
    for docname in articles:
        description = nav.descriptions.get(docname)
        extra = (f'<p class="helpsite-description">{html.escape(description)}</p>'
                 if description else "")
        link = _link(uri(docname), nav.titles.get(docname, docname),
                     language=nav.title_language(docname))
        items.append("<li>" + link + extra + "</li>")
    return '<ul class="helpsite-articles">' + "".join(items) + "</ul>"


def parts_html(category: Category, uri: Callable[[str], str]) -> str:
    items = [f"<li>{_link(uri(part.page), part.label)} ({len(part.articles)})</li>"
             for part in category.parts]
    return '<ul class="helpsite-parts">' + "".join(items) + "</ul>"


def categories_html(nav: Navigation, uri: Callable[[str], str]) -> str:
    items = [f"<li>{_link(uri(c.page), c.title, language=nav.title_language(c.page))}</li>"
             for c in nav.categories]
    return '<ul class="helpsite-categories">' + "".join(items) + "</ul>"


def generated_page_body(nav: Navigation, pagename: str, uri: Callable[[str], str]) -> tuple[
        str, str]:
    """(title, body HTML) of a generated category or part page."""
    key, number = nav.generated[pagename]
    category = nav.category(key)
    assert category is not None
    heading = html.escape(category.title)
    if number is None:
        inner = parts_html(category, uri) if category.parts else listing_html(
            nav, category.articles, uri)
        title = category.title
        body = f'<section id="{html.escape(slugify(key))}"><h1>{heading}</h1>{inner}</section>'
        return title, body
    part = category.parts[number - 1]
    title = f"{category.title}: {part.label}"
    body = (f'<section id="part-{number}"><h1>{heading}</h1>'
            f"<h2>{html.escape(part.label)}</h2>"
            f"{listing_html(nav, part.articles, uri)}</section>")
    return title, body
