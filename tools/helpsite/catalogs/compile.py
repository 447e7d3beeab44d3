"""Compile PO catalogs to .mo files, only when the PO content changed.

A git checkout sets every file's mtime to "now", so Sphinx's mtime comparison would
recompile every catalog (and re-read every page that depends on it). Here each ``.mo``
has a stamp beside it (``<name>.mo.sha256``) recording the hash of the PO bytes and of
the options it was compiled with, and the hash of the ``.mo`` written; a catalog is
compiled again only when one of them differs. An untouched ``.mo`` keeps its mtime, so
Sphinx also keeps its pages.

Fuzzy translations stay out unless asked for, and so do translations that are unsafe to
publish (:func:`~helpsite.catalogs.qa.unsafe_translation_problems`): the page then shows
the source text, and the refusal is reported as a finding.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass, field
from pathlib import Path

from helpsite.catalogs.pofile import Catalog, Entry, POParseError, header_text, parse_catalog_bytes
from helpsite.catalogs.qa import check_language_header, folder_locale, unsafe_problems
from helpsite.files import write_atomic
from helpsite.findings import Code, Finding, Severity
from helpsite.locales import locale_folders

MO_MAGIC = 0x950412DE
STAMP_SUFFIX = ".sha256"
COMPILER_VERSION = "2"  # bump when the output of this module changes (2: no blank msgstrs)


@dataclass
class CompileResult:
    compiled: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"compiled": self.compiled, "unchanged": self.unchanged,
                "findings": [f.to_dict() for f in self.findings]}


def _published(entry: Entry, use_fuzzy: bool) -> bool:
    return entry.translated and (use_fuzzy or not entry.fuzzy)


def _refusals(entry: Entry, display: str) -> list[Finding]:
    findings = []
    sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid] + [
        entry.msgid_plural] * (len(entry.msgstr_plural) - 1)
    for msgid, msgstr in zip(sources, entry.translations, strict=False):
        for problem in unsafe_problems(msgid, msgstr):
            line, column = (entry.msgstr_pos.position(problem.offset) if entry.msgstr_pos
                            else (entry.line, 1))
            findings.append(Finding.of(problem.code, display, line, column,
                                       f"{problem.message}; the page shows the source text"))
    return findings


def mo_bytes(catalog: Catalog, *, use_fuzzy: bool = False, display: str = "",
             refused: list[Finding] | None = None) -> bytes:
    """The GNU .mo form of ``catalog`` (header included, sorted, no hash table)."""
    pairs: dict[bytes, bytes] = {b"": header_text(catalog.header).encode("utf-8")}
    for entry in catalog.active:
        if not _published(entry, use_fuzzy):
            continue
        problems = _refusals(entry, display)
        if problems:
            if refused is not None:
                refused.extend(problems)
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is not None:
            key += "\x00" + entry.msgid_plural
        pairs[key.encode("utf-8")] = "\x00".join(entry.translations).encode("utf-8")
    keys = sorted(pairs)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    data_at = translations_at + count * 8
    tables_o, tables_t, blob = [], [], bytearray()
    for key in keys:
        tables_o.append((len(key), data_at + len(blob)))
        blob += key + b"\x00"
    for key in keys:
        value = pairs[key]
        tables_t.append((len(value), data_at + len(blob)))
        blob += value + b"\x00"
    head = struct.pack("<7I", MO_MAGIC, 0, count, originals_at, translations_at, 0, data_at)
    table = b"".join(struct.pack("<2I", *pair) for pair in tables_o + tables_t)
    return head + table + bytes(blob)


def _stamp(po_data: bytes, use_fuzzy: bool) -> str:
    digest = hashlib.sha256(po_data)
    digest.update(f"\x00fuzzy={int(use_fuzzy)}\x00v{COMPILER_VERSION}".encode())
    return digest.hexdigest()


def _read_stamp(stamp_path: Path, mo_path: Path, po_stamp: str) -> list[Finding] | None:
    """The refusals recorded when the .mo was written, or ``None`` if it is not current."""
    try:
        first, *rest = stamp_path.read_text(encoding="utf-8").splitlines()
        mo_data = mo_path.read_bytes()
    except (OSError, ValueError):
        return None
    if first.split() != [po_stamp, hashlib.sha256(mo_data).hexdigest()]:
        return None
    try:
        return [_finding_from_dict(json.loads(line)) for line in rest]
    except (KeyError, ValueError, TypeError):
        return None


def _finding_from_dict(data: dict[str, object]) -> Finding:
    return Finding(str(data["path"]), int(str(data["line"])), int(str(data["column"])),
                   Code.by_name(str(data["code"])), str(data["message"]),
                   Severity(str(data["severity"])))


def compile_file(po_path: Path, display: str, *, use_fuzzy: bool = False,
                 result: CompileResult | None = None) -> CompileResult:
    """Compile one catalog when its stamp says the .mo is not current."""
    result = result or CompileResult()
    mo_path = po_path.with_suffix(".mo")
    stamp_path = mo_path.with_name(mo_path.name + STAMP_SUFFIX)
    try:
        po_data = po_path.read_bytes()
    except OSError as error:
        result.findings.append(Finding.of(Code.PO_UNREADABLE, display, 1, 1,
                                          f"cannot read the file: {error.strerror}"))
        return result
    po_stamp = _stamp(po_data, use_fuzzy)
    recorded = _read_stamp(stamp_path, mo_path, po_stamp)
    if recorded is not None:  # current: no parsing, the refusals are reported again
        result.findings.extend(recorded)
        result.unchanged.append(display)
        return result
    try:
        catalog = parse_catalog_bytes(po_data, display)
    except POParseError as error:
        result.findings.extend(error.findings)
        return result
    folder = folder_locale(po_path)
    wrong_language = check_language_header(catalog, folder, display) if folder else None
    if wrong_language is not None:  # French in locales/nl-NL/: no .mo, an old one goes
        result.findings.append(wrong_language)
        for path in (mo_path, stamp_path):
            path.unlink(missing_ok=True)
        return result
    refused: list[Finding] = []
    data = mo_bytes(catalog, use_fuzzy=use_fuzzy, display=display, refused=refused)
    result.findings.extend(refused)
    write_atomic(mo_path, data)
    stamp = [f"{po_stamp} {hashlib.sha256(data).hexdigest()}"]
    stamp += [json.dumps(f.to_dict(), ensure_ascii=False) for f in refused]
    write_atomic(stamp_path, ("\n".join(stamp) + "\n").encode("utf-8"))
    result.compiled.append(display)
    return result


def compile_catalogs(locales_dir: Path, locales: list[str] | None = None, *,
                     use_fuzzy: bool = False, base: Path | None = None) -> CompileResult:
    """Compile every ``locales_dir/<tag>/LC_MESSAGES/**/*.po`` whose content changed.

    For the build, before Sphinx runs. A PO file that does not parse gets a finding and
    no new .mo; unsafe translations are left out of the .mo and reported.
    """
    result = CompileResult()
    for tag in locale_folders(locales_dir, locales):
        folder = locales_dir / tag / "LC_MESSAGES"
        for po_path in sorted(folder.rglob("*.po")):
            try:
                display = str(po_path.relative_to(base)) if base else str(po_path)
            except ValueError:
                display = str(po_path)
            compile_file(po_path, display, use_fuzzy=use_fuzzy, result=result)
    return result
