"""Small API rules that need no server: options parsing, media type checks, key format."""

from __future__ import annotations

import io

import pytest
from starlette.datastructures import Headers, UploadFile

from api.errors import UnsupportedMediaType, ValidationFailed
from api.jobs.service import check_media_type, parse_options
from store.keys import generate_key, hash_key


def test_options_default_and_valid() -> None:
    defaults = parse_options(None).model_dump()
    assert {k: defaults[k] for k in ("language", "model", "vocabulary", "webhook_url", "metadata")} == dict.fromkeys(
        ("language", "model", "vocabulary", "webhook_url", "metadata")
    )
    assert parse_options('{"language": "EN", "model": "base"}').language == "en"


@pytest.mark.parametrize("raw,match", [("{not json", "not valid JSON"), ('{"langauge": "en"}', "langauge"), ('{"language": 5}', "language"), ("[]", "options")])
def test_bad_options_are_validation_errors(raw: str, match: str) -> None:
    with pytest.raises(ValidationFailed, match=match):
        parse_options(raw)


def _upload(content_type: str | None) -> UploadFile:
    headers = Headers({"content-type": content_type}) if content_type else Headers({})
    return UploadFile(io.BytesIO(b"x"), filename="f", headers=headers)


@pytest.mark.parametrize("ct", ["audio/wav", "audio/mpeg", "video/mp4", "application/octet-stream", None, "audio/ogg; codecs=opus"])
def test_media_types_accepted(ct: str | None) -> None:
    check_media_type(_upload(ct))


@pytest.mark.parametrize("ct", ["text/plain", "application/json", "image/png", "application/pdf"])
def test_non_media_types_refused(ct: str) -> None:
    with pytest.raises(UnsupportedMediaType):
        check_media_type(_upload(ct))


def test_keys_have_prefix_and_are_stored_hashed() -> None:
    live, test = generate_key(), generate_key(live=False)
    assert live.startswith("sk_live_") and test.startswith("sk_test_") and len(live) > 40
    assert hash_key(live) != live and len(hash_key(live)) == 64
    assert generate_key() != generate_key()


def test_one_validation_message_for_requests_and_models() -> None:
    from fastapi.exceptions import RequestValidationError
    from pydantic import BaseModel, ValidationError

    from schemas.validation import validation_message

    class Inner(BaseModel):
        n: int

    class Outer(BaseModel):
        inner: Inner
        name: str

    with pytest.raises(ValidationError) as caught:
        Outer.model_validate({"inner": {"n": "x"}})
    assert validation_message(caught.value) == (
        "inner.n: Input should be a valid integer, unable to parse string as an integer; name: Field required"
    )
    assert validation_message(caught.value, limit=1).startswith("inner.n: ") and ";" not in validation_message(caught.value, limit=1)
    request = RequestValidationError([{"loc": ("body", "scopes", 0), "msg": "bad scope", "type": "x"}, {"loc": (), "msg": "top", "type": "x"}])
    assert validation_message(request) == "scopes.0: bad scope; top"
    assert validation_message(RequestValidationError([])) == "invalid request"
