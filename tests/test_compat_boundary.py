"""The compatibility boundary (issue 17): no module of the helpsite package but the compat
layer (``helpsite/sphinx/compat``) reaches a private name of Sphinx, docutils, MyST,
markdown-it, Furo, Jinja2 or Babel, or puts a module into ``sys.modules``.

The scan reads every module with :mod:`ast`. A private name is ``_x`` (not a dunder). It is
a violation when it is

- imported from one of those packages (``from sphinx.x import _y``, ``import sphinx._x``);
- read as an attribute of one of their modules (``import sphinx.locale as l; l._y``);
- read as an attribute of any other value (``x._y``, ``getattr(x, "_y")``) unless helpsite
  defines ``_y`` itself: a class attribute or method, a ``self._y = ...`` assignment, a
  module-level ``_y``. Values of unknown origin may be Sphinx's, so only the names helpsite
  owns are let through — and the few names both define are listed in OWN_ATTRIBUTES with
  the reason why the access is on helpsite's object.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest
from docutils import frontend
from docutils.utils import new_document
from helpsite.sphinx.compat import (
    CompatError,
    drop_pending_transform,
    japanese_splitter_model,
    paragraph_tokens,
    set_in_configuration,
    setup_render_for,
)
from helpsite.sphinx.compat.myst_api import render_state_unchanged
from helpsite.sphinx.compat.versions import split_requirement, unsupported
from markdown_it import MarkdownIt
from myst_parser.mdit_to_docutils.base import DocutilsRenderer
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from sphinx.config import Config

PACKAGE = Path(__file__).resolve().parents[1] / "tools" / "helpsite"
COMPAT = (PACKAGE / "sphinx" / "compat.py", PACKAGE / "sphinx" / "compat")
THIRD_PARTY = ("sphinx", "docutils", "myst_parser", "markdown_it", "furo", "jinja2", "babel")

pytestmark = pytest.mark.compat  # make test-compat: the compat checks at each end

# Private names that helpsite and a third party both use, read outside compat on an object
# that is helpsite's own but not ``self`` of a helpsite class (checked by reading each site;
# keep it small), and private names of the standard library and lxml, which the boundary
# does not cover: name -> why the access is allowed.
OWN_ATTRIBUTES: dict[str, str] = {
    "_actions": "commands/__init__.py: argparse.ArgumentParser._actions (standard "
                "library), to list the subcommands in --help",
}


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_third_party(module: str | None) -> bool:
    return module is not None and module.split(".")[0] in THIRD_PARTY


@dataclass(frozen=True)
class Violation:
    path: Path
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(PACKAGE.parent)}:{self.line}: {self.what}"


@cache
def names_they_use() -> frozenset[str]:
    """Every private identifier in the sources of the third-party packages: a name helpsite
    defines too may be theirs when read on a value the scan cannot place."""
    names: set[str] = set()
    for package in THIRD_PARTY:
        root = Path(importlib.import_module(package).__file__ or "").parent
        for path in root.rglob("*.py"):
            text = path.read_text(encoding="utf-8", errors="replace")
            names.update(re.findall(r"\b(_[A-Za-z0-9]\w*)", text))
    return frozenset(names)


def package_modules() -> list[Path]:
    return sorted(
        path for path in PACKAGE.rglob("*.py")
        if not any(path == c or c in path.parents for c in COMPAT)
    )


def all_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def names_helpsite_defines(modules: list[Path]) -> set[str]:
    """Every private name a helpsite module defines: module-level names, functions,
    classes, class attributes and methods, and attributes assigned as ``obj._x = ...``."""
    names: set[str] = set()
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            names.update(defined_names(node))
    return {name for name in names if is_private(name)}


def defined_names(node: ast.AST) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        found: set[str] = set()
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Name):
                    found.add(part.id)
                elif isinstance(part, ast.Attribute) and isinstance(part.ctx, ast.Store):
                    found.add(part.attr)
        return found
    return set()


class BoundaryScan(ast.NodeVisitor):
    """The violations of one module (see the module docstring)."""

    def __init__(self, path: Path, own: set[str], theirs: frozenset[str]) -> None:
        self.path = path
        self.own = own
        self.theirs = theirs
        self.modules: set[str] = set()  # local names bound to third-party modules
        self.imported: set[str] = set()  # local names imported from third-party packages
        self.outside: set[str] = set()  # local names imported from any other package
        self.classes: list[bool] = []  # for each enclosing class: has a third-party base
        self.found: list[Violation] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(any(self.from_third_party(base) for base in node.bases))
        self.generic_visit(node)
        self.classes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        # a function nested in a method is not the class body: its ``self`` stays the same
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def from_third_party(self, base: ast.expr) -> bool:
        root = base.value if isinstance(base, ast.Subscript) else base
        while isinstance(root, ast.Attribute):
            root = root.value
        return isinstance(root, ast.Name) and (root.id in self.imported
                                               or root.id in self.modules)

    def report(self, node: ast.AST, what: str) -> None:
        self.found.append(Violation(self.path, getattr(node, "lineno", 0), what))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if not is_third_party(alias.name):
                self.outside.add(alias.asname or alias.name.split(".")[0])
                continue
            if any(is_private(part) for part in alias.name.split(".")):
                self.report(node, f"imports the private module {alias.name}")
            self.modules.add(alias.asname or alias.name.split(".")[0])
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not is_third_party(node.module):
            if not node.level:  # the standard library's or lxml's: not the boundary's
                self.outside.update(alias.asname or alias.name for alias in node.names)
            return
        module = node.module or ""
        if any(is_private(part) for part in module.split(".")):
            self.report(node, f"imports from the private module {module}")
        for alias in node.names:
            if is_private(alias.name):
                self.report(node, f"imports the private name {alias.name} from {module}")
            else:
                # a name from a third-party package may be a module (from sphinx import locale)
                self.modules.add(alias.asname or alias.name)
                self.imported.add(alias.asname or alias.name)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if is_private(node.attr):
            self.check_attribute(node, node.value, node.attr)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        function = node.func
        if (isinstance(function, ast.Name) and function.id in {"getattr", "setattr", "hasattr",
                                                                 "delattr"}
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str) and is_private(node.args[1].value)):
            self.check_attribute(node, node.args[0], node.args[1].value)
        if is_sys_modules(function, ("setdefault", "update", "__setitem__")):
            self.report(node, "puts a module into sys.modules")
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Subscript) and is_sys_modules(target.value):
                self.report(node, "puts a module into sys.modules")
        self.generic_visit(node)

    def check_attribute(self, node: ast.AST, value: ast.expr, name: str) -> None:
        root = value
        while isinstance(root, ast.Attribute):
            root = root.value
        if name in OWN_ATTRIBUTES:
            return
        if isinstance(root, ast.Name) and root.id in self.outside:
            return  # argparse._SubParsersAction, os._exit, lxml.etree._Element: not scanned
        if isinstance(root, ast.Name) and root.id in self.modules:
            self.report(node, f"reads the private {name} of the third-party module {root.id}")
        elif name not in self.own:
            self.report(node, f"reads {name}, which helpsite does not define (a third-party "
                              f"private name?)")
        elif name in self.theirs and not self.on_own_self(value):
            self.report(node, f"reads {name}, a name third-party code uses too, on a value "
                              f"that is not self of a helpsite class")

    def on_own_self(self, value: ast.expr) -> bool:
        """``self`` (directly) inside a class without a third-party base."""
        return (isinstance(value, ast.Name) and value.id in {"self", "cls"}
                and bool(self.classes) and not self.classes[-1])


def is_sys_modules(node: ast.expr, methods: tuple[str, ...] = ()) -> bool:
    """``sys.modules`` itself, or (with ``methods``) one of those methods of it."""
    if methods:
        return (isinstance(node, ast.Attribute) and node.attr in methods
                and is_sys_modules(node.value))
    return (isinstance(node, ast.Attribute) and node.attr == "modules"
            and isinstance(node.value, ast.Name) and node.value.id == "sys")


def scan(path: Path, own: set[str]) -> list[Violation]:
    visitor = BoundaryScan(path, own, names_they_use())
    visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return visitor.found


def scan_source(source: str) -> list[str]:
    """The violations the scan finds in ``source``, as the only module of the package."""
    tree = ast.parse(source)
    own = {name for node in ast.walk(tree) for name in defined_names(node) if is_private(name)}
    visitor = BoundaryScan(PACKAGE / "example.py", own, names_they_use())
    visitor.visit(tree)
    return [violation.what for violation in visitor.found]


def test_no_private_third_party_name_outside_compat() -> None:
    own = names_helpsite_defines(package_modules())
    violations = [v for path in package_modules() for v in scan(path, own)]
    assert not violations, "private third-party names outside helpsite.sphinx.compat:\n" + (
        "\n".join(map(str, violations)))


def test_the_compat_layer_exists_and_is_scanned_around() -> None:
    assert any(path.exists() for path in COMPAT)
    scanned = package_modules()
    assert scanned and not any(path.name == "compat.py" for path in scanned)


@pytest.mark.parametrize(("source", "expected"), [
    ("from sphinx.util import _private", "imports the private name _private"),
    ("import sphinx._internal", "imports the private module sphinx._internal"),
    ("from docutils._x import y", "imports from the private module docutils._x"),
    ("from sphinx import locale\nlocale._x", "third-party module locale"),
    ("import myst_parser.mdit_to_docutils.base as b\nb.x._y", "third-party module b"),
    ("def f(config):\n    return config._raw_config", "reads _raw_config"),
    ("def f(x):\n    return getattr(x, '_raw_config', {})", "reads _raw_config"),
    ("import sys\nsys.modules['soupsieve'] = object()", "sys.modules"),
    ("import sys\nsys.modules.setdefault('soupsieve', object())", "sys.modules"),
    # a subclass of a Sphinx class that reads Sphinx's private attribute on self
    ("from sphinx.search import IndexBuilder\nclass B(IndexBuilder):\n"
     "    def f(self):\n        self._titles = {}\n        return self._mapping",
     "a name third-party code uses too"),
])
def test_the_scan_finds(source: str, expected: str) -> None:
    found = scan_source(source)
    assert any(expected in what for what in found), found


@pytest.mark.parametrize("source", [
    "class A:\n    def __init__(self):\n        self._cache = {}\n    def f(self):\n"
    "        return self._cache",
    "import sphinx\nsphinx.__version__",
    "from sphinx.util import logging\nlogging.getLogger(__name__)",
    "x = {}\nx.__class__",
    "import os\nos._exit(0)",
    "from lxml import etree\nx: etree._Element",
])
def test_the_scan_lets_through(source: str) -> None:
    assert scan_source(source) == []


# -- the compat layer's checks fail loudly --------------------------------------------------

def declared_in_pyproject(distribution: str) -> str:
    data = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    for line in data["project"]["dependencies"]:
        name, specifier = split_requirement(line)
        if name == distribution:
            return specifier
    raise AssertionError(f"{distribution} is not declared in pyproject.toml")


def test_a_compat_error_names_the_installed_version_and_the_declared_range() -> None:
    error = unsupported("sphinx", "Config._raw_config")
    message = str(error)
    assert isinstance(error, CompatError)
    assert f"sphinx {metadata.version('sphinx')} does not provide" in message
    assert f"supports sphinx {declared_in_pyproject('sphinx')} (pyproject.toml)" in message
    assert "Config._raw_config" in message


@pytest.mark.parametrize(("line", "expected"), [
    ("sphinx>=8.1", ("sphinx", ">=8.1")),
    ("Sphinx>=8.1,<10", ("sphinx", ">=8.1,<10")),
    ("markdown_it_py (~=4.2)", ("markdown-it-py", "~=4.2")),
    ("myst-parser[linkify]>=4", ("myst-parser", ">=4")),
    ('pytest>=8; extra == "test"', ("", "")),
    ("furo", ("furo", "")),
])
def test_requirement_lines_are_split(line: str, expected: tuple[str, str]) -> None:
    assert split_requirement(line) == expected


def test_what_conf_py_set_without_sphinx_internals_is_an_error_not_false() -> None:
    # The old user_set read getattr(config, "_raw_config", {}): with Sphinx's attribute
    # renamed, every name looked unset and helpsite's defaults replaced the user's.
    config = Config({"html_theme": "alabaster"}, {"language": "nl"})
    assert set_in_configuration(config, "html_theme")
    assert set_in_configuration(config, "language")
    assert not set_in_configuration(config, "html_title")
    del config._raw_config
    with pytest.raises(CompatError, match=r"Config\._raw_config"):
        set_in_configuration(config, "html_theme")


def test_myst_render_state_is_compared_with_myst_own(monkeypatch: pytest.MonkeyPatch) -> None:
    assert render_state_unchanged(SphinxRenderer)
    original = DocutilsRenderer.setup_render

    def setup_render_of_a_newer_myst(self: DocutilsRenderer, options: dict, env: dict) -> None:
        original(self, options, env)
        self._footnote_state = {}  # state helpsite's copy would not set

    monkeypatch.setattr(DocutilsRenderer, "setup_render", setup_render_of_a_newer_myst)
    newer = type("RendererOfANewerMyst", (SphinxRenderer,), {})  # not yet checked
    assert not render_state_unchanged(newer)
    document = new_document("<test>", frontend.get_default_settings())
    with pytest.raises(CompatError, match="myst-parser"):
        setup_render_for(newer.__new__(newer), {"myst_config": None}, {}, document)


def test_paragraph_tokens_are_those_of_the_paragraph_rule() -> None:
    md = MarkdownIt("commonmark")
    made = paragraph_tokens(md, "some *text*", {})
    parsed = md.parse("some *text*", {})
    assert [(t.type, t.tag, t.nesting, t.block, t.level) for t in made] == [
        (t.type, t.tag, t.nesting, t.block, t.level) for t in parsed]
    assert made[0].map == parsed[0].map
    assert [c.type for c in made[1].children] == [c.type for c in parsed[1].children]


def test_a_changed_paragraph_rule_stops_the_fast_path() -> None:
    md = MarkdownIt("commonmark")
    md.disable("paragraph")
    with pytest.raises(CompatError, match="markdown-it-py"):
        paragraph_tokens(md, "text", {})


def test_a_changed_transform_list_is_an_error() -> None:
    document = new_document("<test>", frontend.get_default_settings())
    document.transformer.transforms = [("020", object, None, {})]
    drop_pending_transform(document, object)
    assert document.transformer.transforms == []
    document.transformer.transforms = [("020", object, None)]  # a layout of three
    with pytest.raises(CompatError, match="docutils"):
        drop_pending_transform(document, object)


# -- docs/architecture.md, the map that names this layer, keeps up with the package ---------

ARCHITECTURE = PACKAGE.parents[1] / "docs" / "architecture.md"


def test_the_architecture_map_names_every_package_and_only_those() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    named = set(re.findall(r"^\| `helpsite/([\w/]+)/` \|", text, flags=re.MULTILINE))
    packages = {str(path.parent.relative_to(PACKAGE)) for path in PACKAGE.rglob("__init__.py")
                if path.parent != PACKAGE}
    assert named == packages


def test_the_architecture_map_links_resolve() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", text)
    assert links and all((ARCHITECTURE.parent / link).is_file() for link in links)
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "(docs/architecture.md)" in readme


# -- process-wide state: the garbage collector is the host's --------------------------------

COLLECTOR_SCRIPT = """
import gc
from helpsite.sphinx import startup
gc.disable()  # a host that manages its collector itself
startup.resume_collection(None)
print(gc.get_freeze_count(), gc.isenabled())
startup.note_paused_collection()  # as helpsite's entry point does
startup.resume_collection(None)
print(gc.get_freeze_count() > 0, gc.isenabled())
"""


def test_the_extension_leaves_a_host_process_collector_alone() -> None:
    run = subprocess.run([sys.executable, "-c", COLLECTOR_SCRIPT], capture_output=True,
                         text=True, timeout=120, check=True)
    assert run.stdout.split() == ["0", "False", "True", "True"]


def test_the_japanese_search_script_reads_only_tables_sphinx_has() -> None:
    from helpsite.sphinx.search import tinysegmenter_tables
    from sphinx.search.ja import DefaultSplitter

    tables = tinysegmenter_tables()
    assert tables["BIAS__"] == DefaultSplitter.BIAS__
    with pytest.raises(CompatError, match=r"DefaultSplitter's tables"):
        japanese_splitter_model(frozenset({"BIAS__", "XX9__"}))  # a table of another Sphinx
