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

import functools
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import helpsite
from helpsite.files import walk_files, write_if_changed
from helpsite.locales import language_candidates, normalize_tag
from helpsite.sitebuild.plan import BuildPlan, LocaleBuild
from helpsite.sitebuild.statuspage import STATUS_PAGE

STAMP_NAME = "helpsite-build-stamp.json"
PACKAGES = ("sphinx", "myst-parser", "furo", "docutils", "markdown-it-py", "babel")
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)
WRITTEN_AFTER = {STATUS_PAGE}  # written into a locale's folder after its build
PACKAGE_DIR = Path(helpsite.__file__).resolve().parent
_NOT_INPUTS = frozenset({"__pycache__"})  # compiled modules: made by running, not inputs


def _walk(root: Path, *, stat: bool = True) -> Iterator[tuple[str, os.stat_result | None]]:
    """(name relative to ``root``, stat or None) of every file below it, in a stable
    order; ``__pycache__`` and linked folders are left out."""
    for name, entry in walk_files(root, ordered=True, skip_folders=_NOT_INPUTS):
        try:
            info = entry.stat() if stat else None
        except OSError:
            continue
        yield name, info


def _listing(digest: hashlib._Hash, label: str, root: Path, *, names_only: bool = False) -> None:
    digest.update(f"\0{label}\0".encode())
    for name, info in _walk(root, stat=not names_only):
        digest.update(name.encode("utf-8", "surrogateescape"))
        if info is not None:
            digest.update(f"\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        else:
            digest.update(b"\n")


def tree_digest(root: Path, *, names_only: bool = False) -> str:
    """Names, sizes and modification times (or names only) of every file under ``root``."""
    digest = hashlib.sha256()
    _listing(digest, "tree", root, names_only=names_only)
    return digest.hexdigest()


class Listings:
    """Tree digests computed once for a whole run: every locale's fingerprint covers the
    same articles, code and catalog names. Taken before the builds start, so an edit made
    during the builds is seen by the next run."""

    def __init__(self) -> None:
        self._digests: dict[tuple[str, bool], str] = {}
        self._lock = threading.Lock()

    def digest(self, root: Path, *, names_only: bool = False) -> str:
        key = (os.fspath(root), names_only)
        with self._lock:
            if key not in self._digests:
                self._digests[key] = tree_digest(root, names_only=names_only)
            return self._digests[key]


@functools.cache
def _versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return " ".join(found)


def locale_folders(catalog_root: Path, tag: str) -> list[Path]:
    """The folders :func:`helpsite.sphinx.catalogcompile.find_locale_folder` may pick."""
    normalized = normalize_tag(tag)
    names = language_candidates(normalized)
    return [catalog_root / name for name in names]


def input_fingerprint(plan: BuildPlan, build: LocaleBuild, command: list[str],
                      listings: Listings | None = None) -> str:
    listings = listings or Listings()
    digest = hashlib.sha256()
    digest.update(f"{helpsite.__version__}\0{_versions()}\0".encode())
    digest.update("\0".join(a for a in command if a != "-E").encode())
    for name in ENVIRONMENT:
        digest.update(f"\0{name}={os.environ.get(name, '')}".encode())
    digest.update(f"\0source\0{listings.digest(plan.source_dir)}".encode())
    conf = plan.conf_dir / "conf.py"
    digest.update(f"\0conf\0{conf.stat().st_size}\0{conf.stat().st_mtime_ns}".encode())
    digest.update(f"\0package\0{listings.digest(PACKAGE_DIR)}".encode())
    catalogs = plan.catalog_root
    if catalogs is not None:
        names = listings.digest(catalogs, names_only=True)
        digest.update(f"\0all catalogs\0{names}".encode())
        if build.tag != plan.source_locale:
            for folder in locale_folders(catalogs, build.tag):
                _listing(digest, f"catalogs {folder.name}", folder)
    return digest.hexdigest()


def output_fingerprint(html_dir: Path) -> tuple[str, int]:
    """The locale's site as its Sphinx build left it, and its number of pages (HTML files
    outside the ``_`` folders). Pages the orchestration writes into it afterwards (the
    translation-status page) have their own write-if-changed."""
    digest = hashlib.sha256()
    digest.update(b"\0site\0")
    pages = 0
    for name, info in _walk(html_dir):
        if name in WRITTEN_AFTER or info is None:
            continue
        digest.update(name.encode("utf-8", "surrogateescape"))
        digest.update(f"\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        pages += is_page(name)
    return digest.hexdigest(), pages


def is_page(name: str) -> bool:
    """An HTML file of the site outside Sphinx's ``_`` folders (``_static``, ``_images``)."""
    return name.endswith(".html") and not any(p.startswith("_") for p in name.split("/")[:-1])


def count_pages(html_dir: Path) -> int:
    return sum(is_page(name) for name, _info in _walk(html_dir, stat=False))


def stamp_path(build: LocaleBuild) -> Path:
    return build.doctree_dir / STAMP_NAME


def _recorded(build: LocaleBuild) -> dict[str, object]:
    try:
        recorded = json.loads(stamp_path(build).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return recorded if isinstance(recorded, dict) else {}


def inputs_unchanged(plan: BuildPlan, build: LocaleBuild, inputs: str) -> bool:
    """Whether the last good build was made from these inputs (the site still to check:
    :func:`site_pages`)."""
    if plan.fresh or not (build.html_dir / "index.html").is_file():
        return False
    return _recorded(build).get("inputs") == inputs


def site_pages(build: LocaleBuild) -> int | None:
    """The number of pages of the locale's site when it is as its last good build left
    it, else None."""
    outputs, pages = output_fingerprint(build.html_dir)
    return pages if _recorded(build).get("outputs") == outputs else None


def record(build: LocaleBuild, inputs: str) -> int:
    """After a successful build: what it was made from (fingerprinted before it started,
    so an edit made during the build is seen next time) and what it left; returns the
    number of pages."""
    outputs, pages = output_fingerprint(build.html_dir)
    data = {"inputs": inputs, "outputs": outputs}
    write_if_changed(stamp_path(build), (json.dumps(data, indent=1) + "\n").encode())
    return pages


def refresh_outputs(build: LocaleBuild) -> None:
    """After writing into a site its build left (the preview's search index): the stamp
    keeps its inputs and takes the site as it is now, so that the next build with the
    same inputs is up to date."""
    inputs = _recorded(build).get("inputs")
    if isinstance(inputs, str):
        record(build, inputs)


def forget(build: LocaleBuild) -> None:
    """Before a build: a failed or interrupted one must not look up to date."""
    stamp_path(build).unlink(missing_ok=True)
