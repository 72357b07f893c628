"""The worker's step before decoding: sandbox jobs are handed to streams.sandbox, `media_url` jobs get their
media downloaded into the object store. Any download problem ends the job `failed` with media_fetch_error.

The orchestrator calls `fetch_job_media` once, inside its lease keeper (a cancel stops a download too) and
inside its error handling (a MediaFetchError becomes job.failed like any InferenceError).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from webhooks.urls import UrlRefused, check_url
from inference.errors import InferenceError
from schemas.settings import CommonSettings
from store.models import Job
from store.objects import ObjectStore, ObjectTooLarge

log = logging.getLogger(__name__)

USER_AGENT = "Parlance-Fetch/1"
MAX_REDIRECTS = 3


class MediaFetchError(InferenceError):
    """media_url could not be downloaded: refused address, HTTP error, timeout, too large or empty."""

    code = "media_fetch_error"


@dataclass(frozen=True)
class FetchSettings:
    max_bytes: int
    timeout_s: float
    allow_private: bool

    @classmethod
    def from_settings(cls, settings: CommonSettings) -> "FetchSettings":
        return cls(settings.media_fetch_max_bytes, settings.media_fetch_timeout_s, settings.allow_private_urls)


async def fetch_media(
    url: str, objects: ObjectStore, key: str, settings: FetchSettings, client: httpx.AsyncClient | None = None
) -> int:
    """Download `url` into `key`; returns its size. Redirects are followed by hand (at most 3) so every hop's
    address is checked like the first."""
    own = client is None
    http = client or httpx.AsyncClient(follow_redirects=False, headers={"User-Agent": USER_AGENT})
    try:
        async with asyncio.timeout(settings.timeout_s):
            return await _download(http, url, objects, key, settings)
    except TimeoutError as exc:
        raise MediaFetchError(f"downloading media_url took longer than {settings.timeout_s:g} s") from exc
    finally:
        if own:
            await http.aclose()


async def _download(http: httpx.AsyncClient, url: str, objects: ObjectStore, key: str, s: FetchSettings) -> int:
    for _ in range(MAX_REDIRECTS + 1):
        try:
            await check_url(url, allow_private=s.allow_private)
        except UrlRefused as exc:
            raise MediaFetchError(f"media_url refused: {exc}") from exc
        try:
            async with http.stream("GET", url) as response:
                if response.is_redirect and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code != 200:
                    raise MediaFetchError(f"media_url answered HTTP {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > s.max_bytes:
                    raise MediaFetchError(f"media_url is {declared} bytes; the limit is {s.max_bytes}")
                size = await objects.put_stream(key, _chunks(response), max_bytes=s.max_bytes)
        except ObjectTooLarge as exc:
            raise MediaFetchError(f"media_url exceeds the limit of {s.max_bytes} bytes") from exc
        except httpx.HTTPError as exc:
            raise MediaFetchError(f"media_url could not be downloaded ({type(exc).__name__})") from exc
        if size == 0:
            raise MediaFetchError("media_url returned an empty body")
        return size
    raise MediaFetchError(f"media_url redirected more than {MAX_REDIRECTS} times")


async def _chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    async for chunk in response.aiter_bytes(1 << 20):
        yield chunk


async def fetch_job_media(job: Job, objects: ObjectStore, settings: FetchSettings) -> None:
    """A `media_url` job's media into its `media_key`; nothing to do for a job whose media was uploaded."""
    if job.media_url is not None and job.media_key is not None:
        size = await fetch_media(job.media_url, objects, job.media_key, settings)
        log.info("job %s: fetched %d bytes from media_url", job.id, size)
