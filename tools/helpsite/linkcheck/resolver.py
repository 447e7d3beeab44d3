"""Host name resolution with the address policy, and the DNS health check.

Every host is resolved here before any connection is opened, and EVERY address it resolves
to is checked: a name that resolves to a private, loopback or link-local address (a
translation linking to ``http://10.0.0.5/`` or to a name that points into the internal
network) is refused unless the configuration allows it. The connection is then opened to
the checked addresses themselves (see :mod:`helpsite.linkcheck.transport`), so a second DNS
answer cannot swap in another address.

Without network, DNS fails for every name. The first failure is checked against a name
that always resolves (the canary); when that fails too, DNS itself is unavailable and every
later look-up fails at once, reported once instead of once per host.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class ResolutionError(Exception):
    """A host cannot be used; ``str()`` says why in words for the report."""


class AddressRefused(ResolutionError):
    pass


class HostNotFound(ResolutionError):
    pass


class DnsUnavailable(ResolutionError):
    pass


def parse_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def refusal_reason(address: IPAddress) -> str | None:
    """Why an address must not be requested by default, or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_unspecified:
        return "the unspecified address (it reaches this machine)"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_private:
        return "a private address"
    if address.is_multicast or address.is_reserved:
        return "a reserved address"
    if not address.is_global:
        return "a non-public address"
    return None


class Resolver:
    """Resolves each host once per run and applies the address policy."""

    def __init__(
        self,
        *,
        allow_private: bool,
        allowed_hosts: tuple[str, ...] = (),
        timeout: float = 5.0,
        canary: str = "example.com",
    ) -> None:
        self.allow_private = allow_private
        self.allowed_hosts = {h.lower() for h in allowed_hosts}
        self.timeout = timeout
        self.canary = canary
        self.dns_works: bool | None = None  # unknown until the first look-up
        self.dns_failure = ""
        self.lookups = 0
        self._pending: dict[str, asyncio.Future[tuple[str, ...]]] = {}
        self._first_lookup = asyncio.Lock()

    async def addresses(self, host: str, port: int) -> tuple[str, ...]:
        """The addresses of ``host``, all of them allowed, or ResolutionError."""
        host = host.lower().strip("[]")
        literal = parse_ip(host)
        found = (str(literal),) if literal is not None else await self._resolve(host)
        self._check_policy(host, port, found)
        return found

    def _check_policy(self, host: str, port: int, found: tuple[str, ...]) -> None:
        if self.allow_private or host in self.allowed_hosts:
            return
        if f"{host}:{port}" in self.allowed_hosts:
            return
        for text in found:
            reason = refusal_reason(ipaddress.ip_address(text))
            if reason:
                shown = host if text == host else f"{host} ({text})"
                raise AddressRefused(
                    f"refused to connect to {shown}: {reason} "
                    "(set allow_private_addresses or allow_private_hosts to allow it)"
                )

    async def _resolve(self, host: str) -> tuple[str, ...]:
        future = self._pending.get(host)
        if future is None:
            future = asyncio.ensure_future(self._lookup(host))
            self._pending[host] = future
        return await asyncio.shield(future)

    async def _lookup(self, host: str) -> tuple[str, ...]:
        if self.dns_works is None:
            # Until DNS is known to work, look-ups go one at a time, so that without
            # network the second host already fails without asking.
            async with self._first_lookup:
                return await self._lookup_known_state(host)
        return await self._lookup_known_state(host)

    async def _lookup_known_state(self, host: str) -> tuple[str, ...]:
        if self.dns_works is False:
            raise DnsUnavailable(f"DNS resolution is unavailable ({self.dns_failure})")
        try:
            found = await self._getaddrinfo(host)
        except OSError as error:
            reason = _describe(error)
            if self.dns_works is None:
                self.dns_works = await self._canary_resolves()
                if not self.dns_works:
                    self.dns_failure = reason
                    raise DnsUnavailable(f"DNS resolution is unavailable ({reason})") from None
            raise HostNotFound(f"host {host} not found ({reason})") from None
        self.dns_works = True
        return found

    async def _canary_resolves(self) -> bool:
        if not self.canary:
            return True  # no way to tell: take the failure as the host's own
        try:
            await self._getaddrinfo(self.canary)
        except OSError:
            return False
        return True

    async def _getaddrinfo(self, host: str) -> tuple[str, ...]:
        self.lookups += 1
        loop = asyncio.get_running_loop()
        try:
            infos = await asyncio.wait_for(
                loop.getaddrinfo(host, None, type=socket.SOCK_STREAM), self.timeout
            )
        except TimeoutError:
            raise OSError(f"no answer within {self.timeout:g} s") from None
        addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise OSError("no addresses")
        return addresses


def _describe(error: OSError) -> str:
    if isinstance(error, socket.gaierror):
        return error.strerror or str(error)
    return str(error)
