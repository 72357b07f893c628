"""Call analysis end to end on audio: a support call synthesised with espeak-ng (two voices, one per channel) goes through the
REST API, ASR, diarization and the analyzing stage with `analysis: "pro"` and `redact_pii: true`.

Checked: the stages ran in order; speaker roles were inferred from the diarized audio; the pro fields are
there; the phone number spoken in the call is detected in the ASR text and neither it nor any long digit run
reaches the stored result or the exports; the call shows up in the call analytics.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import Stack, wait_for_job
from analysis.evaluation.synth import espeak_path, synth_call

AGENT, CUSTOMER = 0, 1
CALL = [
    (AGENT, "Thank you for calling Northwind Internet support. My name is Alex. How can I help you today?"),
    (CUSTOMER, "Hi Alex. My internet keeps dropping every evening and I need it fixed please."),
    (AGENT, "I am sorry to hear that. What is the best phone number to reach you?"),
    (CUSTOMER, "My phone number is 415 555 0132."),
    (AGENT, "Thank you. I can see a fault on your line. I will send a technician tomorrow morning to replace the modem."),
    (CUSTOMER, "Great, that solves it. Thank you so much for your help."),
    (AGENT, "You are welcome. Have a good evening."),
]
DIGIT_RUN = re.compile(r"\d[\d\s\-().]{5,}\d")  # a phone or card number, however the ASR spaced it
TIMESTAMP = re.compile(r"\d\d:\d\d:\d\d[,.]\d\d\d")


@pytest.fixture(scope="module")
def call_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if espeak_path() is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng): the call cannot be synthesised")
    return synth_call(CALL, tmp_path_factory.mktemp("call") / "call.wav", stereo=True)


def test_synthesised_call_is_analysed_and_redacted(stack: Stack, call_wav: Path) -> None:
    if stack.database_url.startswith("postgresql"):
        pytest.skip("run on the SQLite stack only: the stage touches no job-store code of its own, and loading "
                    "the analysis models in a second stack would add about a minute to CI")
    # Dual-channel, as contact-centre recorders write calls: diarization by channel. (Clustering found one
    # speaker in the two espeak voices when they were mixed to mono: synthetic voices are too alike for it.)
    options = {"language": "en", "diarization": {"enabled": True, "mode": "channel"}, "analysis": "pro", "redact_pii": True}
    with stack.client(stack.new_key()) as client:
        with call_wav.open("rb") as fh:
            r = client.post("/v1/jobs", files={"file": ("call.wav", fh, "audio/wav")}, data={"options": json.dumps(options)})
        assert r.status_code == 201, r.text
        job, _ = wait_for_job(client, r.json()["data"]["id"], timeout_s=420)
        assert job["status"] == "completed", job["error"]
        doc = client.get(f"/v1/jobs/{job['id']}/result").json()["data"]

        assert doc["pii_redacted"] is True
        assert "[PHONE_NUMBER]" in doc["text"], doc["text"]
        ai = doc["ai_analysis"]
        assert ai["level"] == "pro"
        assert sorted(ai["speaker_roles"].values()) == ["Agent", "Customer"], ai["speaker_roles"]
        assert ai["transcript_cleaned"].startswith("Agent:"), ai["transcript_cleaned"][:200]
        assert ai["call_type"] == "support" and ai["call_outcome"] == "resolved", (ai["call_type"], ai["call_outcome"])
        assert ai["call_summary"]

        texts = json.dumps([doc["text"], [s["text"] for s in doc["segments"]], [w["word"] for w in doc["words"]], ai])
        at = texts.find("0132")  # (not over the whole document: a float timing may contain those digits)
        assert at < 0, texts[max(0, at - 300) : at + 60]
        words = "".join(w["word"] for w in doc["words"])
        assert not DIGIT_RUN.search(words) and not DIGIT_RUN.search(doc["text"]), doc["text"]
        for fmt in ("srt", "vtt", "txt", "json"):
            export = client.get(f"/v1/jobs/{job['id']}/exports/{fmt}")
            assert export.status_code == 200, export.text
            shown = export.text if fmt != "json" else " ".join(c["text"] for c in export.json()["cues"])
            shown = TIMESTAMP.sub("", shown)
            assert "0132" not in shown and not DIGIT_RUN.search(shown), (fmt, shown[:300])

        calls = client.get("/v1/analytics/calls")  # this month, this account
        assert calls.status_code == 200, calls.text
        assert calls.json()["data"]["calls"] == 1
