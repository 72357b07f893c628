"""Contract: the VoxChron document's examples: a JSON job with top-level `language`, `model`, `webhook_url` and
its `contextMode` (Parlance: `options.domain`), uploaded through the presigned URL, then confirmed.

The seed document is not in the repository; its examples are reconstructed from issue 17 (items 4 and 5) and
docs/api.md's JSON job creation. The local object store's upload URL is the API's own signed PUT; the S3 variant
of the same flow is tests/e2e/test_s3_store.py.
"""

from __future__ import annotations

from tests.integration.api.conftest import Env, auth
from tests.support.samples import sample_wav


async def test_voxchron_examples(env: Env) -> None:
    key = await env.key()
    h = auth(key)
    body = {"filename": "deposition.wav", "language": "en", "model": "tiny.en", "webhook_url": "https://example.com/vox",
            "options": {"domain": "legal"}}
    r = await env.client.post("/v1/jobs", headers=h, json=body)
    assert r.status_code == 201, r.text
    job = r.json()["data"]
    assert job["status"] == "pending" and job["upload_url"] and job["webhook_secret"]
    assert job["options"] == {"language": "en", "model": "tiny.en", "webhook_url": "https://example.com/vox", "domain": "legal"}
    r = await env.client.put(job["upload_url"], content=sample_wav().read_bytes(), headers={"Content-Type": "audio/wav"})
    assert r.status_code == 200, r.text
    r = await env.client.post(f"/v1/jobs/{job['id']}/uploaded", headers=h)
    assert r.status_code == 200 and r.json()["data"]["status"] == "queued"
    # contextMode values outside the bundled domains are refused, as are conflicting duplicates.
    assert (await env.client.post("/v1/jobs", headers=h, json={"filename": "a.wav", "options": {"domain": "astrology"}})).status_code == 422
    assert (await env.client.post("/v1/jobs", headers=h, json={"filename": "a.wav", "language": "de", "options": {"language": "en"}})).status_code == 422
