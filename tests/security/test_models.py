"""Finding 3: `options.model` accepted any directory of the worker host or any Hub id (an empty allow-list meant
"anything"): one tenant evicted every tenant's warm pool, probed the worker's file system (an existing and a
missing path failed differently) and could make a worker download an arbitrary model. Models are an allow-list
of ids now, checked by the API at creation and again by the worker where it resolves the name."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.app import create_app
from inference.errors import ModelNotAllowedError
from inference.models import check_allowed
from streams.settings import WorkerSettings
from tests.integration.api.conftest import Env, auth, settings_for

import httpx


def _refusals(tmp_path: Path) -> list[str]:
    existing = tmp_path / "models" / "real-dir"
    existing.mkdir(parents=True)
    return [str(existing), str(tmp_path / "missing-dir"), "/etc", "Systran/faster-whisper-large-v3", "large-v3", "../base"]


async def test_the_api_refuses_paths_and_hub_ids_alike(env: Env, tmp_path: Path) -> None:
    key = await env.key()
    messages = []
    for name in _refusals(tmp_path):
        for media in ("multipart", "json"):
            if media == "multipart":
                r = await env.submit(key, options={"model": name})
            else:
                r = await env.client.post("/v1/jobs", headers=auth(key), json={"filename": "a.wav", "options": {"model": name}})
            assert r.status_code == 422, (name, r.text)
            assert r.json()["error"]["type"] == "validation_error"
            messages.append(r.json()["error"]["message"].replace(repr(name), "NAME"))
    assert len(set(messages)) == 1, set(messages)  # no file-existence oracle: every refusal reads the same
    assert "tiny.en, base" in messages[0]
    for name in ("tiny.en", "base"):
        assert (await env.submit(key, options={"model": name})).status_code == 201, name
    assert list((env.tmp_path / "objects" / "media").iterdir()) and not [
        p for p in (env.tmp_path / "objects" / "media").iterdir() if not any(p.iterdir())
    ]  # refusals leave no empty media directories behind


async def test_the_operator_extends_the_allow_list(tmp_path: Path, sqlite_url: str, kafka_bootstrap: str, topic_prefix: str) -> None:
    app = create_app(settings_for(tmp_path, sqlite_url, kafka_bootstrap, topic_prefix, allowed_models=["large-v3"]))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            env = Env(app, client, tmp_path)
            key = await env.key()
            assert (await env.submit(key, options={"model": "large-v3"})).status_code == 201
            assert (await env.submit(key, options={"model": "tiny.en"})).status_code == 201  # bundled ones stay
            assert (await env.submit(key, options={"model": "medium"})).status_code == 422


def test_the_worker_refuses_the_same_names_before_touching_the_file_system(tmp_path: Path) -> None:
    """The worker's guard (inference.models.check_allowed, fed by WorkerSettings.allowed_models): never
    'anything goes', and an existing directory fails exactly like a missing one."""
    settings = WorkerSettings(data_dir=tmp_path)
    assert settings.allowed_models == ["tiny.en", "base"]
    messages = set()
    for name in _refusals(tmp_path):
        with pytest.raises(ModelNotAllowedError) as info:
            check_allowed(name, settings.allowed_models)
        assert info.value.code == "model_not_allowed"
        messages.add(str(info.value).replace(repr(name), "NAME"))
    assert len(messages) == 1, messages
    check_allowed("tiny.en", settings.allowed_models)


async def test_loader_errors_are_logged_not_echoed(caplog: pytest.LogCaptureFixture) -> None:
    """A unit test of the worker's one call site (a fake runtime stands in for Ray Serve): the loader's message,
    which names the worker's paths, goes to the log and never into the job's error."""
    from inference.chunking import Clip
    from inference.config import InferenceConfig
    from inference.errors import TranscriptionError
    from inference.pipeline import PreparedAudio, TranscriptionPipeline
    from schemas.options import JobOptions

    class BrokenRuntime:
        async def asr(self, model: str) -> None:
            raise RuntimeError("Unable to open file 'model.bin' in model '/srv/secret-models/x'")

    pipeline = TranscriptionPipeline(BrokenRuntime(), InferenceConfig(allowed_models=["tiny.en"]))  # type: ignore[arg-type]
    prepared = PreparedAudio(audio_ref=None, duration=10.0, clips=[Clip(0.0, 8.0)])
    with pytest.raises(TranscriptionError) as info:
        await pipeline.transcribe(prepared, JobOptions())
    assert "secret-models" not in str(info.value) and info.value.code == "transcription_error"
    assert "secret-models" in caplog.text
