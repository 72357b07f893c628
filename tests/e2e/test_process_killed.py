"""A process killed mid-job loses nothing: `parlance up` is SIGKILLed (its whole process group, Ray included)
while a real job is transcribing and sandbox jobs are waiting out `finish_in`, then started again on the same
database and broker. Every job completes, the real one is billed once, every webhook event is delivered with
one delivery id. Before the reaper, the restarted process found these jobs `processing` under the dead
process's lease and left them there for good.

Its own stack (PostgreSQL, short lease, fast reaper), not the session's: the test kills it.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections import defaultdict
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from metering.events import decode_usage
from schemas.events import decode_event
from store.db import create_engine
from store.models import Job, OutboxEvent
from streams import topics
from tests.conftest import create_postgres_database
from tests.e2e.conftest import (
    PARLANCE,
    free_port,
    kill_parlance_up,
    stack_env,
    start_parlance_up,
    stop_parlance_up,
    wait_for_job,
)
from tests.e2e.test_webhooks_cancel import _Receiver
from tests.support import kafka_janitor
from tests.support.samples import sample_wav

SANDBOX_JOBS = 6


def _key(env: dict[str, str], account: str, *, test: bool) -> str:
    extra = ["--test"] if test else []
    out = subprocess.run(
        [PARLANCE, "keys", "create", "--account", account, "--plan", "business", "--scopes", "jobs:read,jobs:write,webhooks:write", *extra],
        env=env, capture_output=True, text=True, check=True,
    )
    return out.stdout.strip()


def _long_call(tmp: Path) -> Path:
    """Five copies of the 30 s sample back to back: long enough to be killed while transcribing."""
    out = tmp / "call-150s.wav"
    subprocess.run(["sox", *[str(sample_wav())] * 5, str(out)], check=True)
    return out


async def _rows(database_url: str, job_ids: list[str]) -> tuple[dict[str, Job], list[OutboxEvent]]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            jobs = {row.id: row for row in (await conn.execute(select(Job).where(Job.id.in_(job_ids)))).all()}
            outbox = list((await conn.execute(select(OutboxEvent))).all())
    finally:
        await engine.dispose()
    return jobs, outbox  # type: ignore[return-value]


@pytest.mark.timeout(600)
def test_jobs_survive_a_killed_process(kafka_bootstrap: str, postgres_admin_url: str, tmp_path: Path) -> None:
    database_url = create_postgres_database(postgres_admin_url)
    prefix = kafka_janitor.scratch_prefix("e2e")
    env = stack_env(tmp_path / "data", database_url, kafka_bootstrap, free_port(), prefix)
    # The lease outlives the restart, so the redelivered job.queued finds it live and is refused (as in the
    # incident): only the reaper brings these jobs back.
    env |= {"PARLANCE_JOB_LEASE_S": "45", "PARLANCE_REAPER_INTERVAL_S": "1"}
    log = tmp_path / "up.log"
    receiver = _Receiver()
    proc = start_parlance_up(env, log)
    try:
        url = f"http://127.0.0.1:{env['PARLANCE_PORT']}"
        live, test = _key(env, "acme-kill", test=False), _key(env, "acme-kill", test=True)
        ids: list[str] = []
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {test}"}, timeout=30) as client:
            r = client.post("/v1/webhooks", json={"url": f"{receiver.url}/test", "events": ["job.completed", "job.failed"]})
            assert r.status_code == 201, r.text
            for _ in range(SANDBOX_JOBS):
                with sample_wav().open("rb") as fh:
                    r = client.post("/v1/jobs", files={"file": ("s.wav", fh, "audio/wav")}, data={"options": json.dumps({"sandbox": {"finish_in": 30}})})
                assert r.status_code == 201, r.text
                ids.append(r.json()["data"]["id"])
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {live}"}, timeout=30) as client:
            r = client.post("/v1/webhooks", json={"url": f"{receiver.url}/live", "events": ["job.completed", "job.failed"]})
            assert r.status_code == 201, r.text
            with _long_call(tmp_path).open("rb") as fh:
                r = client.post("/v1/jobs", files={"file": ("call.wav", fh, "audio/wav")}, data={"options": json.dumps({"model": "tiny.en"})})
            assert r.status_code == 201, r.text
            real = r.json()["data"]["id"]
        # Kill while the real job is transcribing (the sandbox jobs, submitted first, wait out finish_in).
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {live}"}, timeout=30) as client:
            deadline = time.monotonic() + 120
            while (job := client.get(f"/v1/jobs/{real}").json()["data"])["stage"] != "transcribing":
                assert job["status"] in ("queued", "processing") and time.monotonic() < deadline, job
                time.sleep(0.2)
        kill_parlance_up(proc)

        proc = start_parlance_up(env, log)
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {live}"}, timeout=30) as client:
            job, _ = wait_for_job(client, real, timeout_s=300)
            assert job["status"] == "completed", job
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {test}"}, timeout=30) as client:
            for job_id in ids:
                job, _ = wait_for_job(client, job_id, timeout_s=120)
                assert job["status"] == "completed", job
        ids.append(real)

        deadline = time.monotonic() + 60
        while len({p for p, _, _ in receiver.requests}) < 2 or len(receiver.requests) < len(ids):
            assert time.monotonic() < deadline, receiver.requests
            time.sleep(0.2)
        time.sleep(3)  # a duplicate delivery would arrive now
    finally:
        stop_parlance_up(proc)
        receiver.server.shutdown()

    jobs, outbox = asyncio.run(_rows(database_url, ids))
    assert jobs[real].attempt == 2  # the killed claim and the one after the reaper re-queued it
    events_topic = topics.topic_name(topics.JOBS_EVENTS, prefix)
    completions = [decode_event(r.value).job_id for r in outbox if r.topic == events_topic and b"job.completed" in r.value]
    assert sorted(completions) == sorted(ids)  # each job completed exactly once
    usage = [decode_usage(r.value) for r in outbox if r.topic == topics.topic_name(topics.USAGE, prefix)]
    assert [u.job_id for u in usage] == [real]  # billed once; sandbox jobs never
    per_job: dict[str, set[str]] = defaultdict(set)
    for _, headers, body in receiver.requests:
        payload = json.loads(body)
        per_job[payload["job_id"]].add(headers["webhook-id"])
    assert {job_id: len(d) for job_id, d in per_job.items()} == {job_id: 1 for job_id in ids}
