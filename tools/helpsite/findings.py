"""The one registry of finding codes, and the finding record every check reports.

Every problem helpsite reports (validation, catalogs, build, link checking, import) is a
:class:`Finding` carrying a :class:`Code` from this module. Codes are stable, dotted names
grouped by concern (``yaml.syntax``, ``meta.unknown-key``); a project switches a code off,
or a whole group (``meta``), with ``suppress`` in its configuration. ``docs/finding-codes.md``
is generated from this registry, so a code is documented exactly where it is defined.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


_E, _W = Severity.ERROR, Severity.WARNING


class Code(Enum):
    """Every finding code: (stable name, default severity, what it means and how to fix it)."""

    # -- the file itself
    FILE_ENCODING = ("file.encoding", _E, "The file is not valid UTF-8. Re-save it as UTF-8.")
    FILE_EMPTY = ("file.empty", _E, "The file is empty: an article needs front matter and an H1.")
    FILE_UNREADABLE = ("file.unreadable", _E, "The file could not be read (permissions, I/O).")
    FILE_NAME = (
        "file.name",
        _W,
        "The file name has spaces, dashes other than '-', or invisible characters, which break "
        "URLs. Rename it with lowercase ASCII letters, digits and '-'.",
    )
    # -- front matter framing and YAML safety
    FM_MISSING = ("fm.missing", _E, "The article has no front matter (a '---' block at the top).")
    FM_UNTERMINATED = (
        "fm.unterminated",
        _E,
        "The front matter opened with '---' is never closed. Add a line '---' after the last key.",
    )
    YAML_SYNTAX = ("yaml.syntax", _E, "The front matter is not valid YAML.")
    YAML_DUPLICATE_KEY = (
        "yaml.duplicate-key",
        _E,
        "A key appears twice in the front matter; only one value can win. Remove one.",
    )
    YAML_ALIAS = (
        "yaml.alias",
        _E,
        "YAML anchors and aliases (&a, *a) are refused: they can expand without bound.",
    )
    YAML_TAG = (
        "yaml.tag",
        _E,
        "An explicit YAML tag (such as !!python/object) is refused; write plain values.",
    )
    YAML_TOO_LARGE = ("yaml.too-large", _E, "The front matter exceeds the size bound.")
    YAML_TOO_DEEP = ("yaml.too-deep", _E, "The front matter nests deeper than the bound.")
    YAML_NOT_MAPPING = (
        "yaml.not-mapping",
        _E,
        "The front matter must be a mapping of keys to values ('key: value' lines).",
    )
    # -- metadata (JSON Schema and the normalisation of real-world shapes)
    META_REQUIRED = ("meta.required", _E, "A required front-matter key is missing.")
    META_TYPE = ("meta.type", _E, "A front-matter value has the wrong type or form.")
    META_EMPTY = ("meta.empty", _W, "A front-matter key is present but has no value.")
    META_MISSPELLED_KEY = (
        "meta.misspelled-key",
        _E,
        "An unknown key that is very close to a known one: probably a typo, so the value is "
        "lost (a misspelled ms.custom loses the article's help IDs).",
    )
    META_UNKNOWN_KEY = ("meta.unknown-key", _W, "A front-matter key that helpsite does not know.")
    META_CUSTOM_SHAPE = (
        "meta.custom-shape",
        _W,
        "ms.custom should be a YAML list of quoted help IDs; this shape was accepted and "
        "normalised.",
    )
    META_DATE_FORMAT = (
        "meta.date-format",
        _W,
        "Dates are written MM/DD/YYYY with leading zeros (04/05/2021).",
    )
    META_DATE_INVALID = ("meta.date-invalid", _E, "The date does not exist or cannot be read.")
    META_LOCALE = ("meta.locale", _E, "The locale tag is not a known language-region (nl-NL).")
    # -- article body
    BODY_H1_MISSING = ("body.h1-missing", _E, "The article has no H1 title ('# Title').")
    BODY_H1_MULTIPLE = ("body.h1-multiple", _E, "The article has more than one H1.")
    BODY_HEADING_SKIP = (
        "body.heading-skip",
        _W,
        "A heading skips a level (an H2 followed by an H4); screen readers rely on the order.",
    )
    LINK_TARGET_MISSING = (
        "link.target-missing",
        _E,
        "A relative link or image points to a file that does not exist in the source tree.",
    )
    LINK_CASE_MISMATCH = (
        "link.case-mismatch",
        _E,
        "A relative link or image matches a file only when case is ignored; the built site is "
        "case-sensitive. Fix the case in the link or the file name.",
    )
    LINK_OUTSIDE_TREE = (
        "link.outside-tree",
        _E,
        "A relative link or image points outside the source tree; it would not be published.",
    )
    LINK_UNSAFE_SCHEME = (
        "link.unsafe-scheme",
        _E,
        "A link uses a javascript:, vbscript: or data: target, which is never published.",
    )
    LINK_EMPTY_TEXT = (
        "link.empty-text",
        _W,
        "A link has no text ([](url)): readers and screen readers see nothing to click.",
    )
    STEP_RUN_IN = (
        "step.run-in",
        _W,
        "A step number is run into a paragraph ('... details 4.To make ...'); start the step "
        "on its own line so it is numbered.",
    )
    HTML_DISALLOWED = (
        "html.disallowed",
        _W,
        "Raw HTML outside the allowlist (<a name>, <br>, <img>); it is dropped from the page.",
    )
    HTML_UNSAFE = (
        "html.unsafe",
        _E,
        "Raw HTML that can run code (<script>, on*= handlers, javascript: URLs); never published.",
    )
    # -- across the whole set of articles
    CORPUS_HELP_ID_SHARED = (
        "corpus.help-id-shared",
        _W,
        "The same help ID (ms.custom) is on several articles; readers arriving by that ID get "
        "a chooser instead of the article.",
    )
    CORPUS_TITLE_DUPLICATE = (
        "corpus.title-duplicate",
        _W,
        "Several articles have the same title; readers cannot tell them apart in search.",
    )

    def __init__(self, name: str, severity: Severity, summary: str) -> None:
        self.code = name
        self.default_severity = severity
        self.summary = summary

    @property
    def group(self) -> str:
        return self.code.split(".", 1)[0]

    @classmethod
    def by_name(cls, name: str) -> Code:
        for member in cls:
            if member.code == name:
                return member
        raise KeyError(name)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place: ``path:line:col: severity code: message``."""

    path: str
    line: int
    column: int
    code: Code
    message: str
    severity: Severity = Severity.ERROR

    @classmethod
    def of(cls, code: Code, path: str, line: int, column: int, message: str) -> Finding:
        return cls(path, max(line, 1), max(column, 1), code, message, code.default_severity)

    def format(self) -> str:
        return (
            f"{self.path}:{self.line}:{self.column}: "
            f"{self.severity.value} {self.code.code}: {self.message}"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code.code,
            "message": self.message,
        }


def is_suppressed(code: Code, suppress: Sequence[str]) -> bool:
    """A code is off when its name or its group is listed (``meta`` switches off ``meta.*``)."""
    return code.code in suppress or code.group in suppress


def apply_policy(
    findings: Iterable[Finding], *, suppress: Sequence[str] = (), strict: bool = False
) -> list[Finding]:
    """Drop suppressed findings, raise warnings to errors under ``strict``, sort by place."""
    kept = []
    for finding in findings:
        if is_suppressed(finding.code, suppress):
            continue
        if strict and finding.severity is Severity.WARNING:
            finding = Finding(
                finding.path, finding.line, finding.column, finding.code,
                finding.message, Severity.ERROR,
            )
        kept.append(finding)
    return sorted(kept, key=lambda f: (f.path, f.line, f.column, f.code.code))


def unknown_suppressions(suppress: Sequence[str]) -> list[str]:
    """Names in a ``suppress`` list that are neither a code nor a group (likely typos)."""
    known = {c.code for c in Code} | {c.group for c in Code}
    return [name for name in suppress if name not in known]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def to_json(findings: Iterable[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2)


def summary_line(findings: Sequence[Finding], files: int) -> str:
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    noun = "file" if files == 1 else "files"
    return f"{files} {noun} checked: {errors} error(s), {warnings} warning(s)"
