"""One signed POST to a client's URL: the URL policy checked again just before sending (a DNS answer may have
changed since the URL was accepted), the Standard Webhooks headers, no redirects followed (the client is
built with `follow_redirects=False`). Used by the delivery worker and by render batch callbacks."""

from __future__ import annotations

import httpx

from webhooks.signing import signed_headers
from webhooks.urls import check_url

USER_AGENT = "Parlance-Webhooks/1"


def new_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(follow_redirects=False, headers={"User-Agent": USER_AGENT})


async def post_signed(
    client: httpx.AsyncClient,
    url: str,
    body: bytes,
    *,
    message_id: str,
    event: str,
    secret: str,
    allow_private: bool,
    timeout_s: float,
) -> httpx.Response:
    """Raises `UrlRefused` (nothing sent) or `httpx.HTTPError`; any status is the caller's to judge."""
    await check_url(url, allow_private=allow_private)
    headers = {"Content-Type": "application/json", "X-Parlance-Event": event, **signed_headers(secret, message_id, body)}
    return await client.post(url, content=body, headers=headers, timeout=timeout_s)
