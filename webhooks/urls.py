"""Where Parlance may send requests on a client's behalf (webhooks, media_url): public addresses only unless
the setting `allow_private_urls` says otherwise (local development and tests). Standard library only."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class UrlRefused(ValueError):
    pass


def _private(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return not ip.is_global or ip.is_multicast


def check_syntax(url: str) -> str:
    """The host of an http(s) URL; raises UrlRefused."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsed lazily; a bad port raises here, not later in the HTTP client
    except ValueError as exc:  # e.g. an unbalanced '[' in the host
        raise UrlRefused(f"the URL cannot be parsed ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UrlRefused("the URL must be http(s) with a host")
    return parts.hostname


async def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse URLs whose host is, or resolves to, a private, loopback, link-local or reserved address.

    Resolution happens at check time; the dispatcher checks again just before each request so a DNS answer
    that changed after the webhook was created is caught too.
    """
    host = check_syntax(url)
    if allow_private:
        return
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        if host.lower() == "localhost" or host.lower().endswith(".localhost"):
            raise UrlRefused("the URL points at a loopback host")
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise UrlRefused(f"the host {host!r} does not resolve") from exc
        addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if any(_private(a) for a in addresses):
        raise UrlRefused("the URL points at a private, loopback or reserved address")
