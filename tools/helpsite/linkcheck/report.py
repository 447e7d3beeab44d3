"""Turning link results into findings, a summary table, JSON and JUnit XML.

Each problem link becomes one finding at its place: the Markdown source line when the
collector recorded it, else the built page and its HTML line. Links that could not be
checked because the network or a host was unreachable are summarised once per host (and
once in all when DNS is unavailable) instead of once per link.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from rich.console import Console
from rich.table import Table

from helpsite.findings import Code, Finding, Severity, is_suppressed
from helpsite.linkcheck.builtsite import Site
from helpsite.linkcheck.htmlscan import find_column
from helpsite.linkcheck.model import LinkResult, Occurrence, Status
from helpsite.linkcheck.urls import display_host, host_of

if TYPE_CHECKING:
    from helpsite.linkcheck.runner import LinkcheckReport

_REPORTED = {Status.BROKEN, Status.TIMEOUT, Status.REDIRECTED, Status.UNVERIFIED}


def display_path(path: Path) -> str:
    """A path relative to the current folder when inside it, else absolute."""
    return _display_path(path, os.getcwd())


@lru_cache(maxsize=65536)
def _display_path(path: Path, cwd: str) -> str:
    try:
        return path.resolve().relative_to(Path(cwd).resolve()).as_posix()
    except ValueError:
        return str(path)


@lru_cache(maxsize=64)
def _page_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return []


def html_column(occurrence: Occurrence) -> int:
    return find_column(_page_lines(occurrence.page_path), occurrence.line, occurrence.url)


def _place(occurrence: Occurrence) -> tuple[str, int, int, str]:
    """(path, line, column, where the built copy is) of a link, source first."""
    built = f"{display_path(occurrence.page_path)}:{occurrence.line}"
    if occurrence.source is not None:
        source = occurrence.source
        return display_path(source.path), source.line, 1, f" (built page {built})"
    return display_path(occurrence.page_path), occurrence.line, html_column(occurrence), ""


def _link_finding(result: LinkResult) -> Finding:
    assert result.code is not None
    occurrence = result.occurrence
    path, line, column, built = _place(occurrence)
    message = f"[{occurrence.locale}] {occurrence.url}: {result.message}{built}"
    return Finding.of(result.code, path, line, column, message)


def _unreachable_findings(results: Sequence[LinkResult], site: Site) -> list[Finding]:
    groups: dict[tuple[Code, str], list[LinkResult]] = defaultdict(list)
    for result in results:
        if result.status is Status.UNREACHABLE and result.code is not None:
            host = "" if result.code is Code.CHECK_DNS_UNAVAILABLE else \
                display_host(result.occurrence.url)
            groups[(result.code, host)].append(result)
    findings = []
    for (code, host), group in groups.items():
        urls = {r.detail.get("url", r.occurrence.url) for r in group}
        first = next((r for r in group if not r.detail.get("not_requested")), group[0])
        locales = ", ".join(sorted({r.occurrence.locale for r in group}))
        if code is Code.CHECK_DNS_UNAVAILABLE:
            hosts = len({host_of(r.occurrence.url) for r in group})
            message = (f"{first.message}: {len(group)} external link(s) to {len(urls)} URL(s) "
                       f"on {hosts} host(s) were not checked ({locales}). Run again with "
                       "network access, or pass --no-external to check internal links only")
            findings.append(Finding.of(code, display_path(site.root), 1, 1, message))
            continue
        path, line, column, _ = _place(first.occurrence)
        message = (f"{first.message}; {len(group)} link(s) to {len(urls)} URL(s) on {host} "
                   f"not checked ({locales})")
        findings.append(Finding.of(code, path, line, column, message))
    return findings


def findings_of(
    results: Sequence[LinkResult], missing_pages: dict[str, list[str]], site: Site
) -> list[Finding]:
    findings = [_link_finding(r) for r in results if r.code is not None and (
        r.status in _REPORTED or r.code is Code.CHECK_ANCHOR_UNCHECKED)]
    findings.extend(_unreachable_findings(results, site))
    for locale_name, pages in missing_pages.items():
        locale = site.locale(locale_name)
        assert locale is not None
        for page in pages:
            findings.append(Finding.of(
                Code.CHECK_PAGE_MISSING, display_path(locale.root / page), 1, 1,
                f"[{locale_name}] {page} is in the source locale but not in {locale_name}",
            ))
    return findings


# -- the summary table ---------------------------------------------------------------------

_COLUMNS = [status for status in Status]


def summary_rows(report: LinkcheckReport) -> list[dict[str, Any]]:
    rows = []
    counts = report.summary()
    for locale in report.site.locales:
        row: dict[str, Any] = {"locale": locale.name, "pages": len(locale.pages)}
        row["links"] = sum(counts[locale.name].values())
        row.update({status.value: counts[locale.name][status] for status in _COLUMNS})
        row["missing_pages"] = len(report.missing_pages.get(locale.name, []))
        rows.append(row)
    return rows


def render_summary(report: LinkcheckReport, console: Console) -> None:
    rows = summary_rows(report)
    table = Table(title="Link check per locale", title_justify="left")
    headers = ["locale", "pages", "links", *[s.value for s in _COLUMNS], "missing_pages"]
    for header in headers:
        table.add_column(header.replace("_", " "), justify="left" if header == "locale"
                         else "right")
    totals: Counter[str] = Counter()
    for row in rows:
        table.add_row(*[str(row[h]) for h in headers])
        totals.update({h: row[h] for h in headers if h != "locale"})
    if len(rows) > 1:
        table.add_row("all", *[str(totals[h]) for h in headers[1:]], style="bold")
    console.print(table)
    schemes = report.skipped_schemes()
    if schemes:
        listed = ", ".join(f"{name}: {count}" for name, count in schemes.most_common())
        console.print(f"Skipped schemes: {listed}")
    for note in report.notes:
        console.print(f"note: {note}", markup=False)
    stats = report.stats
    console.print(
        f"{int(stats.get('external_urls', 0))} distinct external URL(s) on "
        f"{int(stats.get('hosts', 0))} host(s): {int(stats.get('requests', 0))} request(s), "
        f"{int(stats.get('cache_hits', 0))} from the cache; {stats.get('seconds', 0):.1f} s"
    )


# -- JSON ----------------------------------------------------------------------------------


def _result_dict(result: LinkResult) -> dict[str, Any]:
    occurrence = result.occurrence
    entry: dict[str, Any] = {
        "locale": occurrence.locale,
        "page": display_path(occurrence.page_path),
        "line": occurrence.line,
        "url": occurrence.url,
        "status": result.status.value,
        "code": result.code.code if result.code else None,
        "message": result.message,
    }
    if result.status not in (Status.OK, Status.SKIPPED, Status.IGNORED):
        entry["column"] = html_column(occurrence)
    if occurrence.source is not None:
        entry["source"] = display_path(occurrence.source.path)
        entry["source_line"] = occurrence.source.line
    if result.final_url:
        entry["final_url"] = result.final_url
    entry.update({k: v for k, v in result.detail.items() if k != "url"})
    return entry


def to_json_document(report: LinkcheckReport, findings: Sequence[Finding]) -> dict[str, Any]:
    return {
        "site": display_path(report.site.root),
        "stats": report.stats,
        "summary": summary_rows(report),
        "skipped_schemes": dict(report.skipped_schemes()),
        "missing_pages": report.missing_pages,
        "notes": report.notes,
        "findings": [f.to_dict() for f in findings],
        "results": [_result_dict(r) for r in report.results],
    }


# -- JUnit XML -----------------------------------------------------------------------------


def severity_of(code: Code, suppress: Sequence[str], strict: bool) -> Severity | None:
    if is_suppressed(code, suppress):
        return None
    return Severity.ERROR if strict else code.default_severity


def junit_xml(report: LinkcheckReport, suppress: Sequence[str] = (), strict: bool = False) -> str:
    """One test suite per locale, one test case per page; failures are error-level links."""
    suites = ElementTree.Element("testsuites", name="helpsite linkcheck")
    by_page: dict[tuple[str, str], list[LinkResult]] = defaultdict(list)
    for result in report.results:
        by_page[(result.occurrence.locale, result.occurrence.page)].append(result)
    for locale in report.site.locales:
        suite = ElementTree.SubElement(suites, "testsuite", name=f"linkcheck.{locale.name}")
        failures = 0
        pages = [*locale.pages, *report.missing_pages.get(locale.name, [])]
        missing = set(report.missing_pages.get(locale.name, []))
        for page in pages:
            case = ElementTree.SubElement(suite, "testcase", classname=f"linkcheck.{locale.name}",
                                          name=page)
            lines = []
            page_missing = severity_of(Code.CHECK_PAGE_MISSING, suppress, strict)
            if page in missing and page_missing is Severity.ERROR:
                lines.append(f"{page}: missing in {locale.name} (present in the source locale)")
            for result in by_page.get((locale.name, page), []):
                if result.code and severity_of(result.code, suppress, strict) is Severity.ERROR:
                    path, line, _, built = _place(result.occurrence)
                    lines.append(f"{path}:{line}: {result.code.code}: {result.occurrence.url}: "
                                 f"{result.message}{built}")
            if lines:
                failures += 1
                failure = ElementTree.SubElement(
                    case, "failure", message=f"{len(lines)} broken link(s)", type="linkcheck")
                failure.text = "\n".join(lines)
        unchecked = Counter(r.status.value for r in report.results
                            if r.occurrence.locale == locale.name
                            and r.status in (Status.UNREACHABLE, Status.TIMEOUT,
                                             Status.UNVERIFIED))
        if unchecked:
            out = ElementTree.SubElement(suite, "system-out")
            out.text = "links not verified: " + ", ".join(
                f"{count} {status}" for status, count in sorted(unchecked.items()))
        suite.set("tests", str(len(pages)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True)
