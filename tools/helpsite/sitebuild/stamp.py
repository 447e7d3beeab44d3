"""Skip a locale build when nothing it depends on changed since its last good build.

Sphinx's incremental build re-reads only changed articles, but it still rewrites the search
index, the category and search pages, ``objects.inv`` and the static files on every run.
So before starting Sphinx, the orchestration compares a fingerprint of everything the
locale's site is made from — the articles and media, the locale's catalogs, the names of
every locale's catalogs (they decide the hreflang links), ``conf.py``, helpsite's own code,
templates and styles, the versions of Sphinx, MyST, Furo and docutils, the command line,
``SOURCE_DATE_EPOCH`` — and of the site as that build left it. When both match, the locale
is up to date and nothing is started or written; an edited, added or deleted output file
makes the build run again.

Fingerprints use file names, sizes and modification times (a stat per file, no reading),
so checking a 3,000-article locale takes a few hundredths of a second.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import helpsite
from helpsite.files import write_if_changed
from helpsite.locales import normalize_tag
from helpsite.sitebuild.plan import BuildPlan, LocaleBuild
from helpsite.sitebuild.status import STATUS_PAGE

STAMP_NAME = "helpsite-build-stamp.json"
PACKAGES = ("sphinx", "myst-parser", "furo", "docutils", "markdown-it-py", "babel")
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)
WRITTEN_AFTER = {STATUS_PAGE}  # written into a locale's folder after its build
PACKAGE_DIR = Path(helpsite.__file__).resolve().parent


def _walk(root: Path) -> Iterable[tuple[str, os.stat_result]]:
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = Path(folder, name)
            try:
                yield path.relative_to(root).as_posix(), path.stat()
            except OSError:
                continue


def _listing(digest: hashlib._Hash, label: str, root: Path, *, names_only: bool = False) -> None:
    digest.update(f"\0{label}\0".encode())
    for name, info in _walk(root):
        digest.update(name.encode("utf-8", "surrogateescape"))
        if not names_only:
            digest.update(f"\0{info.st_size}\0{info.st_mtime_ns}\n".encode())


def tree_digest(root: Path) -> str:
    """Names, sizes and modification times of every file under ``root``."""
    digest = hashlib.sha256()
    _listing(digest, "tree", root)
    return digest.hexdigest()


def _versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return " ".join(found)


def locale_folders(catalog_root: Path, tag: str) -> list[Path]:
    """The folders :func:`helpsite.sphinx.catalogs.find_locale_folder` may pick."""
    normalized = normalize_tag(tag)
    names = dict.fromkeys([normalized, normalized.replace("-", "_"), normalized.split("-")[0]])
    return [catalog_root / name for name in names]


def input_fingerprint(plan: BuildPlan, build: LocaleBuild, command: list[str]) -> str:
    digest = hashlib.sha256()
    digest.update(f"{helpsite.__version__}\0{_versions()}\0".encode())
    digest.update("\0".join(a for a in command if a != "-E").encode())
    for name in ENVIRONMENT:
        digest.update(f"\0{name}={os.environ.get(name, '')}".encode())
    _listing(digest, "source", plan.source_dir)
    conf = plan.conf_dir / "conf.py"
    digest.update(f"\0conf\0{conf.stat().st_size}\0{conf.stat().st_mtime_ns}".encode())
    _listing(digest, "package", PACKAGE_DIR)
    catalogs = plan.catalog_root
    if catalogs is not None:
        _listing(digest, "all catalogs", catalogs, names_only=True)
        if build.tag != plan.source_locale:
            for folder in locale_folders(catalogs, build.tag):
                _listing(digest, f"catalogs {folder.name}", folder)
    return digest.hexdigest()


def output_fingerprint(html_dir: Path) -> str:
    """The locale's site as its Sphinx build left it; pages the orchestration writes into
    it afterwards (the translation-status page) have their own write-if-changed."""
    digest = hashlib.sha256()
    digest.update(b"\0site\0")
    for name, info in _walk(html_dir):
        if name in WRITTEN_AFTER:
            continue
        digest.update(name.encode("utf-8", "surrogateescape"))
        digest.update(f"\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def stamp_path(build: LocaleBuild) -> Path:
    return build.doctree_dir / STAMP_NAME


def is_up_to_date(plan: BuildPlan, build: LocaleBuild, inputs: str) -> bool:
    if plan.fresh or not (build.html_dir / "index.html").is_file():
        return False
    try:
        recorded = json.loads(stamp_path(build).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (recorded.get("inputs") == inputs
            and recorded.get("outputs") == output_fingerprint(build.html_dir))


def record(build: LocaleBuild, inputs: str) -> None:
    """After a successful build: what it was made from (fingerprinted before it started,
    so an edit made during the build is seen next time) and what it left."""
    data = {"inputs": inputs, "outputs": output_fingerprint(build.html_dir)}
    write_if_changed(stamp_path(build), (json.dumps(data, indent=1) + "\n").encode())


def forget(build: LocaleBuild) -> None:
    """Before a build: a failed or interrupted one must not look up to date."""
    stamp_path(build).unlink(missing_ok=True)
