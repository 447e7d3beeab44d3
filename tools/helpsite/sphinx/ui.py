"""Interface strings of a page (theme, Sphinx, helpsite), translated, and their POT.

Three gettext domains put interface texts on a page: ``sphinx`` (the theme's templates, Furo's
and helpsite's, and Sphinx's own strings), ``helpsite`` (this module's :func:`text`) and
``helpsite-reader`` (:mod:`helpsite.sphinx.readerui`). Each is looked up in three layers, the
first that has the message wins:

1. the project's ``locales/<tag>/LC_MESSAGES/_interface.po`` (:data:`INTERFACE_DOMAIN`; ``make
   gettext`` writes its template, ``build/gettext/_interface.pot``, from
   :func:`interface_messages`, and ``update-po`` merges it like an article's), compiled with
   the articles' catalogs;
2. the domain's own catalog: Sphinx's (where Sphinx has the string, it is used) and
   helpsite's ``helpsite.po`` / ``helpsite-reader.po``;
3. helpsite's ``interface.po`` of the language, which translates every interface text of
   every language helpsite supports out of the box (:data:`SHIPPED_LANGUAGES`).

helpsite's catalogs live in ``locale/<lang>/LC_MESSAGES/`` beside this module and are
compiled into the build's doctree folder (never into the installed package).

Furo writes a few attribute texts as plain English (``aria-label="Toggle site navigation
sidebar"``); :class:`TranslatableAttributes`, a Jinja extension, hands every such literal to
``_()`` when the template is compiled, so they are translated the same way.
"""

from __future__ import annotations

import ast
import gettext
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2.ext
from babel import Locale
from jinja2.ext import babel_extract
from sphinx import locale as sphinx_locale
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.jinja2glue import BuiltinTemplateLoader
from sphinx.locale import get_translation

from helpsite.catalogs.pofile import Catalog, Entry
from helpsite.locales import LocaleError, babel_locale
from helpsite.sphinx import compat
from helpsite.sphinx.catalogcompile import sync_catalogs

CATALOG = "helpsite"
TEMPLATE_CATALOG = "sphinx"  # the domain of the HTML templates' _() and of Sphinx's strings
READER_CATALOG = "helpsite-reader"
DOMAINS = (TEMPLATE_CATALOG, CATALOG, READER_CATALOG)
INTERFACE_DOMAIN = "_interface"  # locales/<tag>/LC_MESSAGES/_interface.po, and its POT
COMPILED_NAME = "helpsite-ui"  # <doctreedir>/helpsite-ui/<lang>/LC_MESSAGES/*.mo
PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_DIR = PACKAGE_DIR / "locale"
_ = get_translation(CATALOG)

# Languages helpsite ships interface translations for (folder names under SOURCE_DIR).
SHIPPED_LANGUAGES = ("ar", "de", "es", "fr", "he", "it", "ja", "ko", "nl", "pl", "pt_BR",
                     "ru", "th", "zh_CN", "zh_TW")


SHIPPED_DOMAIN = "interface"  # locale/<lang>/LC_MESSAGES/interface.po: every interface text


def register_catalog(app: Sphinx) -> None:
    """``setup``: compile the shipped catalogs into the build and register ``helpsite``."""
    target = Path(app.doctreedir) / COMPILED_NAME
    for folder in sorted(p for p in SOURCE_DIR.iterdir() if p.is_dir()):
        sync_catalogs(folder / "LC_MESSAGES", target / folder.name / "LC_MESSAGES")
    app.add_message_catalog(CATALOG, str(target))
    app.add_config_value("helpsite_interface_texts", "", "html", types=(str,),
                         description="Set by helpsite: digest of the interface translations "
                         "of this build (pages are written again when it changes).")
    # After helpsite.sphinx.catalogpages (450) compiled _interface.po with the articles'.
    app.connect("config-inited", layered_translations, priority=470)
    app.connect("builder-inited", add_template_extension)


def text(message: str, **values: str) -> str:
    """The translated interface string, with ``{name}`` placeholders filled in."""
    return str(_(message)).format(**values)


def language_name(tag: str, in_locale: str) -> str:
    """The name of ``tag``'s language written in ``in_locale`` ("Engels" for en-US in nl)."""
    try:
        reader: Locale = babel_locale(in_locale)
        named = babel_locale(tag)
    except LocaleError:
        return tag
    return reader.languages.get(named.language) or tag


# --- Literal attribute texts of templates --------------------------------------------------

# aria-label="Toggle site navigation sidebar": a value with a letter and nothing Jinja or
# HTML would read (no braces, entities, tags or quotes of either kind).
LITERAL_ATTRIBUTE = re.compile(
    r'\b(?P<name>aria-label|title|alt|placeholder)="(?P<value>[^"{}<>&%\'\\]*[A-Za-z][^"{}<>&%\'\\]*)"')


def translatable_attributes(source: str) -> str:
    """The template with every literal attribute text handed to ``_()``."""
    return LITERAL_ATTRIBUTE.sub(
        lambda m: f"{m['name']}=\"{{{{ _('{m['value']}')|e }}}}\"", source)


class TranslatableAttributes(jinja2.ext.Extension):
    """Jinja extension: literal ``aria-label``/``title``/``alt``/``placeholder`` texts of a
    theme's templates go through ``_()`` (Furo writes a few in plain English)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return translatable_attributes(source)


def add_template_extension(app: Sphinx) -> None:
    """``builder-inited``: the extension in the HTML builder's Jinja environment."""
    templates = getattr(app.builder, "templates", None)
    if isinstance(templates, BuiltinTemplateLoader):
        templates.environment.add_extension(TranslatableAttributes)


# --- The project's own interface translations -----------------------------------------------


def project_translations(app: Sphinx) -> gettext.GNUTranslations | None:
    """The compiled ``_interface.po`` of this build's locale, if the project has one."""
    from helpsite.sphinx.catalogcompile import MIRROR_NAME, load_compiled, mirror_folder

    if str(Path(app.doctreedir) / MIRROR_NAME) not in [str(d) for d in app.config.locale_dirs]:
        return None
    return load_compiled(mirror_folder(Path(app.doctreedir), app.config.language),
                         INTERFACE_DOMAIN)


def interface_digest(app: Sphinx) -> str:
    """What the interface texts of this build are made of: every page shows them, so when
    it changes every page is written again (config value ``helpsite_interface_texts``)."""
    digest = hashlib.sha256()
    language = str(app.config.language or "")
    folders = (Path(app.doctreedir) / COMPILED_NAME, *map(Path, app.config.locale_dirs))
    for index, folder in enumerate(folders):
        for candidate in (language, language.split("_")[0]):
            for domain in (*DOMAINS, SHIPPED_DOMAIN, INTERFACE_DOMAIN):
                mo = folder / candidate / "LC_MESSAGES" / f"{domain}.mo"
                if mo.is_file():
                    # Which folder and file, not where the project is: the same project
                    # in another folder must build the same bytes.
                    name = f"{index}/{candidate}/{domain}\x00"
                    digest.update(name.encode() + mo.read_bytes())
    return digest.hexdigest()


def shipped_translations(app: Sphinx) -> gettext.GNUTranslations | None:
    """helpsite's ``interface.po`` of the build language (``nl_NL`` finds ``nl``)."""
    from helpsite.sphinx.catalogcompile import load_compiled

    found = gettext.find(SHIPPED_DOMAIN, str(Path(app.doctreedir) / COMPILED_NAME),
                         [str(app.config.language or "")])
    return load_compiled(Path(found).parent, SHIPPED_DOMAIN) if found else None


def layered_translations(app: Sphinx, config: Config) -> None:
    """``config-inited``, after the locale's catalogs are compiled: each domain's lookup
    becomes project → the domain's own (Sphinx's, ``helpsite.po``) → ``interface.po``.
    ``sphinx.locale.init`` only ever appends behind what is loaded, so the chain of each
    domain is made here, of copies (a gettext fallback chain is linked in place)."""
    config.helpsite_interface_texts = interface_digest(app)
    project, shipped = project_translations(app), shipped_translations(app)
    if not config.language or config.language == "en" or (project is None and shipped is None):
        return
    for domain in DOMAINS:
        own = sphinx_locale.get_translator(domain)
        layers = [compat.copy_translations(project)] if project is not None else []
        if type(own) is not gettext.NullTranslations:
            layers.append(own)
        if shipped is not None:
            layers.append(compat.copy_translations(shipped))
        for layer in layers[1:]:
            layers[0].add_fallback(layer)
        compat.replace_translator(domain, layers[0])
    # The HTML builder hands the application's translator to its templates.
    app.translator = sphinx_locale.get_translator(TEMPLATE_CATALOG)


# --- The interface messages, for build/gettext/_interface.pot --------------------------------


@dataclass
class InterfaceMessage:
    """One interface text: its msgid and where it comes from (``file:line``)."""

    msgid: str
    locations: list[str] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        if re.search(r"%\(\w+\)s", self.msgid):
            return ["python-format"]
        return ["python-brace-format"] if re.search(r"\{\w+\}", self.msgid) else []


def theme_template_dirs() -> list[Path]:
    """helpsite's theme and the theme it derives from (Furo)."""
    return [PACKAGE_DIR / "theme" / "helpsite", compat.furo_theme_folder()]


# Templates that only Read the Docs' builds render.
READTHEDOCS_ONLY = frozenset({"sidebar/rtd-versions.html", "sidebar/variant-selector.html",
                              "sidebar/ethical-ads.html"})


def template_messages() -> Iterator[tuple[str, str]]:
    """(msgid, location) of every ``_()``/``{% trans %}`` text of the theme's templates,
    literal attribute texts included (see :class:`TranslatableAttributes`)."""
    for folder in theme_template_dirs():
        for path in sorted(folder.rglob("*.html")):
            relative = path.relative_to(folder).as_posix()
            if relative in READTHEDOCS_ONLY:
                continue
            source = translatable_attributes(path.read_text(encoding="utf-8"))
            found = babel_extract(io.BytesIO(source.encode("utf-8")),
                                  ("_", "gettext", "ngettext"), [], {})
            for line, _function, message, _comments in found:
                for msgid in message if isinstance(message, tuple) else (message,):
                    if msgid:
                        yield msgid, f"{folder.name}/{relative}:{line}"


def _is_text_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    function = node.func
    named = (isinstance(function, ast.Attribute) and function.attr == "text"
             and isinstance(function.value, ast.Name)
             and function.value.id in ("ui", "readerui"))
    return named or (isinstance(function, ast.Name) and function.id == "text")


def python_messages() -> Iterator[tuple[str, str]]:
    """(msgid, location) of every ``ui.text("...")``/``readerui.text("...")`` call of the
    extension (also inside f-strings, which a token-based extractor does not look into)."""
    for path in sorted(PACKAGE_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not _is_text_call(node):
                continue
            first = node.args[0]  # type: ignore[attr-defined]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield first.value, f"{path.name}:{node.lineno}"


# Sphinx's own strings that reach a page outside the templates (the link beside a heading).
SPHINX_PAGE_MESSAGES = ("Link to this heading", "Link to this image", "Link to this table",
                        "Link to this code", "Link to this definition")


def interface_messages() -> list[InterfaceMessage]:
    """Every interface text helpsite's pages can show, in a stable order."""
    found: dict[str, InterfaceMessage] = {}
    sources = [*template_messages(), *python_messages(),
               *((m, "sphinx/writers/html5.py") for m in SPHINX_PAGE_MESSAGES)]
    for msgid, location in sources:
        message = found.setdefault(msgid, InterfaceMessage(msgid))
        if location not in message.locations:
            message.locations.append(location)
    return list(found.values())


def interface_template() -> Catalog:
    """The POT of the interface texts (``build/gettext/_interface.pot``): what a project
    translates in ``locales/<tag>/LC_MESSAGES/_interface.po`` to replace helpsite's."""
    catalog = Catalog(header_comments=[
        "Interface texts of the help site (theme, Sphinx, helpsite): headers, buttons,",
        "labels. helpsite translates them for its languages; a translation here wins.",
    ], header=[("Project-Id-Version", "helpsite interface"),
               ("MIME-Version", "1.0"),
               ("Content-Type", "text/plain; charset=UTF-8"),
               ("Content-Transfer-Encoding", "8bit")])
    for message in interface_messages():
        catalog.entries.append(Entry(msgid=message.msgid, references=list(message.locations),
                                     flags=message.flags))
    return catalog
