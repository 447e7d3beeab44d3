"""The ``[tool.helpsite.linkcheck]`` settings: one typed, validated dataclass.

Every field carries its own validator in its metadata (the way MyST-Parser declares its
configuration), so a wrong type or an out-of-range value stops the run with a message that
names the setting, what it must be and what was given; an unknown key gets a "did you mean".
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from helpsite import __version__
from helpsite.config import ConfigError

TABLE = "[tool.helpsite.linkcheck]"

Validator = Callable[[str, Any], Any]

# Settings that moved out of the table: where they live now. A fact has one home, and
# the published address of the site is conf.py's (Sphinx needs it for the pages).
MOVED = {"site_url": "helpsite_base_url in conf.py (helpsite linkcheck reads it there; "
                     "--site-url for a site built elsewhere)"}


def _number(minimum: float, *, exclusive: bool = False) -> Validator:
    def check(name: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{TABLE} {name} must be a number (got {value!r})")
        if value < minimum or (exclusive and value == minimum):
            relation = ">" if exclusive else ">="
            raise ConfigError(f"{TABLE} {name} must be {relation} {minimum} (got {value!r})")
        return float(value)

    return check


def _integer(minimum: int) -> Validator:
    def check(name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{TABLE} {name} must be a whole number (got {value!r})")
        if value < minimum:
            raise ConfigError(f"{TABLE} {name} must be >= {minimum} (got {value!r})")
        return value

    return check


def _boolean(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{TABLE} {name} must be true or false (got {value!r})")
    return value


def _string(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{TABLE} {name} must be a string (got {value!r})")
    return value


def _strings(name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{TABLE} {name} must be a list of strings (got {value!r})")
    return tuple(value)


def _patterns(name: str, value: Any) -> tuple[str, ...]:
    patterns = _strings(name, value)
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ConfigError(
                f"{TABLE} {name}: {pattern!r} is not a valid regular expression ({error})"
            ) from error
    return patterns


# How an error answer counts: "error" (check.broken), "warning" (check.status-unverified:
# the state is unknown) or "ok". Statuses not listed are errors.
POLICIES = ("error", "warning", "ok")
# 401/403 mostly mean "log in" or bot protection, 503 "down for now": none says the page is
# gone. Sphinx counts 503 as ignored and 401 as broken unless linkcheck_allow_unauthorized;
# lychee's users add 403 and 429 to `accept` for bot walls. A warning keeps them visible
# without failing the run; --strict or "error" makes them fail it.
DEFAULT_STATUS_POLICY: tuple[tuple[int, str], ...] = ((401, "warning"), (403, "warning"),
                                                      (503, "warning"))
_RATE_LIMIT_STATUS = 429


def _status_key(name: str, key: Any) -> int:
    text = str(key).strip()
    if isinstance(key, bool) or not text.isdigit() or not 400 <= int(text) <= 599:
        raise ConfigError(f"{TABLE} {name}: {key!r} is not an HTTP error status "
                          "(a number from 400 to 599, such as \"403\")")
    if int(text) == _RATE_LIMIT_STATUS:
        raise ConfigError(f"{TABLE} {name}: 429 is rate limiting, waited for with "
                          "Retry-After and reported as check.rate-limited; it takes no policy")
    return int(text)


def _status_policy(name: str, value: Any) -> tuple[tuple[int, str], ...]:
    """A table {403 = "warning", ...} merged over the defaults, as sorted pairs (the
    settings are frozen and hashable; the pairs are accepted again by replace())."""
    pairs = isinstance(value, list | tuple) and all(
        isinstance(entry, list | tuple) and len(entry) == 2 for entry in value)
    if not isinstance(value, dict) and not pairs:
        raise ConfigError(f"{TABLE} {name} must be a table such as "
                          f'{{ 403 = "warning", 503 = "error" }} (got {value!r})')
    merged = dict(DEFAULT_STATUS_POLICY)
    for key, policy in value.items() if isinstance(value, dict) else value:
        status = _status_key(name, key)
        if policy not in POLICIES:
            raise ConfigError(f"{TABLE} {name}: {status} must be one of "
                              f"{', '.join(repr(p) for p in POLICIES)} (got {policy!r})")
        merged[status] = policy
    return tuple(sorted(merged.items()))


def _setting(default: Any, validator: Validator, doc: str) -> Any:
    return field(default=default, metadata={"validator": validator, "doc": doc})


@dataclass(frozen=True)
class LinkcheckSettings:
    """How the link checker behaves; every setting has a safe default."""

    timeout: float = _setting(
        20.0, _number(0, exclusive=True),
        "Seconds one request may take in total (connect, headers and body), so a server "
        "that drips bytes cannot hold the run.",
    )
    connect_timeout: float = _setting(
        5.0, _number(0, exclusive=True), "Seconds to open a connection."
    )
    dns_timeout: float = _setting(
        5.0, _number(0, exclusive=True), "Seconds to resolve a host name."
    )
    retries: int = _setting(
        2, _integer(0), "Extra attempts after a timeout, a reset connection, 429 or 503."
    )
    concurrency: int = _setting(16, _integer(1), "Requests in flight at once, overall.")
    per_host_concurrency: int = _setting(
        2, _integer(1), "Requests in flight at once to one host (host:port)."
    )
    max_redirects: int = _setting(10, _integer(0), "Redirects followed before giving up.")
    retry_after_cap: float = _setting(
        60.0, _number(0),
        "Longest wait, in seconds, honoured from a Retry-After header (429, 503).",
    )
    cache_max_age: float = _setting(
        86400.0, _number(0),
        "Seconds a successful result stays valid in the cache (0: always re-check).",
    )
    cache_path: str = _setting(
        "build/linkcheck/cache.sqlite", _string,
        "The SQLite cache, relative to the folder of pyproject.toml.",
    )
    ignore: tuple[str, ...] = _setting(
        (), _patterns,
        "Regular expressions; a URL matching one from its start is not checked (ignored).",
    )
    anchors_ignore_for_url: tuple[str, ...] = _setting(
        (), _patterns,
        "Regular expressions; for a URL matching one, the #fragment is not checked "
        "(pages that build their anchors with JavaScript).",
    )
    check_anchors: bool = _setting(True, _boolean, "Check #fragments of external pages.")
    status_policy: tuple[tuple[int, str], ...] = _setting(
        DEFAULT_STATUS_POLICY, _status_policy,
        "How an error answer counts, per HTTP status: 'error', 'warning' "
        "(check.status-unverified) or 'ok'; merged over the default "
        "{401 = 'warning', 403 = 'warning', 503 = 'warning'}; other statuses are errors.",
    )
    allow_private_addresses: bool = _setting(
        False, _boolean,
        "Request hosts that resolve to private, loopback or link-local addresses.",
    )
    allow_private_hosts: tuple[str, ...] = _setting(
        (), _strings,
        "Hosts ('intranet.contoso.com' or 'host:port') that may resolve to private "
        "addresses even when allow_private_addresses is false.",
    )
    max_body_bytes: int = _setting(
        5 * 1024 * 1024, _integer(1024),
        "Bytes of a response body read at most (to find #fragments).",
    )
    user_agent: str = _setting(
        f"Mozilla/5.0 (compatible; helpsite-linkcheck/{__version__})", _string,
        "The User-Agent header sent with every request.",
    )
    dns_canary: str = _setting(
        "example.com", _string,
        "A host name that always resolves; when it does not either, DNS itself is "
        "unavailable and is reported once instead of once per host ('' to disable).",
    )

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = spec.metadata["validator"](spec.name, getattr(self, spec.name))
            object.__setattr__(self, spec.name, value)

    @classmethod
    def from_table(cls, table: Any) -> LinkcheckSettings:
        """Settings from the TOML table; unknown keys and bad values raise ConfigError."""
        if table is None:
            return cls()
        if not isinstance(table, dict):
            raise ConfigError(f"{TABLE} must be a table")
        known = [spec.name for spec in fields(cls)]
        for key in table:
            if key in MOVED:
                raise ConfigError(f"{TABLE} {key} is no longer read: set {MOVED[key]}")
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise ConfigError(f"unknown setting '{key}' in {TABLE}{hint}")
        return cls(**table)

    def policy_for(self, status: int) -> str:
        """'error', 'warning' or 'ok': how an answer with this error status counts."""
        return dict(self.status_policy).get(status, "error")

    def replace(self, **changes: Any) -> LinkcheckSettings:
        """A copy with some settings changed (validated like the table)."""
        return dataclasses.replace(self, **changes)


def settings_reference() -> list[tuple[str, Any, str]]:
    """(name, default, description) of every setting, for documentation and --help."""
    return [(s.name, s.default, s.metadata["doc"]) for s in fields(LinkcheckSettings)]
