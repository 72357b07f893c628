"""Deliveries are signed the Standard Webhooks way: what a receiver's `standardwebhooks` library accepts, the
spec's own test vector, and secrets issued before the switch still verifying (as raw keys)."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta, timezone

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from webhooks.signing import new_secret, signed_headers

BODY = '{"event":"job.completed","metadata":{"name":"Zoë – 東京"}}'.encode()


def test_the_spec_test_vector() -> None:
    # The example in the Standard Webhooks spec (and its reference libraries' tests).
    at = datetime.fromtimestamp(1614265330, timezone.utc)
    headers = signed_headers("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", b'{"test": 2432232314}', now=at)
    assert headers == {
        "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
        "webhook-timestamp": "1614265330",
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }


def test_a_new_secret_is_in_the_spec_format_and_verifies() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32
    headers = signed_headers(secret, "dlv_1", BODY)
    assert Webhook(secret).verify(BODY, headers)["metadata"]["name"] == "Zoë – 東京"


@pytest.mark.parametrize(
    "change",
    [
        {"body": BODY + b" "},
        {"secret": "other"},
        {"webhook-id": "dlv_2"},
        {"now": datetime.now(timezone.utc) - timedelta(hours=1)},  # a captured request replayed later
    ],
)
def test_tampering_is_refused(change: dict[str, object]) -> None:
    secret = new_secret()
    headers = signed_headers(secret, "dlv_1", BODY, now=change.get("now"))  # type: ignore[arg-type]
    if "webhook-id" in change:
        headers["webhook-id"] = str(change["webhook-id"])
    verifier = Webhook(new_secret() if "secret" in change else secret)
    with pytest.raises(WebhookVerificationError):
        verifier.verify(change.get("body", BODY), headers)  # type: ignore[arg-type]


def test_a_secret_issued_before_the_switch_is_a_raw_key() -> None:
    legacy = "whsec_" + secrets.token_urlsafe(32)  # the old format: never valid padded base64
    headers = signed_headers(legacy, "dlv_1", BODY)
    assert Webhook(legacy.encode()).verify(BODY, headers, json_parse=False) is None  # verified: no exception
    with pytest.raises((WebhookVerificationError, ValueError)):  # read as base64 it is another key, or none
        Webhook(legacy).verify(BODY, headers)
