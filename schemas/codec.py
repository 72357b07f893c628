"""Faust codec for job events, so the API (which encodes with `encode_event`) and the Faust agents decode
with the very same pydantic model."""

from __future__ import annotations

from typing import Any

from faust.serializers import codecs

from schemas.events import decode_event, encode_event

CODEC_NAME = "parlance_job_event"


class JobEventCodec(codecs.Codec):
    def _dumps(self, obj: Any) -> bytes:
        return encode_event(obj)

    def _loads(self, s: bytes) -> Any:
        return decode_event(s)


def register_codec() -> str:
    """Register the codec with Faust (idempotent) and return its name. Called by the Faust app factory."""
    codecs.register(CODEC_NAME, JobEventCodec())
    return CODEC_NAME
