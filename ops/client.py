"""Who is on the other end of a request: the one place that reads a client's address.

Behind a reverse proxy REMOTE_ADDR is the proxy. The address the proxy saw is trusted only when
the request arrived from an address in TRUSTED_PROXIES: X-Forwarded-For is then read from the
right (the entry the nearest proxy appended) past every trusted proxy, and the first address that
is not one of them is the client. A forwarded header from any other peer is ignored, so a reader
who talks to the app directly cannot pick an address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address, as the nearest trusted proxy (or the socket) saw it."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _is_trusted(_parse(remote), networks):
        return remote
    nearest = remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(entry)
        if address is None:
            break  # a malformed hop: trust nothing beyond the last proxy we know
        nearest = str(address)
        if not _is_trusted(address, networks):
            break
    return nearest
