"""Signing per the Standard Webhooks spec (https://www.standardwebhooks.com), with its reference library.

Each request carries `webhook-id` (the delivery id: the same on every retry, for deduplication),
`webhook-timestamp` (unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`),
so a receiver in any language verifies with `standardwebhooks`' `Webhook(secret).verify(body, headers)`.

Secrets are `whsec_` + base64 of 32 random bytes, the spec's format. Secrets issued before this scheme
(`whsec_` + 43 URL-safe characters, used as a raw HMAC key) keep working: they are never valid padded
base64, so they are recognised and their UTF-8 bytes are the key, which receivers pass the same way (Python
`Webhook(secret.encode())`, JavaScript `new Webhook(secret, {format: "raw"})`, Go `NewWebhookRaw`).
"""

from __future__ import annotations

import base64
import binascii
import math
import secrets
from datetime import datetime, timezone

from standardwebhooks import Webhook

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signer(secret: str) -> Webhook:
    """The library's signer for a stored secret, either format (see the module docstring)."""
    body = secret.removeprefix(PREFIX)
    try:
        key = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    return Webhook(key if key else secret.encode())


def signed_headers(secret: str, message_id: str, body: bytes, *, now: datetime | None = None) -> dict[str, str]:
    """The three Standard Webhooks headers for `body` (the exact bytes sent)."""
    at = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)  # the library reads it as UTC
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(math.floor(at.timestamp())),
        "webhook-signature": signer(secret).sign(message_id, at, body.decode()),
    }
