"""The address rate limits count a client by: IPv4 as it is, IPv6 by its /64 network.

One IPv6 host (a home line, a cloud VM) is routinely given a whole /64, so counting single
addresses would let it rotate through 2^64 of them and never hit a limit."""

import ipaddress

from flask_limiter.util import get_remote_address

IPV6_PREFIX = 64


def rate_limit_key(address: str | None = None) -> str:
    """The key for a client's address (the request's, after ProxyFix, by default)."""
    raw = address if address is not None else get_remote_address()
    try:
        ip = ipaddress.ip_address((raw or "").split("%", 1)[0])
    except ValueError:
        return raw or "unknown"
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)
