"""The one gate for every file that content names: nothing outside the source tree.

Articles are the writer's, catalogs the translator's; neither may make the build read or
publish a file of the build machine. Every route by which a named file reaches the output —
images and figures, downloads, ``include``/``literalinclude``, MyST's links and includes,
``raw``/``csv-table`` with ``:file:`` (:mod:`helpsite.sphinx.filedirectives`), and any
directive that resolves its paths the Sphinx way — goes through
:meth:`BuildEnvironment.relfn2path`, and :func:`gate` sits behind it
(:func:`helpsite.sphinx.compat.hook_file_resolution`).

The gate follows symlinks (``os.path.realpath``) and refuses any file whose real path is not
inside the source folder or a folder the project allows (``helpsite_allowed_paths`` in
conf.py, relative to it). A refused name resolves to a path under ``.helpsite-refused/``
that never exists: whatever asked reads nothing and copies nothing. Each refusal is one
finding, ``build.path-outside-tree``, at the article's line, reported when the document
has been read; Sphinx's own follow-up complaint about the missing file is dropped.
"""

from __future__ import annotations

import logging as std_logging
import os
from dataclasses import dataclass
from pathlib import Path, PurePath

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.i18n import get_image_filename_for_language

from helpsite.findings import Code
from helpsite.sphinx import compat
from helpsite.sphinx.nodeplace import nearest_line

logger = logging.getLogger(__name__)

REFUSED_FOLDER = ".helpsite-refused"


@dataclass(frozen=True)
class Refusal:
    requested: str  # the name as the content wrote it
    real_path: str  # where it leads, symlinks followed
    stand_in: str  # the never-existing relative path Sphinx was given instead
    collecting: bool  # asked for by Sphinx's collectors (images, downloads), not the parser


# Refusals of the documents this process is reading, reported at doctree-read. A module
# dict, not the environment: parallel reading forks, and each worker reports its own.
_refused: dict[str, list[Refusal]] = {}
_collecting: set[str] = set()  # documents whose doctree-read has begun
# The allowed folders of each helpsite project in this process, by its source folder; set
# at builder-inited. A project that is not helpsite's keeps Sphinx's behaviour.
_roots: dict[str, tuple[Path, ...]] = {}


def allowed_roots(srcdir: str | Path, confdir: str | Path,
                  allowed: list[str] | tuple[str, ...]) -> tuple[Path, ...]:
    """The real paths of the source folder and of every folder conf.py allows."""
    roots = [Path(os.path.realpath(srcdir))]
    roots += [Path(os.path.realpath(Path(confdir) / folder)) for folder in allowed]
    return tuple(roots)


def is_inside(path: str | Path, roots: tuple[Path, ...]) -> bool:
    real = Path(os.path.realpath(path))
    return any(real == root or real.is_relative_to(root) for root in roots)


def note_roots(app: Sphinx) -> None:
    """``builder-inited``: where this project's content may take files from."""
    allowed = tuple(app.config.helpsite_allowed_paths or ())
    _roots[str(app.srcdir)] = allowed_roots(app.srcdir, app.confdir, allowed)


def _stand_in(requested: str, count: int) -> str:
    name = PurePath(requested.replace("\\", "/")).name or "file"
    return f"{REFUSED_FOLDER}/{count}/{name}"


def gate(env: BuildEnvironment, filename: str, docname: str | None, rel_fn: str,
         abs_fn: str) -> tuple[str, str]:
    """Sphinx's resolution of ``filename``, unless it leads out of the allowed folders."""
    roots = _roots.get(str(env.srcdir))
    if roots is None or is_inside(abs_fn, roots):
        return rel_fn, abs_fn
    owner = docname or env.docname
    refusals = _refused.setdefault(owner, [])
    stand_in = _stand_in(filename, len(refusals))
    refusals.append(Refusal(filename, os.path.realpath(abs_fn), stand_in,
                            owner in _collecting))
    return stand_in, os.path.join(env.srcdir, stand_in)


def _names(node: nodes.Element, text: str, *, exactly: bool) -> bool:
    for value in node.attributes.values():
        for item in value.values() if isinstance(value, dict) else [value]:
            if isinstance(item, str) and (item == text if exactly else text in item):
                return True
    return False


def _node_naming(doctree: nodes.document, refusal: Refusal,
                 claimed: set[int]) -> nodes.Element | None:
    for node in doctree.findall(nodes.Element):
        if id(node) in claimed:
            continue
        if _names(node, refusal.stand_in, exactly=False) or (
                refusal.collecting and _names(node, refusal.requested, exactly=True)):
            return node
    return None


def _source_lines(env: BuildEnvironment, docname: str) -> list[str]:
    try:
        text = Path(env.doc2path(docname)).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return text.splitlines()


def _lines_of(env: BuildEnvironment, doctree: nodes.document, docname: str,
              refusals: list[Refusal]) -> list[int | None]:
    """Each refusal's line: the node that names it (images and downloads keep theirs), else
    the next line of the source that names the file and no other refusal took — a
    directive that failed to read leaves no node, and the parser refuses in document order."""
    lines: list[int | None] = [None] * len(refusals)
    claimed: set[int] = set()
    for index, refusal in sorted(enumerate(refusals), key=lambda item: not item[1].collecting):
        node = _node_naming(doctree, refusal, claimed)
        if node is not None:
            claimed.add(id(node))
            lines[index] = nearest_line(node)
    source = _source_lines(env, docname) if None in lines else []
    for index, refusal in enumerate(refusals):
        if lines[index] is not None:
            continue
        for number, text in enumerate(source, start=1):
            if refusal.requested in text and number not in lines:
                lines[index] = number
                break
    return lines


def _probes(env: BuildEnvironment, refusals: list[Refusal]) -> set[str]:
    # Sphinx's image collector probes the localized variant of every image first
    # (figure_language_filename): a refusal of that probe is not a second finding.
    named = {r.requested for r in refusals if r.collecting}
    return {variant for name in named
            if (variant := get_image_filename_for_language(name, env)) != name}


def note_collecting(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, first: from here on, files are asked for by the collectors."""
    _collecting.add(app.env.docname)


def report_refusals(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read`` (after Sphinx's collectors): one finding per refused file."""
    docname = app.env.docname
    _collecting.discard(docname)
    refusals = _refused.pop(docname, [])
    probes = _probes(app.env, refusals)
    refusals = [r for r in refusals if not (r.collecting and r.requested in probes)]
    code = Code.BUILD_PATH_OUTSIDE_TREE
    for refusal, line in zip(refusals, _lines_of(app.env, doctree, docname, refusals),
                             strict=True):
        logger.warning(
            "%s: %r leads to %s, outside the source folder; nothing was read or copied. Move "
            "the file into the source folder, or allow its folder with helpsite_allowed_paths "
            "in conf.py", code.code, refusal.requested, refusal.real_path,
            location=(docname, line), type="helpsite", subtype=code.code)


def forget_refusals(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """``env-purge-doc``: a document read again starts with no refusals."""
    _refused.pop(docname, None)
    _collecting.discard(docname)


class _DropFollowUps(std_logging.Filter):
    """Sphinx's and MyST's "file not readable/not found" lines about a refused stand-in:
    the gate's finding already says what happened and why."""

    def filter(self, record: std_logging.LogRecord) -> bool:
        try:
            return REFUSED_FOLDER not in record.getMessage()
        except Exception:  # a record that cannot be formatted is not ours to judge
            return True


_FILTER = _DropFollowUps()


def quiet_follow_ups(app: Sphinx) -> None:
    """``builder-inited``: the filter on Sphinx's log handlers (set up by then)."""
    for handler in std_logging.getLogger("sphinx").handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)


def register(app: Sphinx) -> None:
    compat.hook_file_resolution(gate)
    app.connect("builder-inited", note_roots)
    app.connect("builder-inited", quiet_follow_ups)
    app.connect("env-purge-doc", forget_refusals)
    app.connect("doctree-read", note_collecting, priority=1)
    app.connect("doctree-read", report_refusals, priority=900)
