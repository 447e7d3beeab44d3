"""Sites built as separate jobs: shards, and their merge into one site.

``helpsite build --locales "nl-NL de-DE" --shard-out DIR`` builds some locales into
``DIR/html/<locale>/`` and writes ``DIR/helpsite-shard.json``: the settings every shard must
share (project, configured locales, base URL, helpsite version), its locales, and the
SHA-256 of every file. ``helpsite merge SHARD... --out build/html`` checks all shards
before writing anything — same settings, each locale in one shard only, every file as the
manifest says — then copies the locale folders (only files whose bytes differ; files the
shard does not have are removed) and writes the root files exactly as a single build does
(:mod:`helpsite.sitebuild.siteroot`). Help-ID pages and ``help-ids.json`` live in the locale
folders and come along with them.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import helpsite
from helpsite.files import write_if_changed
from helpsite.findings import Code, Finding
from helpsite.locales import locale_info
from helpsite.sitebuild.plan import BuildPlan
from helpsite.sitebuild.siteroot import finish_site

MANIFEST = "helpsite-shard.json"
FORMAT = 1
SHARED_KEYS = ("project", "configured", "base_url", "helpsite")


def _files(folder: Path) -> dict[str, str]:
    found = {}
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(root, name)
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(
                path.read_bytes()).hexdigest()
    return found


def write_manifest(plan: BuildPlan, tags: list[str]) -> Path:
    """``helpsite-shard.json`` of a shard whose locales ``tags`` were built."""
    files: dict[str, str] = {}
    for tag in tags:
        folder = locale_info(tag).folder
        files.update({f"{folder}/{name}": digest
                      for name, digest in _files(plan.html_root / folder).items()})
    data = {"format": FORMAT, "helpsite": helpsite.__version__, "project": plan.project,
            "configured": plan.configured, "base_url": plan.base_url, "locales": tags,
            "files": files}
    target = plan.out_dir / MANIFEST
    write_if_changed(target, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode(),
                     durable=True)
    return target


@dataclass
class Shard:
    folder: Path
    data: dict[str, Any]

    @property
    def html(self) -> Path:
        return self.folder / "html"

    @property
    def locales(self) -> list[str]:
        return list(self.data.get("locales", []))


@dataclass
class MergeResult:
    findings: list[Finding] = field(default_factory=list)
    locales: list[str] = field(default_factory=list)
    written: int = 0  # files copied because their bytes differed
    removed: int = 0  # files the shards no longer have
    root_files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def read_shard(folder: Path, findings: list[Finding]) -> Shard | None:
    manifest = folder / MANIFEST
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a helpsite shard manifest of format 1")
    except (OSError, ValueError) as error:
        findings.append(Finding.of(Code.BUILD_SHARD_INVALID, str(manifest), 1, 1,
                                   f"cannot read the shard manifest: {error}"))
        return None
    return Shard(folder, data)


def check_shards(shards: list[Shard]) -> list[Finding]:
    findings: list[Finding] = []
    first = shards[0]
    for shard in shards[1:]:
        for key in SHARED_KEYS:
            if shard.data.get(key) != first.data.get(key):
                findings.append(Finding.of(
                    Code.BUILD_SHARD_MISMATCH, str(shard.folder / MANIFEST), 1, 1,
                    f"{key} is {shard.data.get(key)!r} here but {first.data.get(key)!r} in "
                    f"{first.folder}"))
    owner: dict[str, Path] = {}
    for shard in shards:
        for tag in shard.locales:
            if tag in owner:
                findings.append(Finding.of(
                    Code.BUILD_SHARD_OVERLAP, str(shard.folder / MANIFEST), 1, 1,
                    f"locale {tag} is also in {owner[tag]}"))
            owner.setdefault(tag, shard.folder)
        findings.extend(_check_files(shard))
    return findings


def _check_files(shard: Shard) -> list[Finding]:
    findings = []
    listed: dict[str, str] = shard.data.get("files", {})
    folders = {locale_info(tag).folder for tag in shard.locales}
    present = {}
    for folder in sorted(folders):
        present.update({f"{folder}/{name}": digest
                        for name, digest in _files(shard.html / folder).items()})
    for name in sorted(set(listed) | set(present)):
        if listed.get(name) != present.get(name):
            state = "missing" if name not in present else (
                "not in the manifest" if name not in listed else "changed")
            findings.append(Finding.of(Code.BUILD_SHARD_CORRUPT, str(shard.html / name), 1, 1,
                                       f"{state} (manifest {shard.folder / MANIFEST})"))
    return findings


def _sync_folder(source: Path, target: Path, result: MergeResult) -> None:
    """Make ``target`` hold exactly the files of ``source``; untouched when equal."""
    wanted = set()
    for root, _dirs, names in os.walk(source):
        for name in names:
            path = Path(root, name)
            relative = path.relative_to(source)
            wanted.add(relative)
            if write_if_changed(target / relative, path.read_bytes()):
                result.written += 1
    for root, dirs, names in os.walk(target, topdown=False):
        for name in names:
            path = Path(root, name)
            if path.relative_to(target) not in wanted:
                path.unlink()
                result.removed += 1
        for name in dirs:
            folder = Path(root, name)
            if not any(folder.iterdir()):
                folder.rmdir()


def merge_shards(folders: list[Path], out: Path) -> MergeResult:
    """Check every shard, then assemble the site in ``out`` (the html root)."""
    result = MergeResult()
    shards = [s for f in folders if (s := read_shard(f, result.findings)) is not None]
    if result.findings or not shards:
        return result
    result.findings.extend(check_shards(shards))
    if result.findings:
        return result  # nothing written: a broken shard must not half-replace a site
    out.mkdir(parents=True, exist_ok=True)
    for shard in shards:
        for tag in shard.locales:
            folder = locale_info(tag).folder
            _sync_folder(shard.html / folder, out / folder, result)
            result.locales.append(tag)
    first = shards[0].data
    result.root_files = finish_site(out, list(first["configured"]), str(first["project"]),
                                    str(first.get("base_url") or ""))
    return result

