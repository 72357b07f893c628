"""Bad input gets a documented error code, a human message and the right status; the worker keeps serving."""

from __future__ import annotations

import os

import pytest

from tests.e2e.conftest import Stack, wait_for_job
from tests.support.samples import sample_wav


@pytest.fixture(scope="module")
def key(stack: Stack) -> str:
    return stack.new_key()


def _error(response) -> dict:  # type: ignore[no-untyped-def]
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == response.status_code
    assert body["error"]["message"]
    return body["error"]


def _submit(stack: Stack, key: str, name: str, data: bytes, content_type: str):  # type: ignore[no-untyped-def]
    with stack.client(key) as client:
        return client.post("/v1/jobs", files={"file": (name, data, content_type)})


@pytest.mark.parametrize(
    "name,data,content_type",
    [
        ("corrupt.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + os.urandom(2000), "audio/wav"),
        ("empty.mp3", b"", "audio/mpeg"),
        ("notes.mp3", b"these are meeting notes, not audio\n" * 50, "audio/mpeg"),
        ("noise.bin", os.urandom(50_000), "application/octet-stream"),
    ],
    ids=["corrupt", "empty", "text-as-audio", "random-bytes"],
)
def test_undecodable_media_fails_the_job_with_media_decode_error(stack: Stack, key: str, name: str, data: bytes, content_type: str) -> None:
    response = _submit(stack, key, name, data, content_type)
    assert response.status_code == 201, response.text
    with stack.client(key) as client:
        job, _ = wait_for_job(client, response.json()["data"]["id"], timeout_s=120)
        assert job["status"] == "failed"
        assert job["error"]["code"] == "media_decode_error"
        assert "decode" in job["error"]["message"]
        result = client.get(f"/v1/jobs/{job['id']}/result")
        assert result.status_code == 404 and _error(result)["type"] == "not_found"


def test_worker_keeps_serving_after_bad_media(stack: Stack, key: str) -> None:
    bad = _submit(stack, key, "bad.wav", os.urandom(5000), "audio/wav").json()["data"]["id"]
    with sample_wav().open("rb") as fh:
        good = _submit(stack, key, "sample.wav", fh.read(), "audio/wav").json()["data"]["id"]
    with stack.client(key) as client:
        assert wait_for_job(client, bad)[0]["status"] == "failed"
        assert wait_for_job(client, good)[0]["status"] == "completed"


def test_non_media_type_is_415(stack: Stack, key: str) -> None:
    response = _submit(stack, key, "notes.txt", b"hello", "text/plain")
    assert response.status_code == 415 and _error(response)["type"] == "unsupported_media_type"


def test_json_without_filename_or_media_url_is_422_and_other_bodies_415(stack: Stack, key: str) -> None:
    with stack.client(key) as client:
        response = client.post("/v1/jobs", json={"url": "x"})
        assert response.status_code == 422 and _error(response)["type"] == "validation_error"
        response = client.post("/v1/jobs", content=b"hello", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415 and _error(response)["type"] == "unsupported_media_type"


def test_missing_file_part_is_422(stack: Stack, key: str) -> None:
    with stack.client(key) as client:
        response = client.post("/v1/jobs", files={"other": ("a.wav", b"x", "audio/wav")})
    assert response.status_code == 422 and _error(response)["type"] == "validation_error"
    assert "file" in _error(response)["message"]


@pytest.mark.parametrize("options", ["{nope", '{"languag": "en"}', '{"model": ""}'])
def test_bad_options_are_422(stack: Stack, key: str, options: str) -> None:
    with stack.client(key) as client:
        response = client.post("/v1/jobs", files={"file": ("a.wav", b"x", "audio/wav")}, data={"options": options})
    assert response.status_code == 422 and _error(response)["type"] == "validation_error"


def test_oversized_upload_is_413(stack: Stack, key: str) -> None:
    response = _submit(stack, key, "big.wav", b"\0" * (21 * 1024 * 1024), "audio/wav")  # cap is 20 MiB here
    assert response.status_code == 413 and _error(response)["type"] == "payload_too_large"


@pytest.mark.parametrize("auth", [None, "sk_live_wrongwrongwrongwrongwrongwrongwrong", "Basic abc"])
def test_missing_or_wrong_key_is_401(stack: Stack, auth: str | None) -> None:
    with stack.client(None) as client:
        headers = {} if auth is None else {"Authorization": auth if auth.startswith("Basic") else f"Bearer {auth}"}
        for response in (
            client.post("/v1/jobs", files={"file": ("a.wav", b"x", "audio/wav")}, headers=headers),
            client.get("/v1/jobs/whatever", headers=headers),
        ):
            assert response.status_code == 401 and _error(response)["type"] == "unauthorized"
            assert response.headers["www-authenticate"] == "Bearer"


def test_another_accounts_job_is_not_found(stack: Stack, key: str) -> None:
    with sample_wav().open("rb") as fh:
        job_id = _submit(stack, key, "sample.wav", fh.read(), "audio/wav").json()["data"]["id"]
    with stack.client(stack.new_key()) as other:
        for path in (f"/v1/jobs/{job_id}", f"/v1/jobs/{job_id}/result"):
            response = other.get(path)
            assert response.status_code == 404 and _error(response)["type"] == "not_found"


def test_unknown_route_and_wrong_method_use_the_envelope(stack: Stack, key: str) -> None:
    with stack.client(key) as client:
        missing = client.get("/v1/nothing-here")
        wrong = client.delete("/v1/jobs")
    assert missing.status_code == 404 and _error(missing)["type"] == "not_found"
    assert wrong.status_code == 405 and _error(wrong)["type"] == "method_not_allowed"
