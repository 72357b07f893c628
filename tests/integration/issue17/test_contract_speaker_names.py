"""Contract: the human+ASR transcription API's "speaker name assignment" example against
PATCH /v1/jobs/{id}/speakers.

The seed document is not in the repository; the example is reconstructed from issue 17.3 and docs/api.md
("Renaming speakers"): `{"Speaker 1": "Diane"}` renames the label in the result, every export and
transcript_cleaned, and the links stay valid.
"""

from __future__ import annotations

from tests.integration.api.conftest import Env, auth
from tests.integration.issue17.test_quotes import _completed_job


async def test_speaker_name_assignment_example(env: Env) -> None:
    key = await env.key()
    h = auth(key)
    job = await _completed_job(env, key)
    links = [f"/v1/jobs/{job}/result", *(f"/v1/jobs/{job}/exports/{f}" for f in ("srt", "vtt", "txt", "json"))]
    r = await env.client.patch(f"/v1/jobs/{job}/speakers", headers=h, json={"Speaker 1": "Diane"})
    assert r.status_code == 200, r.text
    assert [s["label"] for s in r.json()["data"]] == ["Diane", "Speaker 2"]
    for link in links:  # the same links, now with the name
        r = await env.client.get(link, headers=h)
        assert r.status_code == 200 and "Diane" in r.text, link
    result = (await env.client.get(links[0], headers=h)).json()["data"]
    assert {w["speaker"] for w in result["words"]} == {"Diane", "Speaker 2"}
    r = await env.client.patch(f"/v1/jobs/{job}/speakers", headers=h, json={"Speaker 9": "Nobody"})
    assert r.status_code == 422 and r.json()["error"]["type"] == "validation_error"
