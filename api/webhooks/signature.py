"""Webhook signatures: how Parlance signs a delivery and how a receiver checks it. Standard library only, so
a receiver can copy this file as is.

Parlance sends `X-Parlance-Timestamp: <unix seconds>` and
`X-Parlance-Signature: sha256=<hex HMAC-SHA256 of "{timestamp}.{raw body}" keyed with the secret>`.
A receiver recomputes the HMAC over the *raw* body bytes (before any JSON parsing), compares in constant
time, and refuses timestamps older than a few minutes so a captured request cannot be replayed later.

    from api.webhooks.signature import verify
    if not verify(secret, request.headers["X-Parlance-Timestamp"], raw_body,
                  request.headers["X-Parlance-Signature"]):
        return 400
"""

from __future__ import annotations

import hashlib
import hmac
import time

SCHEME = "sha256"
DEFAULT_TOLERANCE_S = 300


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The header value: 'sha256=<hex>'."""
    message = str(timestamp).encode() + b"." + body
    return f"{SCHEME}=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    timestamp: int | str,
    body: bytes,
    signature: str,
    *,
    tolerance_s: int | None = DEFAULT_TOLERANCE_S,
    now: float | None = None,
) -> bool:
    """True when `signature` is Parlance's for this body and timestamp, and the timestamp is fresh."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    if tolerance_s is not None and abs((time.time() if now is None else now) - ts) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature.strip())
