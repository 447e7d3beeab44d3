"""The package's imports: no cycle between helpsite's modules, every module imports in a
fresh interpreter, and ``helpsite build`` imports and builds where the POSIX-only modules
are missing (``fcntl``, ``resource``, ``os.wait4``: Windows), simulated by a
``sitecustomize`` that every process of the build loads."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup
from helpers.site import REFUSED_CONTENT, write_project

TOOLS = Path(__file__).resolve().parents[1] / "tools"
PACKAGE = TOOLS / "helpsite"


def module_files() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its own name)."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(TOOLS).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement, in functions too (a deferred import still runs), but not
    under ``if TYPE_CHECKING:`` (never run)."""
    for node in ast.iter_child_nodes(tree):
        if _is_type_checking(node):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from _imports(node)


def imported_modules(path: Path, modules: dict[str, Path]) -> set[str]:
    """The helpsite modules ``path`` imports: ``from helpsite.x import y`` is the module
    ``helpsite.x.y`` when there is one, else ``helpsite.x``."""
    found: set[str] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        assert not (isinstance(node, ast.ImportFrom) and node.level), f"relative: {path}"
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
            continue
        for alias in node.names:
            name = f"{node.module}.{alias.name}"
            found.update({name} if name in modules else {node.module} & modules.keys())
    return found


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: imported_modules(path, modules) - {name} for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph as the list of its modules (first one repeated), or None."""
    state: dict[str, str] = {}  # "open" while on the path, "done" after

    def visit(name: str, path: list[str]) -> list[str] | None:
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                return [*path[path.index(target):], target]
            if target not in state and (cycle := visit(target, [*path, target])):
                return cycle
        state[name] = "done"
        return None

    for name in sorted(graph):
        if name not in state and (cycle := visit(name, [name])):
            return cycle
    return None


def test_find_cycle_finds_one_and_only_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "helpsite.commands" in graph["helpsite.cli"]  # the scan sees deferred imports too
    assert "helpsite.sitebuild.localeprocess" in graph["helpsite.commands.build"]
    assert find_cycle(graph) is None


def _run(script: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


IMPORT_ALL = """
import importlib, json, sys
failed = {}
for name in json.loads(sys.argv[1]):
    try:
        importlib.import_module(name)
    except BaseException as error:
        failed[name] = repr(error)
print(json.dumps(failed))
"""


def _import_all(names: list[str], env: dict[str, str] | None = None) -> dict[str, str]:
    run = subprocess.run([sys.executable, "-c", IMPORT_ALL, json.dumps(names)],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, **(env or {})})
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_every_module_imports_in_a_fresh_interpreter() -> None:
    names = [name for name in module_files() if name != "helpsite.__main__"]  # runs the CLI
    assert _import_all(names) == {}


# Windows, as far as imports go: the POSIX-only modules cannot be imported (None in
# sys.modules makes `import` raise ImportError), os has no wait4, and there is an msvcrt
# whose locking() locks bytes and raises PermissionError when another holds them (made of
# lockf, taken before fcntl goes; subprocess, which takes msvcrt for a sign of Windows,
# is imported before it). Each process that loads it notes its pid in
# HELPSITE_TEST_SHIM_LOG, so the test knows it took effect.
SITECUSTOMIZE = """
import os, subprocess, sys, types
import fcntl as _posix

def _locking(fd, mode, nbytes):
    try:
        _posix.lockf(fd, _posix.LOCK_UN if mode == 0 else _posix.LOCK_EX | _posix.LOCK_NB,
                     nbytes)
    except BlockingIOError as error:
        raise PermissionError(str(error)) from None

msvcrt = types.ModuleType("msvcrt")
msvcrt.LK_UNLCK, msvcrt.LK_NBLCK, msvcrt.locking = 0, 2, _locking
sys.modules["msvcrt"] = msvcrt
for name in ("fcntl", "resource"):
    sys.modules[name] = None
del os.wait4
with open(os.environ["HELPSITE_TEST_SHIM_LOG"], "a", encoding="utf-8") as log:
    log.write(f"{os.getpid()}\\n")
"""


def _no_posix(tmp_path: Path) -> tuple[dict[str, str], Path]:
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "shim.log"
    path = os.pathsep.join(filter(None, [str(shim), os.environ.get("PYTHONPATH")]))
    return {"PYTHONPATH": path, "HELPSITE_TEST_SHIM_LOG": str(log)}, log


def test_the_shim_takes_the_posix_modules_away(tmp_path: Path) -> None:
    env, log = _no_posix(tmp_path)
    run = _run("import os\ntry:\n    import fcntl\nexcept ImportError:\n"
               "    print('no fcntl', hasattr(os, 'wait4'))", env)
    assert run.stdout.split() == ["no", "fcntl", "False"], run.stderr
    assert len(log.read_text(encoding="utf-8").split()) == 1


def test_build_modules_import_without_posix_modules(tmp_path: Path) -> None:
    env, _log = _no_posix(tmp_path)
    names = ["helpsite.cli", "helpsite.commands.build",
             *(name for name in module_files() if name != "helpsite.__main__")]
    assert "helpsite.sitebuild.localeprocess" in names and "helpsite.catalogs.locking" in names
    assert _import_all(names, env) == {}


def test_build_help_runs_without_posix_modules(tmp_path: Path) -> None:
    env, _log = _no_posix(tmp_path)
    run = subprocess.run([sys.executable, "-m", "helpsite", "build", "--help"],
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, **env})
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("usage: helpsite build")


LOCK_CHILD = """
import os, sys
from pathlib import Path
from helpsite.catalogs.locking import LockTimeout, catalog_lock, try_lock
assert sys.modules["fcntl"] is None
folder, out = map(Path, sys.argv[1:])
try:
    with catalog_lock(folder, timeout=0.1):
        print("catalogs-taken")
except LockTimeout:
    print("catalogs-refused")
fd = os.open(out / ".helpsite-build.lock", os.O_RDWR)
print("build-taken" if try_lock(fd) else "build-refused")
"""

LOCK_HOLDER = """
import subprocess, sys
from pathlib import Path
from helpsite.catalogs.locking import catalog_lock
from helpsite.sitebuild.lock import build_lock
folder, out = map(Path, sys.argv[2:])

def other_process() -> str:
    run = subprocess.run([sys.executable, "-c", sys.argv[1], str(folder), str(out)],
                         capture_output=True, text=True, check=True)
    return " ".join(run.stdout.split())

with catalog_lock(folder), build_lock(out, wait=0):
    print(other_process())
print(other_process())
"""


def test_the_locks_work_without_fcntl(tmp_path: Path) -> None:
    """The Windows branch of both locks (msvcrt): refused to another process while held,
    taken by it once released."""
    env, _log = _no_posix(tmp_path)
    run = subprocess.run([sys.executable, "-c", LOCK_HOLDER, LOCK_CHILD,
                          str(tmp_path / "locales"), str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, **env})
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["catalogs-refused build-refused",
                                       "catalogs-taken build-taken"]


def test_build_builds_a_site_without_posix_modules(tmp_path: Path) -> None:
    root = write_project(tmp_path / "project")
    env, log = _no_posix(tmp_path)
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "helpsite", "build", "--conf-dir", str(root),
               "--source", str(root / "source"), "--out", str(root / "build"),
               "--locales", "en-US nl-NL", "--report", str(report)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600,
                         env={**os.environ, **env})
    assert run.returncode == REFUSED_CONTENT, run.stderr  # the fixture's refused scripts
    rows = {row["locale"]: row for row in json.loads(report.read_text())["locales"]}
    assert rows.keys() == {"en-US", "nl-NL"}
    assert all(row["pages"] > 0 and row["cpu_seconds"] == 0 for row in rows.values())
    # the command and both locale processes ran with the shim
    assert len(set(log.read_text(encoding="utf-8").split())) == 3
    page = root / "build" / "html" / "nl-nl" / "billing" / "pay.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.html is not None and str(soup.html.get("lang")).lower() == "nl-nl"
    paragraphs = [p.get_text(" ", strip=True) for p in soup.find_all("p")]
    assert "Deze alinea is vertaald." in paragraphs


def test_the_scan_of_a_file_sees_imports_in_functions(tmp_path: Path) -> None:
    source = textwrap.dedent("""
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from helpsite import config
        def late():
            from helpsite.sitebuild import localeprocess
    """)
    path = tmp_path / "m.py"
    path.write_text(source, encoding="utf-8")
    modules = module_files()
    assert imported_modules(path, modules) == {"helpsite.sitebuild.localeprocess"}
