"""The render stage: one quote's clip and card (image, or video) on a worker, from a `parlance.renders` message.

Renders never touch job completion: they start from a completed result and only write files under the job's
`results/<job>/quotes/` prefix and render fields of the quote. Progress goes into the quote (render_status,
render_progress) at each step, so GET /v1/render/{id} can follow it. A bulk render's callback is sent by the
render that finishes its batch: renders of one batch share a Kafka key (the batch id), so one agent handles
them in order and exactly one sees the batch complete.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from quotes.cards import VideoFrames, draw_card
from quotes.media import clip_bounds, decode_mono, encode_clip, encode_video
from quotes.service import ResultMissing, ext_of, file_key, file_url, find, mark, with_quotes
from schemas.quotes import Quote, RenderRequested, render_id
from schemas.result import Transcript
from store.models import Job
from store.objects import ObjectNotFound, ObjectStore
from streams.listening_copy import listening_key
from webhooks.payloads import RenderBatchCompleted, RenderItem
from webhooks.send import post_signed
from webhooks.urls import UrlRefused

log = logging.getLogger(__name__)

Meter = Callable[[RenderRequested, float], Awaitable[None]]


class BatchStore:
    """A bulk render's items and callback secret, at `renders/<account>/<batch>.json` (ids only in the key)."""

    def __init__(self, objects: ObjectStore) -> None:
        self.objects = objects

    @staticmethod
    def key(account_id: str, batch_id: str) -> str:
        return f"renders/{account_id}/{batch_id}.json"

    async def put(self, account_id: str, batch_id: str, doc: dict[str, Any]) -> None:
        await self.objects.put_bytes(self.key(account_id, batch_id), json.dumps(doc).encode())

    async def get(self, account_id: str, batch_id: str) -> dict[str, Any] | None:
        try:
            return dict(json.loads(await self.objects.get_bytes(self.key(account_id, batch_id))))
        except ObjectNotFound:
            return None


class QuoteRenderer:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        objects: ObjectStore,
        meter: Meter,
        client: httpx.AsyncClient,
        allow_private_urls: bool,
    ) -> None:
        self.sessions, self.objects, self.meter, self.client = sessions, objects, meter, client
        self.allow_private_urls = allow_private_urls
        self.batches = BatchStore(objects)

    async def _update(self, job_id: str, quote_id: str, **fields: object) -> Quote:
        def change(job: Job, transcript: Transcript) -> tuple[Quote, bool]:
            return mark(transcript, quote_id, **fields).model_copy(), True

        return await with_quotes(self.sessions, self.objects, job_id, change)

    async def render(self, message: RenderRequested) -> None:
        started = time.monotonic()
        try:
            quote = await self._update(message.job_id, message.quote_id, render_status="rendering", render_progress=0.05, render_error=None)
        except (ResultMissing, LookupError):
            log.info("render of %s skipped: the job or quote is gone", message.quote_id)
            return
        try:
            try:
                urls = await self._produce(message, quote)
            except LookupError:
                raise  # the job went while rendering (below)
            except Exception as exc:  # noqa: BLE001 - a render failure is the quote's, never the worker's
                log.exception("render %s failed", render_id(message.quote_id, message.kind))
                await self._update(message.job_id, message.quote_id, render_status="failed", render_error=str(exc)[:300])
            else:
                await self._update(message.job_id, message.quote_id, render_status="completed", render_progress=1.0, **urls)
                await self.meter(message, time.monotonic() - started)
        except LookupError:
            # Deleted while rendering: what this render wrote would outlive the job's `results/` prefix deletion.
            log.info("job of %s deleted during its render; its files are removed", message.quote_id)
            await self.objects.delete_prefix(f"results/{message.job_id}/quotes")
        if message.batch_id:
            await self._maybe_callback(message)

    async def _produce(self, message: RenderRequested, quote: Quote) -> dict[str, str | None]:
        job_id, qid = message.job_id, quote.id
        start, end = clip_bounds(quote.start_time, quote.end_time)
        samples = None
        try:
            async with self.objects.local_copy(listening_key(job_id)) as path:
                if path.exists():
                    samples = await asyncio.to_thread(decode_mono, path, start, end)
        except ObjectNotFound:
            samples = None
        urls: dict[str, str | None] = {}
        if samples is not None and samples.size:
            clip = await asyncio.to_thread(encode_clip, samples)
            await self.objects.put_bytes(file_key(job_id, qid, "ogg"), clip)
            urls["audio_clip_url"] = file_url(job_id, qid, "ogg")
        elif message.kind == "video":
            raise RuntimeError("no audio kept for this job (listening copy expired or disabled); video needs it")
        await self._update(job_id, qid, render_progress=0.3)
        if message.kind == "image":
            image = await asyncio.to_thread(draw_card, quote, message.theme)
            png = await asyncio.to_thread(_png, image)
            await self.objects.put_bytes(file_key(job_id, qid, "png"), png)
            urls["image_card_url"] = file_url(job_id, qid, "png")
        else:
            assert samples is not None
            video = await asyncio.to_thread(encode_video, VideoFrames(quote, message.theme, samples), samples)
            await self.objects.put_bytes(file_key(job_id, qid, ext_of("video")), video)
            urls["video_card_url"] = file_url(job_id, qid, "mp4")
        return urls

    async def _maybe_callback(self, message: RenderRequested) -> None:
        assert message.batch_id is not None
        batch = await self.batches.get(message.account_id, message.batch_id)
        if batch is None or batch.get("callback_sent") or not batch.get("callback_url"):
            return
        items = []
        for item in batch["items"]:
            try:
                quote = await with_quotes(
                    self.sessions, self.objects, item["job_id"], lambda j, t, q=item["quote_id"]: (find(t, q).model_copy(), False)
                )
                status = quote.render_status
            except LookupError:
                status = "failed"
            if status in ("queued", "rendering"):
                return  # a later render of the batch will call back
            items.append(RenderItem(render_id=item["render_id"], quote_id=item["quote_id"], status=status))
        body = RenderBatchCompleted(batch_id=message.batch_id, items=items).model_dump_json().encode()
        try:  # the URL is checked again before sending, like webhooks: a DNS answer may have changed since
            await post_signed(
                self.client, batch["callback_url"], body, message_id=message.batch_id, event="render.batch_completed",
                secret=batch["secret"], allow_private=self.allow_private_urls, timeout_s=10.0,
            )
        except (httpx.HTTPError, UrlRefused):
            log.warning("render batch %s: callback to its URL failed", message.batch_id)
        await self.batches.put(message.account_id, message.batch_id, {**batch, "callback_sent": True})


def _png(image: Any) -> bytes:
    import io

    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()

