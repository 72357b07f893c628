"""Contract: the CaptionPass document's examples against POST /v1/captions/process (Parlance's envelope).

The seed document is not in the repository; its examples are reconstructed from issue 17.2 and docs/captions.md:
a multipart upload with an optional preset (default youtube), the response's `report` with `output` beside it and
`remaining_api_runs_today`, no-store/nosniff, and 429 `quota_exceeded` once the day's runs are spent.
"""

from __future__ import annotations

from metering.plans import PLANS
from store.keys import authenticate
from tests.integration.api.conftest import Env, auth

VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.500\nWelcome back to the channel.\n\n00:00:02.600 --> 00:00:05.000\nToday we fix captions.\n"


async def test_captionpass_examples(env: Env) -> None:
    key = await env.key(plan="free", account="captionpass")
    h = auth(key)
    # Example 1: no preset → youtube (SRT out).
    r = await env.client.post("/v1/captions/process", headers=h, files={"file": ("in.vtt", VTT, "text/vtt")})
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["report"]["preset"] == "youtube" and data["report"]["input_format"] == "vtt"
    assert data["output"].startswith("1\n") and data["remaining_api_runs_today"] == PLANS["free"].caption_runs_per_day - 1
    assert {"qa_score", "diagnostics", "fixes", "cue_count"} <= set(data["report"])
    assert r.headers["cache-control"] == "no-store" and r.headers["x-content-type-options"] == "nosniff"
    # Example 2: an explicit preset and diagnose-only.
    r = await env.client.post("/v1/captions/process", headers=h, files={"file": ("in.vtt", VTT)}, data={"preset": "html5", "fix": "false"})
    assert r.status_code == 200 and r.json()["data"]["report"]["output_format"] == "vtt"
    # Example 3: the day's quota spent → 429 quota_exceeded.
    async with env.state.sessions() as session:
        principal = await authenticate(session, key)
    assert principal is not None
    while True:
        try:
            await env.state.caption_runs.reserve(principal)
        except Exception:  # noqa: BLE001 - QuotaExceeded: the quota is spent
            break
    r = await env.client.post("/v1/captions/process", headers=h, files={"file": ("in.vtt", VTT)})
    assert r.status_code == 429 and r.json()["error"]["type"] == "quota_exceeded"
