"""One link-check run over the built sites of all locales.

Scan every page of every locale once (links with their lines, anchors), check internal links
against the files, gather the distinct external URLs of the whole site and check each once,
then give every link of every locale its result and turn the problems into findings.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from helpsite.findings import Code, Finding
from helpsite.linkcheck.builtsite import ROOT_LOCALE, LocaleSite, Site, discover
from helpsite.linkcheck.cache import LinkCache
from helpsite.linkcheck.external import ExternalChecker, UrlCheck, UrlOutcome, chain_text
from helpsite.linkcheck.htmlscan import scan_page
from helpsite.linkcheck.internal import (
    FileIndex,
    InternalChecker,
    fragment_found,
    fragment_is_checkable,
    looks_like_script_state,
)
from helpsite.linkcheck.model import LinkResult, Occurrence, Status
from helpsite.linkcheck.progress import Phases
from helpsite.linkcheck.report import findings_of
from helpsite.linkcheck.settings import LinkcheckSettings
from helpsite.linkcheck.sources import SourceMap
from helpsite.linkcheck.urls import LinkKind, classify, normalize_external, scheme_of


@dataclass
class LinkcheckReport:
    site: Site
    results: list[LinkResult]
    findings: list[Finding]
    missing_pages: dict[str, list[str]] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Counter[Status]]:
        table: dict[str, Counter[Status]] = {loc.name: Counter() for loc in self.site.locales}
        for result in self.results:
            table[result.occurrence.locale][result.status] += 1
        return table

    def skipped_schemes(self) -> Counter[str]:
        return Counter(str(r.detail["scheme"]) for r in self.results if "scheme" in r.detail)


def _locale_prefixes(site: Site) -> dict[str, str]:
    """Each locale folder relative to the site root ('' for the root itself)."""
    prefixes = {}
    for locale in site.locales:
        prefix = locale.root.relative_to(site.root).as_posix()
        prefixes[locale.name] = "" if prefix == "." else prefix + "/"
    return prefixes


class _Run:
    def __init__(self, site: Site, all_locales: Site, settings: LinkcheckSettings,
                 source_locale: str, site_url: str, phases: Phases) -> None:
        self.site = site
        self.site_url = site_url
        self.all_locales = all_locales
        self.settings = settings
        self.source_locale = source_locale.lower()
        self.phases = phases
        self.files = FileIndex(site.root)
        prefixes = _locale_prefixes(site)
        self.internal = InternalChecker(self.files, lambda o: prefixes[o.locale] + o.page)
        self._ignore = [re.compile(p) for p in settings.ignore]
        self._anchor_opt_out = [re.compile(p) for p in settings.anchors_ignore_for_url]

    # -- scanning ------------------------------------------------------------------------

    def scan(self) -> list[Occurrence]:
        occurrences: list[Occurrence] = []
        total = sum(len(loc.pages) for loc in self.site.locales)
        advance = self.phases.phase("Reading pages", total)
        for locale in self.site.locales:
            sources = SourceMap.load(locale.root) if locale.name != ROOT_LOCALE else None
            for page in locale.pages:
                occurrences.extend(self._scan_page(locale, page, sources))
                advance()
        return occurrences

    def _scan_page(self, locale: LocaleSite, page: str,
                   sources: SourceMap | None) -> list[Occurrence]:
        path = locale.root / page
        try:
            data = path.read_bytes()
        except OSError:
            return []
        scanned = scan_page(data)
        key = path.relative_to(self.site.root).as_posix()
        self.files.set_anchors(key, scanned.anchors)
        return [
            Occurrence(
                locale.name, page, path, link.line, link.url, link.tag,
                link.attribute, link.rel, link.hreflang,
                sources.locate(page, link.url) if sources else None,
            )
            for link in scanned.links
        ]

    # -- classifying and internal checks -------------------------------------------------

    def _as_internal(self, url: str) -> str | None:
        base = self.site_url
        if base and url.startswith(base):
            return "/" + url[len(base):].lstrip("/")
        return None

    def classify(self, occurrence: Occurrence) -> LinkResult | None:
        """The result of a link that needs no request; None for external URLs to check."""
        url = occurrence.url
        internal = self._as_internal(url)
        if internal is not None:
            return self._check_internal(occurrence, internal)
        kind = classify(url)
        if kind is LinkKind.INTERNAL:
            return self._check_internal(occurrence, url)
        if kind is LinkKind.UNSAFE:
            return LinkResult(occurrence, Status.BROKEN, Code.CHECK_UNSAFE_URL,
                              f"a {scheme_of(url)}: URL must not be published")
        if kind is LinkKind.OTHER_SCHEME:
            scheme = scheme_of(url)
            return LinkResult(occurrence, Status.SKIPPED, None, f"{scheme}: links are not "
                              "requested", detail={"scheme": scheme})
        if "canonical" in occurrence.rel:
            return LinkResult(occurrence, Status.SKIPPED, None,
                              "canonical URL of the published site (set "
                              "helpsite_base_url in conf.py to check it)")
        if any(pattern.match(url) for pattern in self._ignore):
            return LinkResult(occurrence, Status.IGNORED, None, "matches an ignore pattern")
        return None

    def _check_internal(self, occurrence: Occurrence, url: str) -> LinkResult:
        if not url:
            return LinkResult(occurrence, Status.OK)
        result = self.internal.check(occurrence, url)
        if result.status is Status.OK and occurrence.hreflang:
            return self._check_hreflang(result)
        return result

    def _check_hreflang(self, result: LinkResult) -> LinkResult:
        tag = result.occurrence.hreflang.lower()
        target = result.final_url or ""
        if tag == "x-default" or len(self.all_locales.locales) < 2 or "/" not in target:
            return result
        folder = target.split("/", 1)[0]
        if folder != tag and self.all_locales.locale(folder) is not None:
            result.status = Status.BROKEN
            result.code = Code.CHECK_HREFLANG_MISMATCH
            result.message = (f"marked hreflang='{result.occurrence.hreflang}' but leads to "
                              f"the {folder} site")
        return result

    # -- external ------------------------------------------------------------------------

    def _wants_anchor(self, request_url: str, fragment: str) -> bool:
        return (self.settings.check_anchors and fragment_is_checkable(fragment)
                and not any(p.match(request_url) for p in self._anchor_opt_out))

    def external_checks(self, pending: list[Occurrence]) -> list[UrlCheck]:
        checks: dict[str, UrlCheck] = {}
        for occurrence in pending:
            target = normalize_external(occurrence.url)
            wants = self._wants_anchor(target.request_url, target.fragment)
            known = checks.get(target.request_url)
            if known is None or (wants and not known.need_anchors):
                checks[target.request_url] = UrlCheck(target.request_url, target.host_key,
                                                      wants or bool(known and known.need_anchors))
        return list(checks.values())

    def external_result(self, occurrence: Occurrence, outcome: UrlOutcome) -> LinkResult:
        target = normalize_external(occurrence.url)
        result = LinkResult(occurrence, outcome.status, outcome.code, outcome.message,
                            outcome.final_url, detail={"url": target.request_url})
        if outcome.from_cache:
            result.detail["cached"] = True
        if outcome.short_circuited:
            result.detail["not_requested"] = True
        if len(outcome.hops) > 1 or result.code in (Code.CHECK_REDIRECT_LOOP,
                                                    Code.CHECK_TOO_MANY_REDIRECTS):
            result.detail["redirects"] = [{"url": url, "status": status}
                                          for url, status in outcome.hops]
        if outcome.status not in (Status.OK, Status.REDIRECTED):
            return result
        fragment = target.fragment
        if (not self._wants_anchor(target.request_url, fragment)
                or outcome.content not in ("html", "script")):
            return result
        if fragment_found(fragment, outcome.anchors or frozenset()):
            return result
        self._judge_anchor(result, fragment, outcome)
        if len(outcome.hops) > 1:
            result.message += f" (redirects: {chain_text(outcome.hops)})"
        return result

    def _judge_anchor(self, result: LinkResult, fragment: str, outcome: UrlOutcome) -> None:
        """A fragment not among the page's ids: unchecked when the page was cut off or
        builds its ids by script, else missing."""
        if outcome.truncated:
            result.code = Code.CHECK_ANCHOR_UNCHECKED
            result.message = (f"anchor '#{fragment}' not in the first "
                              f"{self.settings.max_body_bytes} bytes of the page")
            return
        made_by_script = _made_by_script(fragment, outcome.content)
        if made_by_script:
            result.code = Code.CHECK_ANCHOR_UNCHECKED
            result.message = (f"anchor '#{fragment}' not in the page's HTML: {made_by_script}; "
                              "once checked in a browser, add the URL to "
                              "anchors_ignore_for_url")
            return
        result.status, result.code = Status.BROKEN, Code.CHECK_ANCHOR_MISSING
        result.message = f"the page has no anchor '#{fragment}'"

    # -- pages missing in translations ---------------------------------------------------

    def missing_pages(self) -> dict[str, list[str]]:
        source = self.all_locales.locale(self.source_locale)
        if source is None:
            return {}
        expected = set(source.pages)
        return {
            locale.name: sorted(expected - set(locale.pages))
            for locale in self.site.locales
            if locale.name not in (self.source_locale, ROOT_LOCALE)
        }


def _made_by_script(fragment: str, content: str) -> str:
    """Why a fragment missing from a page's HTML may still be made by its script ('' when
    nothing says so: then it is missing)."""
    if content == "script":
        return ("the page builds its content by script (it has almost no text without it), "
                "so its ids exist only in a browser")
    if looks_like_script_state(fragment):
        return "the fragment holds '/' or '=', the form of a script's route or state, not an id"
    return ""


def check_site(
    root: Path,
    settings: LinkcheckSettings,
    *,
    source_locale: str = "en-US",
    site_url: str = "",
    locales: list[str] | None = None,
    external: bool = True,
    cache_path: Path | None = None,
    phases: Phases | None = None,
) -> LinkcheckReport:
    """Check every link of the built site under ``root``; nothing is written but the cache.

    ``site_url`` is where the site is published (conf.py's ``helpsite_base_url``):
    absolute links under it, canonical ones too, are checked against the built files."""
    started = time.monotonic()
    phases = phases or Phases()
    all_locales = discover(root)
    site = discover(root, locales) if locales else all_locales
    run = _Run(site, all_locales, settings, source_locale, site_url, phases)
    occurrences = run.scan()
    results: list[LinkResult | None] = [run.classify(o) for o in occurrences]
    pending = [o for o, r in zip(occurrences, results, strict=True) if r is None]
    checks = run.external_checks(pending)
    stats: dict[str, float] = {"pages": sum(len(loc.pages) for loc in site.locales),
                               "links": len(occurrences), "external_urls": len(checks),
                               "hosts": len({c.host_key for c in checks})}
    outcomes: dict[str, UrlOutcome] = {}
    notes: list[str] = []
    if external and checks:
        cache = _open_cache(cache_path, settings, notes)
        outcomes = _check_external(checks, settings, cache, phases, stats)
    final: list[LinkResult] = []
    for occurrence, result in zip(occurrences, results, strict=True):
        if result is None:
            outcome = outcomes.get(normalize_external(occurrence.url).request_url)
            result = (run.external_result(occurrence, outcome) if outcome else
                      LinkResult(occurrence, Status.SKIPPED, None, "external links not checked"))
        final.append(result)
    missing = run.missing_pages()
    stats["seconds"] = round(time.monotonic() - started, 2)
    return LinkcheckReport(site, final, findings_of(final, missing, site), missing, stats,
                           notes)


def _open_cache(path: Path | None, settings: LinkcheckSettings,
                notes: list[str]) -> LinkCache | None:
    """The cache, or None (with a note) when it cannot be used: it only saves time."""
    if path is None:
        return None
    try:
        return LinkCache(path, settings.cache_max_age)
    except (OSError, sqlite3.Error) as error:
        notes.append(f"the cache {path} cannot be used ({error}); every URL is requested")
        return None


def _check_external(checks: list[UrlCheck], settings: LinkcheckSettings,
                    cache: LinkCache | None, phases: Phases,
                    stats: dict[str, float]) -> dict[str, UrlOutcome]:
    advance = phases.phase("Checking external URLs", len(checks))
    checker = ExternalChecker(settings, cache=cache, on_done=lambda url, outcome: advance())
    try:
        outcomes = checker.run(checks)
    finally:
        if cache is not None:
            with contextlib.suppress(sqlite3.Error):
                cache.close()
    stats["requests"] = checker.requests
    stats["cache_hits"] = checker.cache_hits
    stats["dns_lookups"] = checker.resolver.lookups if checker.resolver else 0
    return outcomes
