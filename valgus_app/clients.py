"""The address a request really comes from, behind the proxies the deployment trusts.

Production runs behind a TLS proxy (Caddyfile), so every request arrives from the proxy's own
address; rate limits and login lockouts keyed on that would put every visitor in one bucket.
The proxy appends the address it received the request from to X-Forwarded-For. Read from the
right, each address a trusted proxy (settings.TRUSTED_PROXIES) reports is believed, and the first
one that is not a trusted proxy is the client: a visitor can put anything in the header, but
what they put there sits left of what our proxy appended, so it is never reached.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or what trusted proxies say they received it from.

    The one function django-axes (AXES_CLIENT_IP_CALLABLE) and django-ratelimit
    (RATELIMIT_IP_META_KEY) use.
    """
    address = str(request.META.get("REMOTE_ADDR") or "")
    networks = _trusted(tuple(settings.TRUSTED_PROXIES))
    if not networks:
        return address
    forwarded = [
        hop.strip()
        for header in [str(request.META.get("HTTP_X_FORWARDED_FOR", ""))]
        for hop in header.split(",")
        if hop.strip()
    ]
    while _is_trusted(address, networks) and forwarded:
        hop = forwarded.pop()
        try:
            address = str(ipaddress.ip_address(hop))
        except ValueError:
            # A malformed hop: the proxy did not write it, so stop at the last one believed.
            break
    return address
