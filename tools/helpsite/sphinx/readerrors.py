"""One article that cannot be built is one finding, not a failed site.

Plain Sphinx stops a whole build at the first exception raised while one document is
read: a file that is not UTF-8 (Sphinx decodes it before any event fires), a directive
that raises, a transform that trips over odd input. Every locale then ends with "0 pages",
naming neither the file nor the cause. Here each builder helpsite registers reads through
:class:`GuardedReading`:

- the exception becomes one finding ``path:line: ERROR: code: message`` —
  ``file.encoding`` (with the line and column of the first byte that is not UTF-8) or
  ``build.page-failed`` (the exception, and the line of the directive, token or node
  being handled when it was raised);
- the page is left out: after reading (``env-updated``, before helpsite's navigation)
  the document is purged and taken out of the found documents, so no page, category
  entry, search entry or sitemap entry is made of it, and a page an earlier build wrote
  for it is deleted; every other page is built;
- the build exits 1 once everything else is written (``build-finished`` sets Sphinx's
  status code), so ``helpsite build`` does not record the locale as up to date;
- the failed document is never recorded as read, so the next build reads it again.

It works the same with ``-j N``: a reading process records its failures in its copy of
the environment, which Sphinx merges back (``env-merge-info``).

A compiled catalog (``<doctreedir>/helpsite-catalogs/…/x.mo``) that cannot be loaded is
the build's own file gone bad: it is compiled again from its ``.po`` and the article read
again (``build.catalog-invalid``, a warning); when that does not give a loadable catalog
either, it is removed and the article is built in the source language.

An unclosed code fence swallows the rest of its article without any error: the build
warns ``body.unclosed-fence`` at the line the fence opened (``helpsite validate`` reports
it too, :func:`helpsite.checks.bodyparser.unclosed_fences`).
"""

from __future__ import annotations

import gettext
import io
import time
import types
from dataclasses import dataclass
from pathlib import Path
from weakref import WeakKeyDictionary

from docutils import nodes
from docutils.parsers.rst import Directive
from markdown_it.token import Token
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError, SphinxWarning
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain

from helpsite.catalogs.compile import mo_bytes
from helpsite.catalogs.pofile import parse_catalog_bytes
from helpsite.checks.bodyparser import parse_body, unclosed_fences
from helpsite.files import write_atomic
from helpsite.findings import Code
from helpsite.sphinx import confvalues
from helpsite.sphinx.catalogcompile import find_locale_folder, mirror_folder

logger = logging.getLogger(__name__)

FAILURES = "helpsite_read_failures"  # env attribute: docname → ReadFailure of this build
_MESSAGE_LIMIT = 300  # characters of an exception's text in a finding
# The list of documents each running build reads (and later writes), from
# env-before-read-docs until env-updated.
_READING: WeakKeyDictionary[Sphinx, list[str]] = WeakKeyDictionary()
_PLACEHOLDERS: set[str] = set()  # documents being read as a placeholder (this process)
PLACEHOLDER = "---\ntitle: Page failed\n---\n# Page failed\n"


@dataclass(frozen=True)
class ReadFailure:
    """Why one document could not be read: a finding's code, file line and message."""

    code: str
    line: int | None
    message: str


def failures(env: BuildEnvironment) -> dict[str, ReadFailure]:
    """The documents that failed in this build (created on first use, also in an old env)."""
    store = getattr(env, FAILURES, None)
    if store is None:
        store = {}
        setattr(env, FAILURES, store)
    return store


# -- where and why reading failed


def decode_failure(data: bytes) -> ReadFailure | None:
    """The first byte of ``data`` that is not UTF-8, as a ``file.encoding`` failure."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - line_start + 1
        byte = data[error.start:error.start + 1].hex()
        return ReadFailure(Code.FILE_ENCODING.code, line, (
            f"byte 0x{byte} at column {column} is not UTF-8 ({error.reason}); the page is "
            "left out of the site. Re-save the file as UTF-8"))
    return None


def _line_in_frame(frame: types.FrameType) -> int | None:
    """The source line being handled in ``frame``: a directive's, a markdown-it token's
    (0-based map) or a docutils node's."""
    values = frame.f_locals
    handler = values.get("self")
    if isinstance(handler, Directive) and isinstance(handler.lineno, int):
        return handler.lineno
    token = values.get("token")
    if isinstance(token, Token) and token.map:
        return token.map[0] + 1
    node = values.get("node")
    if isinstance(node, nodes.Node) and isinstance(node.line, int):
        return node.line
    return None


def raised_at(error: BaseException) -> tuple[int | None, str]:
    """The line the innermost frame that knows one was handling, and the function that
    raised (for a report of the error)."""
    frames = []
    traceback = error.__traceback__
    while traceback is not None:
        frames.append(traceback.tb_frame)
        traceback = traceback.tb_next
    function = frames[-1].f_code.co_qualname if frames else "?"
    for frame in reversed(frames):
        line = _line_in_frame(frame)
        if line is not None:
            return line, function
    return None, function


def exception_failure(error: Exception) -> ReadFailure:
    """A ``build.page-failed`` failure for an exception raised while reading."""
    cause: BaseException = error
    if isinstance(error, ExtensionError) and error.orig_exc is not None:
        cause = error.orig_exc  # an event handler's exception, wrapped by Sphinx
    line, function = raised_at(cause)
    text = " ".join(str(cause).split()) or "(no message)"
    if len(text) > _MESSAGE_LIMIT:
        text = text[:_MESSAGE_LIMIT - 1] + "…"
    return ReadFailure(Code.BUILD_PAGE_FAILED.code, line, (
        f"{type(cause).__name__}: {text} (raised in {function}); the page is left out "
        "of the site"))


def report(docname: str, failure: ReadFailure) -> None:
    location: str | tuple[str, int] = (docname, failure.line) if failure.line else docname
    logger.error("%s: %s", failure.code, failure.message, location=location,
                 type="helpsite", subtype=failure.code)


# -- reading with a guard


class GuardedReading(Builder):
    """A builder whose ``read_doc`` turns an exception into a finding (mixed in before
    the Sphinx builder class: ``class X(GuardedReading, StandaloneHTMLBuilder)``)."""

    def read_doc(self, docname: str, *, _cache: bool = True) -> None:  # type: ignore[misc]
        try:
            super().read_doc(docname, _cache=_cache)
            return
        except SphinxWarning:
            raise  # --exception-on-warning: what the writer asked for
        except Exception as error:  # one article's failure, whatever raised it
            failure = self._failure(docname, error)
        self._forget_partial(docname)
        if failure is None:  # a damaged compiled catalog, repaired or removed
            try:
                super().read_doc(docname, _cache=_cache)
                return
            except SphinxWarning:
                raise
            except Exception as error:
                failure = exception_failure(error)
            self._forget_partial(docname)
        report(docname, failure)
        failures(self.env)[docname] = failure
        self._read_placeholder(docname, _cache)

    def _read_placeholder(self, docname: str, _cache: bool) -> None:
        """Read an empty article in the failed one's place, until env-updated takes it
        out (:func:`leave_out_failed`): Sphinx's domains and collectors, and a parallel
        reader's merge, expect an entry for every document read."""
        settings = self.env.settings
        encoding = settings.get("input_encoding")
        _PLACEHOLDERS.add(docname)
        settings["input_encoding"] = "latin-1"  # decodes any bytes; the text is replaced
        try:
            with logging.suppress_logging():
                super().read_doc(docname, _cache=_cache)
        except Exception:  # not even an empty page: an entry in all_docs at least
            self._forget_partial(docname)
            self.env.all_docs[docname] = time.time_ns() // 1_000
        finally:
            settings["input_encoding"] = encoding
            _PLACEHOLDERS.discard(docname)

    def _failure(self, docname: str, error: Exception) -> ReadFailure | None:
        if isinstance(error, UnicodeDecodeError):
            try:
                found = decode_failure(Path(self.env.doc2path(docname)).read_bytes())
            except OSError:
                found = None
            if found is not None:
                return found
        if repair_catalog(self, docname):
            return None
        return exception_failure(error)

    def _forget_partial(self, docname: str) -> None:
        """Take out what the failed reading left behind, as Sphinx does before reading."""
        env = self.env
        self.events.emit("env-purge-doc", env, docname)
        env.clear_doc(docname)
        env.current_document = type(env.current_document)()
        env.ref_context.clear()


# -- a damaged compiled catalog


def _load_error(data: bytes) -> str | None:
    try:
        gettext.GNUTranslations(io.BytesIO(data))
    except Exception as error:  # struct.error, OSError, UnicodeDecodeError, …
        return f"{type(error).__name__}: {error}"
    return None


def _compiled_again(builder: Builder, domain: str) -> bytes | None:
    """The .mo of ``domain`` compiled from its .po, or None when that cannot be done."""
    root = confvalues.catalog_root(builder)
    folder = find_locale_folder(root, builder.config.helpsite_locale) if root else None
    if folder is None:
        return None
    po_path = folder / f"{domain}.po"
    try:
        catalog = parse_catalog_bytes(po_path.read_bytes(), str(po_path))
        data = mo_bytes(catalog, use_fuzzy=builder.config.gettext_allow_fuzzy_translations,
                        display=str(po_path))
    except Exception:  # reported by the catalog sync of the next build
        return None
    return data if _load_error(data) is None else None


def repair_catalog(builder: Builder, docname: str) -> bool:
    """When the page's compiled catalog cannot be loaded: compile it again (or remove it,
    so the page is built in the source language) and say so. False: the catalog is fine."""
    config = builder.config
    if not getattr(config, "helpsite_locale", "") or confvalues.is_source_build(config):
        return False
    domain = docname_to_domain(docname, config.gettext_compact)
    mo_path = mirror_folder(Path(builder.env.doctreedir), config.language) / f"{domain}.mo"
    try:
        problem = _load_error(mo_path.read_bytes())
    except OSError:
        return False
    if problem is None:
        return False
    data = _compiled_again(builder, domain)
    if data is not None:
        write_atomic(mo_path, data)
        outcome = "compiled again from its .po"
    else:
        mo_path.unlink(missing_ok=True)
        outcome = "removed; the article is built in the source language"
    logger.warning("%s: the compiled catalog %s cannot be loaded (%s); %s",
                   Code.BUILD_CATALOG_INVALID.code, mo_path, problem, outcome,
                   location=docname, type="helpsite", subtype=Code.BUILD_CATALOG_INVALID.code)
    return True


# -- the events


def substitute_placeholder(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``, first: the text of a placeholder read (see
    :meth:`GuardedReading._read_placeholder`)."""
    if docname in _PLACEHOLDERS:
        source[0] = PLACEHOLDER


def start_reading(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: failures are those of this build only. ``docnames`` is
    the list Sphinx reads and then writes (handlers may change it): a failed document is
    taken out of it after reading."""
    failures(env).clear()
    _READING[app] = docnames


def merge_failures(app: Sphinx, env: BuildEnvironment, docnames: set[str],
                   other: BuildEnvironment) -> None:
    """``env-merge-info``: the failures of a parallel reading process."""
    theirs = failures(other)
    failures(env).update({d: theirs[d] for d in docnames if d in theirs})


def leave_out_failed(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``, before every other handler: the failed documents are purged and
    no longer found, so nothing of the site lists them, and a page written for one by an
    earlier build is deleted (it would show what the article no longer says)."""
    outfile = getattr(app.builder, "get_outfilename", None)
    reading = _READING.pop(app, [])
    reading[:] = [d for d in reading if d not in failures(env)]
    for docname in sorted(failures(env)):
        app.events.emit("env-purge-doc", env, docname)
        env.clear_doc(docname)
        env.found_docs.discard(docname)
        if outfile is not None:
            Path(outfile(docname)).unlink(missing_ok=True)
    return []


def fail_build(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: every other page is written; a failed page makes it exit 1."""
    if exception is None and failures(app.env):
        app.statuscode = 1


def warn_unclosed_fences(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``, after the front matter was blanked (lines unchanged): each code
    fence that is never closed. Only articles with a fence are parsed again."""
    text = source[0]
    if "```" not in text and "~~~" not in text:
        return
    parsed = parse_body(text)
    for located in unclosed_fences(parsed):
        marker = located.token.markup
        logger.warning("%s: the code fence %s opened here is never closed, so the rest of "
                       "the article is shown as code; add a line %s where the code ends",
                       Code.BODY_UNCLOSED_FENCE.code, marker, marker,
                       location=(docname, located.line + 1), type="helpsite",
                       subtype=Code.BODY_UNCLOSED_FENCE.code)


def register(app: Sphinx) -> None:
    app.connect("source-read", substitute_placeholder, priority=100)
    app.connect("env-before-read-docs", start_reading)
    app.connect("env-merge-info", merge_failures)
    app.connect("env-updated", leave_out_failed, priority=100)  # before the navigation
    app.connect("build-finished", fail_build)
    app.connect("source-read", warn_unclosed_fences, priority=600)  # after pages (500)
