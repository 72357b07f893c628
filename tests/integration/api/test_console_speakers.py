"""PATCH /v1/jobs/{id}/speakers and the console's session rules, on a real app (SQLite, chDB, local Kafka) over
ASGI. The browser test (tests/browser) drives the same pages in Chromium with the real model."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

from api.console import session as console_session
from schemas.events import JobCompleted, JobCompletedPayload
from schemas.result import Segment, SpeakerSummary, Transcript, Word
from store.jobs import lock_job
from jobs.lifecycle import record
from streams.listening_copy import ListeningCopies, encode_opus, listening_key
from streams.orchestrator import result_key
from tests.integration.api.conftest import Env, auth
from tests.support.samples import sample_wav

pytestmark = pytest.mark.integration


def _diarized() -> Transcript:
    words = [
        Word(word=" Thanks", start=0.0, end=0.4, probability=0.9, speaker="Speaker 1"),
        Word(word=" for", start=0.4, end=0.6, probability=0.9, speaker="Speaker 1"),
        Word(word=" calling.", start=0.6, end=1.0, probability=0.9, speaker="Speaker 1"),
        Word(word=" Hi,", start=2.0, end=2.3, probability=0.9, speaker="Speaker 2"),
        Word(word=" my", start=2.3, end=2.5, probability=0.9, speaker="Speaker 2"),
        Word(word=" bill.", start=2.5, end=3.0, probability=0.9, speaker="Speaker 2"),
    ]
    return Transcript(
        language="en", duration=3.2, model="tiny.en", text="Thanks for calling. Hi, my bill.",
        segments=[
            Segment(id=0, start=0.0, end=1.0, text="Thanks for calling.", speaker="Speaker 1"),
            Segment(id=1, start=2.0, end=3.0, text="Hi, my bill.", speaker="Speaker 2", overlapping_speakers=["Speaker 1"]),
        ],
        words=words,
        speakers=[SpeakerSummary(label="Speaker 1", speaking_time=1.0, word_count=3),
                  SpeakerSummary(label="Speaker 2", speaking_time=1.0, word_count=3)],
        ai_analysis={"level": "lite", "backend": "offline", "speaker_roles": {"Speaker 1": "Agent", "Speaker 2": "Speaker 2"},
                     "transcript_cleaned": "Agent: Thanks for calling.\nSpeaker 2: Hi, my bill."},
    )


async def _completed(env: Env, key: str, transcript: Transcript) -> str:
    """A job as the worker leaves it: result stored, job.completed recorded."""
    job_id = await env.job_id(key)
    await env.start_processing(job_id)
    await env.state.objects.put_bytes(result_key(job_id), transcript.model_dump_json().encode())
    async with env.state.sessions.begin() as session:
        job = await lock_job(session, job_id)
        assert job is not None
        record(session, job, [JobCompleted(job_id=job_id, account_id=job.account_id, payload=JobCompletedPayload(
            result_key=result_key(job_id), duration=transcript.duration, language="en"))], env.state.events_topic)
    return job_id


async def test_rename_reaches_result_exports_and_cleaned_transcript(env: Env) -> None:
    key = await env.key()
    job_id = await _completed(env, key, _diarized())
    r = await env.client.patch(f"/v1/jobs/{job_id}/speakers", headers=auth(key), json={"Speaker 1": "Diane", "Speaker 2": "Sam"})
    assert r.status_code == 200, r.text
    assert [s["label"] for s in r.json()["data"]] == ["Diane", "Sam"]
    result = (await env.client.get(f"/v1/jobs/{job_id}/result", headers=auth(key))).json()["data"]
    assert {w["speaker"] for w in result["words"]} == {"Diane", "Sam"}
    assert result["segments"][1]["overlapping_speakers"] == ["Diane"]
    assert result["ai_analysis"]["speaker_roles"] == {"Diane": "Agent", "Sam": "Sam"}
    assert result["ai_analysis"]["transcript_cleaned"] == "Diane (Agent): Thanks for calling.\nSam: Hi, my bill."
    vtt = (await env.client.get(f"/v1/jobs/{job_id}/exports/vtt", headers=auth(key))).text
    assert "Diane" in vtt and "Sam" in vtt and "Speaker 1" not in vtt
    # Swapping two names is one rename, not a collision.
    r = await env.client.patch(f"/v1/jobs/{job_id}/speakers", headers=auth(key), json={"Diane": "Sam", "Sam": "Diane"})
    assert r.status_code == 200, r.text
    result = (await env.client.get(f"/v1/jobs/{job_id}/result", headers=auth(key))).json()["data"]
    assert result["words"][0]["speaker"] == "Sam"
    assert result["ai_analysis"]["transcript_cleaned"].startswith("Sam (Agent): Thanks")


async def test_rename_refusals(env: Env) -> None:
    key = await env.key()
    job_id = await _completed(env, key, _diarized())
    cases = [({"Speaker 9": "X"}, 422), ({}, 422), ({"Speaker 1": "Speaker 2"}, 422), ({"Speaker 1": " "}, 422)]
    for body, status in cases:
        r = await env.client.patch(f"/v1/jobs/{job_id}/speakers", headers=auth(key), json=body)
        assert r.status_code == status, (body, r.text)
        assert r.json()["error"]["type"] == "validation_error"
    running = await env.job_id(key)
    assert (await env.client.patch(f"/v1/jobs/{running}/speakers", headers=auth(key), json={"Speaker 1": "A"})).status_code == 409
    other = await env.key()
    assert (await env.client.patch(f"/v1/jobs/{job_id}/speakers", headers=auth(other), json={"Speaker 1": "A"})).status_code == 404
    reader = await env.key(scopes=["jobs:read"])
    assert (await env.client.patch(f"/v1/jobs/{job_id}/speakers", headers=auth(reader), json={"Speaker 1": "A"})).status_code in (403, 404)


async def _login(env: Env, key: str) -> httpx.Response:
    return await env.client.post("/console/login", data={"api_key": key}, headers={"Origin": "http://test"})


async def test_console_session_cookie_scopes_and_headers(env: Env) -> None:
    reader = await env.key(scopes=["jobs:read"])
    r = await _login(env, reader)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    assert reader not in cookie and reader not in r.headers.get("location", "")
    page = await env.client.get("/console/jobs")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", page.text), "no inline script"
    assert 'href="/console/keys"' not in page.text and "Upload and transcribe" not in page.text  # read-only key
    assert (await env.client.get("/console/keys")).status_code == 403
    assert (await env.client.post("/console/jobs", headers={"Origin": "http://test"}, files={"file": ("a.wav", b"x")})).status_code == 403
    # /v1 never takes the cookie: bearer keys only.
    assert (await env.client.get("/v1/jobs")).status_code == 401
    # A form posted from another site is refused even with the cookie.
    assert (await env.client.post("/console/logout", headers={"Origin": "https://evil.example"})).status_code == 403
    r = await env.client.post("/console/logout", headers={"Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 303
    env.client.cookies.clear()
    assert (await env.client.get("/console/jobs")).status_code == 303  # to the sign-in page


async def test_console_revoked_key_ends_its_session_and_tampered_cookie_is_refused(env: Env) -> None:
    admin = await env.key(scopes=["admin"])
    await _login(env, admin)
    assert (await env.client.get("/console/keys")).status_code == 200
    value = env.client.cookies[console_session.COOKIE]
    key_id, expires, nonce, mac = value.split(".")
    env.client.cookies.set(console_session.COOKIE, f"{key_id}.{int(expires) + 9999}.{nonce}.{mac}", path="/console")
    assert (await env.client.get("/console/keys")).status_code == 303
    env.client.cookies.set(console_session.COOKIE, value, path="/console")
    r = await env.client.post(f"/console/keys/{key_id}/revoke", headers={"Origin": "http://test"})
    assert r.status_code == 303
    assert (await env.client.get("/console/keys")).status_code == 303


async def test_console_audio_supports_ranges_and_job_page_shows_speakers(env: Env) -> None:
    key = await env.key()
    job_id = await _completed(env, key, _diarized())
    await env.state.objects.put_bytes(listening_key(job_id), encode_opus(sample_wav(), max_seconds=5))
    await _login(env, key)
    page = await env.client.get(f"/console/jobs/{job_id}")
    assert page.status_code == 200 and 'id="audio"' in page.text and "Speaker 2" in page.text
    full = await env.client.get(f"/console/jobs/{job_id}/audio")
    assert full.status_code == 200 and full.content[:4] == b"OggS" and full.headers["accept-ranges"] == "bytes"
    part = await env.client.get(f"/console/jobs/{job_id}/audio", headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == full.content[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(full.content)}"
    other = await env.key()
    env.client.cookies.clear()
    await _login(env, other)
    assert (await env.client.get(f"/console/jobs/{job_id}/audio")).status_code == 404


async def test_listening_copy_written_from_the_source_and_swept_after_retention(env: Env) -> None:
    key = await env.key()
    job_id = await _completed(env, key, _diarized())
    async with env.state.sessions() as session:
        job = await lock_job(session, job_id)
        assert job is not None and job.completed_at is not None
        media_key, completed_at = job.media_key, job.completed_at
    copies = ListeningCopies(env.state.objects, env.state.sessions, retention_days=7)
    await copies.write(job_id, media_key)
    copy = await env.state.objects.get_bytes(listening_key(job_id))
    assert copy[:4] == b"OggS" and 50_000 < len(copy) < 150_000  # ~30 s at ~24 kbit/s (VBR), not the 960 kB WAV
    assert await copies.sweep_expired(completed_at + timedelta(days=6), force=True) == 0
    assert await env.state.objects.exists(listening_key(job_id))
    assert await copies.sweep_expired(completed_at + timedelta(days=7, minutes=1), force=True) == 1
    assert not await env.state.objects.exists(listening_key(job_id))
    await ListeningCopies(env.state.objects, env.state.sessions, retention_days=0).write(job_id, media_key)
    assert not await env.state.objects.exists(listening_key(job_id))  # 0 keeps none
    await copies.write(job_id, media_key)
    assert (await env.client.delete(f"/v1/jobs/{job_id}", headers=auth(key))).status_code == 204
    assert not await env.state.objects.exists(listening_key(job_id))  # deleted with the job


async def test_console_webhooks_keys_and_usage_pages(env: Env) -> None:
    admin = await env.key(scopes=["admin"])
    await _login(env, admin)
    origin = {"Origin": "http://test"}
    r = await env.client.post("/console/webhooks", headers=origin, data={"url": "http://127.0.0.1:9/hook", "events": ["job.completed"]})
    assert r.status_code == 200 and 'id="new-secret"' in r.text
    endpoint_id = re.search(r'href="/console/webhooks/(wh_[^"]+)"', r.text)
    assert endpoint_id is not None, r.text
    again = await env.client.get("/console/webhooks")
    assert 'id="new-secret"' not in again.text  # the secret is shown once
    deliveries = await env.client.get(f"/console/webhooks/{endpoint_id.group(1)}")
    assert deliveries.status_code == 200 and "No deliveries yet" in deliveries.text
    r = await env.client.post("/console/keys", headers=origin, data={"scopes": ["jobs:read"], "mode": "test"})
    assert r.status_code == 200 and re.search(r'value="sk_test_[A-Za-z0-9_-]+"', r.text)
    usage = await env.client.get("/console/usage")
    assert usage.status_code == 200 and 'id="usage-chart"' in usage.text and "Top accounts" not in usage.text  # admin is not platform
