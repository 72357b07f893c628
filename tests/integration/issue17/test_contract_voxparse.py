"""Contract: the VoxParse (call analysis) document's examples: its requests authenticate with `X-API-Key`.

The seed document is not in the repository; the examples are reconstructed from issue 17.5 and docs/api.md /
docs/analysis.md: submit a call with analysis, read the job and its analysis fields, all with `X-API-Key`. The
analysis output itself needs the model and the worker and is checked in tests/e2e/test_call_analysis.py; here
the contract is the header, the options and the envelope.
"""

from __future__ import annotations

import json

from tests.integration.api.conftest import Env
from tests.support.samples import sample_wav


async def test_voxparse_examples(env: Env) -> None:
    key = await env.key()
    h = {"X-API-Key": key}
    options = {"analysis": "pro", "analysis_fields": ["call_summary", "call_outcome", "sentiment"], "diarization": {"enabled": True}}
    r = await env.client.post("/v1/jobs", headers=h, files={"file": ("call.wav", sample_wav().read_bytes(), "audio/wav")}, data={"options": json.dumps(options)})
    assert r.status_code == 201, r.text
    job = r.json()["data"]
    assert job["options"]["analysis"] == "pro" and job["status"] == "queued"
    assert (await env.client.get(f"/v1/jobs/{job['id']}", headers=h)).json()["data"]["id"] == job["id"]
    r = await env.client.get(f"/v1/jobs/{job['id']}/result", headers=h)
    assert r.status_code == 404 and r.json()["error"]["type"] == "not_found", "no result before completion"
    assert (await env.client.get("/v1/jobs", headers={"X-API-Key": "sk_live_wrong"})).status_code == 401
