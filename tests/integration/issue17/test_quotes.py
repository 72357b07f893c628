"""Issue 17.1 on a real app (migrated SQLite, the local Kafka broker, the local object store): quotes chosen on
the first read of a result, edited, rendered through `parlance.renders` by the worker's renderer from the job's
real listening copy (PyAV Opus of the sample call), and the files checked by decoding them back (PyAV, Pillow).

The Kafka leg is real: the API publishes the render, the test consumes it from the broker and hands it to
`QuoteRenderer` exactly as the worker's agent does (streams/renders.py), without a whole Faust worker.
"""

from __future__ import annotations

import asyncio
import io
import json
import uuid
from collections.abc import AsyncIterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

import av
import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from PIL import Image
from standardwebhooks import Webhook

from quotes.render import QuoteRenderer
from schemas.quotes import RenderRequested
from schemas.result import Segment, SpeakerSummary, Transcript, Word
from store.models import Job
from streams import topics
from streams.listening_copy import encode_opus, listening_key
from streams.orchestrator import result_key
from tests.integration.api.conftest import Env, auth
from tests.support.samples import sample_wav

SENTENCES = [
    ("Speaker 1", "Hello? Hello? Oh, hello."),
    ("Speaker 2", "The only way to ship on time is to cut scope every single week, no exceptions."),
    ("Speaker 1", "And then it was fine I guess."),
    ("Speaker 2", "We learned that ninety percent of our churn came from one broken onboarding email."),
    ("Speaker 1", "Do you think customers will always pay more for a product that simply works?"),
]


def _transcript() -> Transcript:
    words: list[Word] = []
    t = 0.5
    for speaker, sentence in SENTENCES:
        for token in sentence.split():
            words.append(Word(word=" " + token, start=round(t, 3), end=round(t + 0.3, 3), probability=0.9, speaker=speaker))
            t += 0.4
        t += 0.6
    text = " ".join(s for _, s in SENTENCES)
    return Transcript(
        language="en", duration=30.0, model="tiny.en", text=text, words=words,
        segments=[Segment(id=0, start=0.5, end=t, text=text)],
        speakers=[SpeakerSummary(label="Speaker 1", speaking_time=5.0, word_count=18), SpeakerSummary(label="Speaker 2", speaking_time=9.0, word_count=29)],
    )


async def _completed_job(env: Env, key: str) -> str:
    me = (await env.client.get("/v1/jobs", headers=auth(key)))
    assert me.status_code == 200
    state = env.state
    async with state.sessions() as session:
        from store.keys import authenticate

        principal = await authenticate(session, key)
    assert principal is not None
    job_id = str(uuid.uuid4())
    await state.objects.put_bytes(result_key(job_id), _transcript().model_dump_json().encode())
    await state.objects.put_bytes(listening_key(job_id), await asyncio.to_thread(encode_opus, sample_wav()))
    async with state.sessions.begin() as session:
        session.add(Job(id=job_id, account_id=principal.account_id, status="completed", options={}, media_key=None,
                        filename="call.wav", result_key=result_key(job_id)))
    return job_id


@pytest.fixture
async def renders(env: Env) -> AsyncIterator[AIOKafkaConsumer]:
    topic = topics.topic_name(topics.RENDERS, env.state.settings.kafka_topic_prefix)
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=env.state.settings.kafka_bootstrap, auto_offset_reset="earliest",
                                group_id=f"test-{uuid.uuid4().hex[:8]}")
    await consumer.start()
    yield consumer
    await consumer.stop()


async def _work(env: Env, consumer: AIOKafkaConsumer, count: int, metered: list[str]) -> list[float]:
    """The worker's part: take `count` renders off the broker and render them; returns seconds per render."""

    async def meter(message: RenderRequested, seconds: float) -> None:
        metered.append(message.kind)

    times = []
    async with httpx.AsyncClient() as client:
        renderer = QuoteRenderer(env.state.sessions, env.state.objects, meter, client, allow_private_urls=True)
        for _ in range(count):
            record = await asyncio.wait_for(consumer.getone(), timeout=60)
            loop = asyncio.get_running_loop()
            started = loop.time()
            await renderer.render(RenderRequested.model_validate_json(record.value))
            times.append(loop.time() - started)
    return times


def _duration(data: bytes) -> tuple[float, list[tuple[str, str]]]:
    with av.open(io.BytesIO(data)) as container:
        streams = [(s.type, s.codec_context.name) for s in container.streams]
        audio = container.streams.audio[0]
        samples = sum(frame.samples for frame in container.decode(audio))
        return samples / audio.rate, streams


async def test_quotes_edit_render_files_and_delete(env: Env, renders: AIOKafkaConsumer, capsys: pytest.CaptureFixture[str]) -> None:
    key = await env.key(plan="pro")
    job_id = await _completed_job(env, key)
    result = (await env.client.get(f"/v1/jobs/{job_id}/result", headers=auth(key))).json()["data"]
    quotes = result["quotes"]
    texts = [q["text"] for q in quotes]
    # Ranked claims first; a greeting, a dangling "And then..." and a question are no quotes.
    assert set(texts) == {SENTENCES[1][1], SENTENCES[3][1]}, texts
    assert all(8 <= len(q["text"].split()) <= 40 and q["speaker_label"] == "Speaker 2" for q in quotes)
    assert set(quotes[0]) >= {"id", "text", "original_text", "speaker_label", "start_time", "end_time", "is_favorite",
                              "audio_clip_url", "image_card_url", "video_card_url", "render_status", "render_progress"}
    listed = (await env.client.get(f"/v1/jobs/{job_id}/quotes", headers=auth(key))).json()["data"]
    assert [q["id"] for q in listed] == [q["id"] for q in quotes], "stored once, the same on every read"
    qid = quotes[0]["id"]

    r = await env.client.patch(f"/v1/quotes/{qid}", json={"text": "Cut scope every week."}, headers=auth(key))
    assert r.status_code == 200 and r.json()["data"]["text"] == "Cut scope every week."
    r = await env.client.patch(f"/v1/quotes/{qid}", json={"reset": True}, headers=auth(key))
    assert r.json()["data"]["text"] == r.json()["data"]["original_text"]
    assert (await env.client.patch(f"/v1/quotes/{qid}", json={"text": "x", "reset": True}, headers=auth(key))).status_code == 422
    assert (await env.client.patch(f"/v1/quotes/{qid}/favorite", headers=auth(key))).json()["data"]["is_favorite"] is True
    assert (await env.client.patch(f"/v1/quotes/{qid}/favorite", json={"is_favorite": False}, headers=auth(key))).json()["data"]["is_favorite"] is False
    # A speaker rename reaches the quotes; a quote's own speaker edit stays on that quote.
    assert (await env.client.patch(f"/v1/jobs/{job_id}/speakers", json={"Speaker 2": "Diane"}, headers=auth(key))).status_code == 200
    assert (await env.client.get(f"/v1/quotes/{qid}", headers=auth(key))).json()["data"]["speaker_label"] == "Diane"

    # Theme: validated, then used by the renders requested after it.
    bad = await env.client.put("/v1/theme", json={"background_color": "#12345"}, headers=auth(key))
    assert bad.status_code == 422
    assert (await env.client.put("/v1/theme", json={"font": "comic-sans"}, headers=auth(key))).status_code == 422
    theme = {"background_color": "#0A0A0A", "text_color": "#FAFAFA", "accent_color": "#FF6600", "font": "dejavu-serif", "pattern": "grid", "watermark": "parlance"}
    assert (await env.client.put("/v1/theme", json=theme, headers=auth(key))).json()["data"] == theme

    r = await env.client.post(f"/v1/quotes/{qid}/render-image", headers=auth(key))
    assert r.status_code == 202 and r.json()["data"]["render_status"] == "queued"
    r = await env.client.post(f"/v1/quotes/{qid}/render-video", headers=auth(key))
    assert r.status_code == 202
    metered: list[str] = []
    times = await _work(env, renders, 2, metered)
    assert metered == ["image", "video"]
    render = (await env.client.get(f"/v1/render/rv_{qid}", headers=auth(key))).json()["data"]
    assert render["status"] == "completed" and render["progress"] == 1.0 and render["url"].endswith(".mp4"), render
    quote = (await env.client.get(f"/v1/quotes/{qid}", headers=auth(key))).json()["data"]

    png = await env.client.get(quote["image_card_url"], headers=auth(key))
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.format == "PNG" and image.size == (1080, 1080)
    colours = sorted(image.getcolors(maxcolors=1 << 20) or [], reverse=True)
    assert colours[0][1] == (10, 10, 10), "the theme's background is the most common colour"
    assert any(c == (255, 102, 0) for _, c in colours), "the accent colour is drawn"
    clip = await env.client.get(quote["audio_clip_url"], headers=auth(key))
    assert clip.headers["content-type"] == "audio/ogg"
    seconds, streams = _duration(clip.content)
    expected = quote["end_time"] - quote["start_time"] + 0.5  # the clip keeps 0.25 s either side
    assert streams == [("audio", "opus")] and abs(seconds - expected) < 0.1, (seconds, expected)
    video = await env.client.get(quote["video_card_url"], headers=auth(key))
    assert video.headers["content-type"] == "video/mp4"
    seconds, streams = _duration(video.content)
    assert sorted(streams) == [("audio", "aac"), ("video", "h264")] and abs(seconds - expected) < 0.15, (seconds, streams)
    with av.open(io.BytesIO(video.content)) as container:
        frame = next(container.decode(video=0))
        assert (frame.width, frame.height) == (720, 720)
    with capsys.disabled():
        print(f"\nrender times: image {times[0]:.2f} s, video {times[1]:.2f} s (clip {expected:.1f} s)")

    # Tenancy and the file route's refusals.
    other = await env.key(plan="pro")
    assert (await env.client.get(f"/v1/quotes/{qid}", headers=auth(other))).status_code == 404
    assert (await env.client.get(quote["image_card_url"], headers=auth(other))).status_code == 404
    assert (await env.client.get(f"/v1/jobs/{job_id}/files/..%2Fresult.json", headers=auth(key))).status_code == 404
    assert (await env.client.get("/v1/quotes/q_nothing_1", headers=auth(key))).status_code == 404

    # Deleting the job takes its clips and cards.
    assert (await env.client.delete(f"/v1/jobs/{job_id}", headers=auth(key))).status_code == 204
    assert [o async for o in env.state.objects.list(f"results/{job_id}")] == []


async def test_plan_rule_bulk_and_signed_callback(env: Env, renders: AIOKafkaConsumer) -> None:
    free = await env.key(plan="free")
    job_id = await _completed_job(env, free)
    quotes = (await env.client.get(f"/v1/jobs/{job_id}/quotes", headers=auth(free))).json()["data"]
    r = await env.client.post(f"/v1/quotes/{quotes[0]['id']}/render-video", headers=auth(free))
    assert r.status_code == 403 and "pro" in r.json()["error"]["message"]
    too_many = {"items": [{"quote_id": quotes[0]["id"]}] * 51}
    assert (await env.client.post("/v1/render/bulk", json=too_many, headers=auth(free))).status_code == 422

    received: list[tuple[dict[str, str], bytes]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            received.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        body = {
            "items": [{"quote_id": q["id"], "kind": "image"} for q in quotes]
            + [{"quote_id": quotes[0]["id"], "kind": "video"}, {"quote_id": "q_" + "0" * 32 + "_9"}],
            "callback_url": f"http://127.0.0.1:{server.server_port}/done",
        }
        r = await env.client.post("/v1/render/bulk", json=body, headers=auth(free))
        assert r.status_code == 202, r.text
        batch = r.json()["data"]
        assert [i["status"] for i in batch["items"]] == ["queued"] * len(quotes) + ["forbidden", "not_found"]
        await _work(env, renders, len(quotes), [])
        assert len(received) == 1, "one callback, when the batch's last render ended"
        headers, raw = received[0]
        payload = Webhook(batch["callback_secret"]).verify(raw, headers)  # raises unless signed with the secret
        assert headers["webhook-id"] == batch["batch_id"]
        assert payload["batch_id"] == batch["batch_id"] and {i["status"] for i in payload["items"]} == {"completed"}
    finally:
        server.shutdown()


async def test_a_job_deleted_during_its_render_leaves_no_files(env: Env, renders: AIOKafkaConsumer) -> None:
    key = await env.key(plan="pro")
    job_id = await _completed_job(env, key)
    qid = (await env.client.get(f"/v1/jobs/{job_id}/quotes", headers=auth(key))).json()["data"][0]["id"]
    assert (await env.client.post(f"/v1/quotes/{qid}/render-image", headers=auth(key))).status_code == 202
    record = await asyncio.wait_for(renders.getone(), timeout=60)

    class DeletingStore:
        """The job's files vanish (as DELETE /v1/jobs/{id} does) right after the clip is written."""

        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

        async def put_bytes(self, object_key: str, data: bytes) -> None:
            await self.inner.put_bytes(object_key, data)
            if object_key.endswith(".ogg"):
                await self.inner.delete_prefix(f"results/{job_id}")

    async def meter(message: RenderRequested, seconds: float) -> None:
        raise AssertionError("a render of a deleted job is not metered")

    async with httpx.AsyncClient() as client:
        renderer = QuoteRenderer(env.state.sessions, DeletingStore(env.state.objects), meter, client, allow_private_urls=True)  # type: ignore[arg-type]
        await renderer.render(RenderRequested.model_validate_json(record.value))
    assert [o async for o in env.state.objects.list(f"results/{job_id}")] == []
