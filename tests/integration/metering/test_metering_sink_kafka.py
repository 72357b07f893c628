"""The metering sink on the real broker: a worker killed after its insert and before its commit, then a
fresh worker that gets the batch again, and nothing is counted twice."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from metering.events import UsageRecorded, encode_usage
from streams import topics

REPO_ROOT = Path(__file__).resolve().parents[3]
WORKER = Path(__file__).with_name("usage_worker.py")
EVENTS = 400


def _worker(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, str(WORKER), *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO_ROOT)


@pytest.mark.slow
async def test_killing_the_worker_mid_batch_never_double_counts(
    kafka_bootstrap: str, topic_prefix: str, chdb_dir: Path
) -> None:
    await topics.ensure_topics(kafka_bootstrap, topic_prefix)
    topic = topics.topic_name(topics.USAGE, topic_prefix)
    start = datetime(2025, 1, 31, 23, 50, tzinfo=timezone.utc)
    events = [
        UsageRecorded.for_job(account_id=f"acct-{i % 7}", job_id=f"job-{i}", quantity_seconds=i % 50 + 0.5,
                              billable_seconds=i % 50 + 1, plan="pro", occurred_at=start + timedelta(seconds=i))
        for i in range(EVENTS)
    ]
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for event in events + events[:25]:  # the orchestrator re-emitted 25 completions (redelivered job.completed)
            await producer.send(topic, encode_usage(event), key=event.account_id.encode())
        await producer.flush()
    finally:
        await producer.stop()

    common = ["--bootstrap", kafka_bootstrap, "--topic", topic, "--group", f"metering-{uuid.uuid4().hex[:8]}",
              "--chdb", str(chdb_dir), "--database", f"t_{uuid.uuid4().hex[:10]}", "--batch", "50"]
    crashed = _worker([*common, "--crash-on-batch", "3"], timeout=240)
    assert crashed.returncode == -9, crashed.stderr[-3000:]
    assert "batch 3:" in crashed.stderr

    drained = _worker([*common, "--expect", str(EVENTS)], timeout=240)
    assert drained.returncode == 0, drained.stderr[-3000:]
    # Faust routes stdout into its log (stderr): look in both.
    results = re.findall(r"RESULT (\{.*\})", drained.stdout + drained.stderr)
    assert results, drained.stderr[-3000:]
    totals = json.loads(results[-1])
    expected = sum(e.billable_seconds for e in events)
    assert totals["distinct"] == totals["rows"] == EVENTS
    assert totals["billable"] == totals["rollup_billable"] == expected
    # The killed worker's last batch came back, and the duplicates on the topic too: received > written.
    assert totals["received"] > totals["written"]
