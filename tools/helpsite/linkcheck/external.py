"""External URLs: each distinct URL requested once, politely, within bounded time.

For each canonical URL: HEAD first (GET when #fragments must be checked, or when HEAD
fails with an error status or a dropped connection, or its redirects loop or never end:
many servers answer HEAD differently); redirects followed by hand so each hop is checked by
the address policy, loops are seen, permanent moves are reported, and every hop is kept
with its status for the report; 429/503 honour Retry-After up to a cap; how 401/403/503
count is the ``status_policy`` setting's call. Concurrency is bounded overall and per host, and
the first request to a host goes alone: when it cannot connect, the host's other URLs are
not requested at all, which is what makes a run without network finish in seconds.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import email.utils
import os
import sqlite3
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC
from urllib.parse import urljoin

import httpx

from helpsite.findings import Code
from helpsite.linkcheck.cache import CachedResult, LinkCache
from helpsite.linkcheck.htmlscan import anchors_of, is_script_shell, parse_document
from helpsite.linkcheck.model import Status
from helpsite.linkcheck.resolver import (
    AddressRefused,
    DnsUnavailable,
    HostNotFound,
    Resolver,
)
from helpsite.linkcheck.settings import LinkcheckSettings
from helpsite.linkcheck.transport import GuardedTransport
from helpsite.linkcheck.urls import LinkKind, classify, host_of, normalize_external

_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_DEFAULT_RATE_LIMIT_WAIT = 1.0  # a 429 without Retry-After
# Failures a server may give to HEAD only: asked again with GET before they are reported.
_HEAD_SUSPECT = {Code.CHECK_REDIRECT_LOOP, Code.CHECK_TOO_MANY_REDIRECTS}
# Why an answer counted by status_policy tells nothing about the page itself.
_UNVERIFIED_WHY = {401: "it asks for a login", 403: "access refused, often bot protection",
                   503: "the service is down for now"}

Hop = tuple[str, int]  # a URL requested and the status it answered


def chain_text(hops: tuple[Hop, ...] | list[Hop], then: str | None = None) -> str:
    """'a (301) -> b (302) -> c (200)': every hop with its status, in order."""
    text = " -> ".join(f"{url} ({status})" for url, status in hops)
    return f"{text} -> {then}" if then else text


@dataclass(frozen=True)
class UrlCheck:
    url: str  # canonical request URL (no fragment)
    host_key: str
    need_anchors: bool = False


@dataclass(frozen=True)
class UrlOutcome:
    status: Status
    code: Code | None
    message: str
    final_url: str | None = None
    http_status: int | None = None
    anchors: frozenset[str] | None = None
    content: str = ""  # "html"/"script" (anchors known), "other" (not HTML), "" (not read)
    truncated: bool = False
    hops: tuple[Hop, ...] = ()  # every URL requested, with its status (redirects: several)
    from_cache: bool = False
    host_wide: bool = False  # a failure of the host, shared by all its URLs
    short_circuited: bool = False  # not requested because the host failed before
    retry_after: float | None = None
    retryable: bool = False


@dataclass(frozen=True)
class _Exchange:
    status: int
    reason: str
    location: str | None
    retry_after: str | None
    anchors: frozenset[str] | None
    content: str
    truncated: bool


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now())


def _chain(error: BaseException) -> list[BaseException]:
    """The error and everything it was raised from (causes, contexts, groups)."""
    found: list[BaseException] = []
    pending = [error]
    while pending:
        current = pending.pop(0)
        if any(current is seen for seen in found):
            continue
        found.append(current)
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        pending.extend(getattr(current, "exceptions", ()))
    return found


def _os_reason(error: BaseException) -> str:
    """The operating system's words for a failure ('connection refused'), when known."""
    for link in _chain(error):
        if isinstance(link, OSError) and isinstance(link.errno, int) and link.errno > 0:
            return os.strerror(link.errno).lower()
    return str(error) or type(error).__name__


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class _Host:
    """What the checker knows about one host:port during a run."""

    def __init__(self, limit: int) -> None:
        self.semaphore = asyncio.Semaphore(limit)
        self.failure: UrlOutcome | None = None
        self.probed = asyncio.Event()
        self.probing = False
        self.not_before = 0.0

    async def wait_turn(self) -> None:
        loop = asyncio.get_running_loop()
        while (delay := self.not_before - loop.time()) > 0:
            await asyncio.sleep(delay)

    def hold_off(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        self.not_before = max(self.not_before, loop.time() + seconds)


class ExternalChecker:
    """Checks a set of canonical URLs; one outcome per URL."""

    def __init__(
        self,
        settings: LinkcheckSettings,
        *,
        cache: LinkCache | None = None,
        on_done: Callable[[str, UrlOutcome], None] | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.on_done = on_done
        self.requests = 0
        self.cache_hits = 0
        self.resolver: Resolver | None = None
        self._hosts: dict[str, _Host] = {}

    def run(self, checks: list[UrlCheck]) -> dict[str, UrlOutcome]:
        """Check every URL; callable from code that already runs an event loop in this
        thread (a notebook, Playwright's sync API), where it uses a thread of its own."""
        if not _loop_running():
            # Not inside an `except` block: errors raised while checking must keep their
            # own causes (the OS error behind a refused connection), not this one.
            return asyncio.run(self.check_all(checks))
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, self.check_all(checks)).result()

    async def check_all(self, checks: list[UrlCheck]) -> dict[str, UrlOutcome]:
        settings = self.settings
        self.resolver = Resolver(
            allow_private=settings.allow_private_addresses,
            allowed_hosts=settings.allow_private_hosts,
            timeout=settings.dns_timeout,
            canary=settings.dns_canary,
        )
        self._overall = asyncio.Semaphore(settings.concurrency)
        transport = GuardedTransport(self.resolver, max_connections=settings.concurrency)
        headers = {
            "User-Agent": settings.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
            # Compressed bodies could expand past the size bound before we see them.
            "Accept-Encoding": "identity",
        }
        timeout = httpx.Timeout(settings.timeout, connect=settings.connect_timeout)
        async with httpx.AsyncClient(
            transport=transport, headers=headers, timeout=timeout,
            follow_redirects=False, trust_env=False,
        ) as client:
            self._client = client
            outcomes = await asyncio.gather(*(self._check_one(check) for check in checks))
        return {check.url: outcome for check, outcome in zip(checks, outcomes, strict=True)}

    # -- one URL -------------------------------------------------------------------------

    async def _check_one(self, check: UrlCheck) -> UrlOutcome:
        outcome = self._from_cache(check)
        if outcome is None:
            outcome = await self._check_with_host(check)
            self._store(check, outcome)
        if self.on_done:
            self.on_done(check.url, outcome)
        return outcome

    def _from_cache(self, check: UrlCheck) -> UrlOutcome | None:
        if self.cache is None:
            return None
        cached = self.cache.get(check.url)
        if cached is None or (check.need_anchors and not cached.content):
            return None
        self.cache_hits += 1
        status = Status(cached.status)
        code = Code.CHECK_REDIRECT_PERMANENT if status is Status.REDIRECTED else None
        return UrlOutcome(status, code, cached.message, cached.final_url, cached.http_status,
                          cached.anchors, cached.content, cached.truncated, cached.redirects,
                          from_cache=True)

    def _store(self, check: UrlCheck, outcome: UrlOutcome) -> None:
        if self.cache is None or outcome.status not in (Status.OK, Status.REDIRECTED):
            return  # failures are never cached: they are asked again next time
        if outcome.http_status is not None and outcome.http_status >= 400:
            return  # ok only by status_policy: a changed policy must apply next run
        try:
            self.cache.put(check.url, CachedResult(
                outcome.status.value, outcome.http_status, outcome.final_url, outcome.message,
                outcome.anchors, outcome.truncated, outcome.content, outcome.hops,
            ))
        except sqlite3.Error:
            self.cache = None  # a cache that fails (disk full) only costs time: go on without

    def _host(self, key: str) -> _Host:
        if key not in self._hosts:
            self._hosts[key] = _Host(self.settings.per_host_concurrency)
        return self._hosts[key]

    async def _check_with_host(self, check: UrlCheck) -> UrlOutcome:
        host = self._host(check.host_key)
        if host.failure is None and not host.probed.is_set():
            if not host.probing:
                # The first request to a host goes alone: if it cannot connect, no other
                # URL of the host is tried.
                host.probing = True
                try:
                    return await self._attempts(check)
                finally:
                    host.probed.set()
            await host.probed.wait()
        if host.failure is not None:
            return _short_circuit(host.failure)
        return await self._attempts(check)

    async def _attempts(self, check: UrlCheck) -> UrlOutcome:
        settings = self.settings
        host = self._host(check.host_key)
        outcome: UrlOutcome | None = None
        for attempt in range(settings.retries + 1):
            await host.wait_turn()
            outcome = await self._follow(check)
            if attempt == settings.retries:
                break
            if outcome.retry_after is not None:
                host.hold_off(min(outcome.retry_after, settings.retry_after_cap))
            elif outcome.retryable:
                await asyncio.sleep(min(0.5 * 2**attempt, settings.retry_after_cap))
            else:
                break
        assert outcome is not None
        if settings.retries and (outcome.retryable or outcome.retry_after is not None):
            message = f"{outcome.message} (after {settings.retries + 1} attempts)"
            outcome = replace(outcome, message=message)
        return replace(outcome, retry_after=None, retryable=False)

    async def _follow(self, check: UrlCheck) -> UrlOutcome:
        method = "GET" if check.need_anchors else "HEAD"
        outcome = await self._follow_with(method, check)
        if method == "HEAD" and outcome.code in _HEAD_SUSPECT:
            # Servers that answer HEAD with a redirect to itself (or to a login page that
            # redirects back) answer GET properly: only GET's answer is reported.
            outcome = await self._follow_with("GET", check)
        return outcome

    async def _follow_with(self, method: str, check: UrlCheck) -> UrlOutcome:
        url = check.url
        hops: list[Hop] = []
        permanent = False
        for _ in range(self.settings.max_redirects + 1):
            key = normalize_external(url).host_key
            failed = self._host(key).failure
            if failed is not None and url != check.url:
                return _with_chain(_short_circuit(failed), hops, url)
            try:
                exchange = await self._exchange_with_fallback(method, url, key, check)
            except Exception as error:  # every failure becomes a reported outcome
                return _with_chain(self._failure(error, url, key), hops, url)
            hops.append((url, exchange.status))
            if exchange.status in _REDIRECTS and exchange.location:
                target = urljoin(url, exchange.location)
                if classify(target) is not LinkKind.EXTERNAL:
                    return UrlOutcome(Status.BROKEN, Code.CHECK_BROKEN,
                                      f"redirects to a non-web URL: {chain_text(hops, target)}",
                                      hops=tuple(hops))
                target = normalize_external(target).request_url
                if any(target == seen for seen, _ in hops):
                    return UrlOutcome(Status.BROKEN, Code.CHECK_REDIRECT_LOOP,
                                      f"redirect loop: {chain_text(hops, target)}",
                                      hops=tuple(hops))
                permanent = permanent or exchange.status in _PERMANENT
                url = target
                continue
            return self._final(exchange, url, permanent, tuple(hops))
        return UrlOutcome(
            Status.BROKEN, Code.CHECK_TOO_MANY_REDIRECTS,
            f"more than {self.settings.max_redirects} redirects: {chain_text(hops, url)}",
            hops=tuple(hops),
        )

    async def _exchange_with_fallback(
        self, method: str, url: str, key: str, check: UrlCheck
    ) -> _Exchange:
        if method == "HEAD":
            try:
                exchange = await self._exchange("HEAD", url, key, read_body=False)
            except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
                exchange = None  # servers that drop HEAD: ask with GET
            if exchange is not None and (exchange.status < 400 or exchange.status == 429):
                return exchange
        return await self._exchange("GET", url, key, read_body=check.need_anchors)

    async def _exchange(self, method: str, url: str, key: str, *, read_body: bool) -> _Exchange:
        # The host's slot first, then one of the overall slots: a request waiting for a busy
        # host holds nothing others need, and its time limit starts only when it is sent.
        async with (
            self._host(key).semaphore,
            self._overall,
            asyncio.timeout(self.settings.timeout),
            self._client.stream(method, url) as response,
        ):
            self.requests += 1  # answered requests; failed connections are not counted
            anchors, content, truncated = None, "", False
            ok = 200 <= response.status_code < 300
            if read_body and method == "GET" and ok:
                content_type = response.headers.get("content-type", "").lower()
                if content_type.startswith(_HTML_TYPES) or not content_type:
                    body, truncated = await self._read_body(response)
                    document = parse_document(body)
                    anchors = anchors_of(document)
                    content = "script" if is_script_shell(document) else "html"
                else:
                    content = "other"
            else:
                await self._finish_small_body(response)
            return _Exchange(
                response.status_code, response.reason_phrase,
                response.headers.get("location"), response.headers.get("retry-after"),
                anchors, content, truncated,
            )

    @staticmethod
    async def _finish_small_body(response: httpx.Response) -> None:
        """Read an empty or small body to its end, so the connection can be reused (an
        unread response closes its connection); a large one is left, and closed."""
        length = response.headers.get("content-length", "")
        if response.request.method == "HEAD" or (length.isdigit() and int(length) <= 65536):
            await response.aread()

    async def _read_body(self, response: httpx.Response) -> tuple[bytes, bool]:
        """At most max_body_bytes of the body (decompressed within the bound too)."""
        limit = self.settings.max_body_bytes
        encoding = response.headers.get("content-encoding", "").strip().lower()
        inflate = None
        if encoding in ("gzip", "x-gzip", "deflate"):
            inflate = zlib.decompressobj(wbits=47)  # gzip or zlib header, detected
        elif encoding not in ("", "identity"):
            return b"", True  # an encoding we cannot read within a bound
        chunks: list[bytes] = []
        size = 0
        async for raw in response.aiter_raw():
            try:
                data = inflate.decompress(raw, limit - size + 1) if inflate else raw
            except zlib.error:
                return b"".join(chunks), True
            chunks.append(data)
            size += len(data)
            if size > limit or (inflate is not None and inflate.unconsumed_tail):
                return b"".join(chunks)[:limit], True
        return b"".join(chunks), False

    def _final(self, exchange: _Exchange, url: str, permanent: bool,
               hops: tuple[Hop, ...]) -> UrlOutcome:
        status = exchange.status
        where = f" (redirects: {chain_text(hops)})" if len(hops) > 1 else ""
        if 200 <= status < 300:
            if permanent:
                return UrlOutcome(
                    Status.REDIRECTED, Code.CHECK_REDIRECT_PERMANENT,
                    f"moved permanently to {url}; redirects: {chain_text(hops)}", url, status,
                    exchange.anchors, exchange.content, exchange.truncated, hops,
                )
            return UrlOutcome(Status.OK, None, f"{status} {exchange.reason}{where}",
                              url if len(hops) > 1 else None, status,
                              exchange.anchors, exchange.content, exchange.truncated, hops)
        retry_after = parse_retry_after(exchange.retry_after)
        policy = self.settings.policy_for(status)
        if status == 429 or (status == 503 and retry_after is not None and policy == "warning"):
            wait = retry_after if retry_after is not None else _DEFAULT_RATE_LIMIT_WAIT
            asked = ("no Retry-After" if retry_after is None
                     else f"Retry-After {retry_after:g} s")
            return UrlOutcome(
                Status.TIMEOUT, Code.CHECK_RATE_LIMITED,
                f"{status} {exchange.reason}: rate limited ({asked}; waits capped at "
                f"{self.settings.retry_after_cap:g} s){where}",
                http_status=status, hops=hops, retry_after=wait,
            )
        # A 503 with Retry-After is waited for whatever its policy; the policy says how the
        # answer counts once the retries are used up.
        counted, code, message = self._by_policy(policy, status, exchange.reason)
        asked_again = policy != "ok"  # an answer counted as ok is not worth a retry
        return UrlOutcome(counted, code, f"{message}{where}", http_status=status, hops=hops,
                          retry_after=retry_after if status == 503 and asked_again else None,
                          retryable=asked_again and status >= 500 and status != 501)

    @staticmethod
    def _by_policy(policy: str, status: int, reason: str) -> tuple[Status, Code | None, str]:
        """How an error answer counts under status_policy: status, code and message."""
        answer = f"{status} {reason}".strip()
        if policy == "ok":
            return Status.OK, None, f"{answer} (counted as ok by status_policy)"
        if policy == "warning":
            why = _UNVERIFIED_WHY.get(status, "the answer does not say whether the page exists")
            return (Status.UNVERIFIED, Code.CHECK_STATUS_UNVERIFIED,
                    f"{answer}: not verified ({why}); a warning by status_policy: open it in "
                    "a browser")
        return Status.BROKEN, Code.CHECK_BROKEN, answer

    def _failure(self, error: Exception, url: str, key: str) -> UrlOutcome:
        host = host_of(url)
        netloc = key if not key.endswith((":80", ":443")) else host
        ssl_error = next((e for e in _chain(error) if isinstance(e, ssl.SSLError)), None)
        if isinstance(error, DnsUnavailable):
            outcome = UrlOutcome(Status.UNREACHABLE, Code.CHECK_DNS_UNAVAILABLE, str(error),
                                 host_wide=True)
        elif isinstance(error, AddressRefused):
            outcome = UrlOutcome(Status.BROKEN, Code.CHECK_PRIVATE_ADDRESS, str(error),
                                 host_wide=True)
        elif isinstance(error, HostNotFound):
            outcome = UrlOutcome(Status.BROKEN, Code.CHECK_BROKEN, str(error), host_wide=True)
        elif isinstance(error, httpx.ConnectTimeout):
            outcome = UrlOutcome(
                Status.UNREACHABLE, Code.CHECK_HOST_UNREACHABLE,
                f"{netloc}: no connection within {self.settings.connect_timeout:g} s",
                host_wide=True,
            )
        elif isinstance(error, httpx.ConnectError) and ssl_error is not None:
            outcome = UrlOutcome(Status.BROKEN, Code.CHECK_BROKEN,
                                 f"{netloc}: TLS error ({ssl_error})", host_wide=True)
        elif isinstance(error, httpx.ConnectError):
            outcome = UrlOutcome(Status.UNREACHABLE, Code.CHECK_HOST_UNREACHABLE,
                                 f"{netloc}: cannot connect ({_os_reason(error)})",
                                 host_wide=True)
        elif isinstance(error, TimeoutError):
            outcome = UrlOutcome(Status.TIMEOUT, Code.CHECK_TIMEOUT,
                                 f"no complete answer within {self.settings.timeout:g} s",
                                 retryable=True)
        elif isinstance(error, httpx.TimeoutException):
            outcome = UrlOutcome(Status.TIMEOUT, Code.CHECK_TIMEOUT,
                                 f"no answer in time ({type(error).__name__})", retryable=True)
        elif isinstance(error, httpx.ReadError | httpx.WriteError | httpx.RemoteProtocolError):
            outcome = UrlOutcome(Status.BROKEN, Code.CHECK_BROKEN,
                                 f"the server closed the connection ({_os_reason(error)})",
                                 retryable=True)
        else:
            outcome = UrlOutcome(Status.BROKEN, Code.CHECK_BROKEN,
                                 f"cannot request the URL ({type(error).__name__}: {error})")
        if outcome.host_wide:
            self._host(key).failure = outcome
        return outcome


def _with_chain(outcome: UrlOutcome, hops: list[Hop], url: str) -> UrlOutcome:
    """A failure after redirects names the hops that led to it."""
    if not hops:
        return outcome
    return replace(outcome, message=f"{outcome.message} (redirects: {chain_text(hops, url)})",
                   hops=tuple(hops))


def _short_circuit(failure: UrlOutcome) -> UrlOutcome:
    return replace(failure, short_circuited=True, retryable=False, retry_after=None)
