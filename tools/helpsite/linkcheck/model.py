"""The records the link checker passes around: where a link is, and what became of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from helpsite.findings import Code


class Status(StrEnum):
    """The columns of the summary table, in order."""

    OK = "ok"
    REDIRECTED = "redirected"  # works, but moved permanently: update the link
    BROKEN = "broken"
    TIMEOUT = "timeout"  # no answer in time, or rate limited beyond the cap
    UNREACHABLE = "unreachable"  # the network or the host could not be reached: unknown
    UNVERIFIED = "unverified"  # answered 401/403/503 and status_policy says "warning": unknown
    SKIPPED = "skipped"  # not a web link (mailto:, ms-settings:) or external checks off
    IGNORED = "ignored"  # matched an ignore pattern


@dataclass(frozen=True)
class SourceLocation:
    """Where a link was written: the Markdown source file and line (from the collector)."""

    path: Path
    line: int


@dataclass(slots=True)
class Occurrence:
    """One link in one built page (hundreds of thousands per site: slots, not frozen)."""

    locale: str
    page: str  # posix path relative to the locale folder
    page_path: Path  # the built file
    line: int
    url: str
    tag: str = "a"
    attribute: str = "href"
    rel: tuple[str, ...] = ()
    hreflang: str = ""
    source: SourceLocation | None = None


@dataclass(slots=True)
class LinkResult:
    occurrence: Occurrence
    status: Status
    code: Code | None = None
    message: str = ""
    final_url: str | None = None
    detail: dict[str, object] = field(default_factory=dict)
