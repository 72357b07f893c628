"""The local cluster works end to end: a sandbox job submitted through the load balancer completes."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from cli.cluster import LocalCluster
from tests.support.cluster import tone_wav, wait_for_job

pytestmark = [pytest.mark.cluster, pytest.mark.slow, pytest.mark.timeout(900)]


def test_sandbox_job_completes_through_the_balancer(cluster: LocalCluster) -> None:
    status = cluster.status()
    assert all(part["alive"] and part["ready"] for part in status.values()), status
    assert cluster.brokers_online() == 3
    assert cluster.worker_group_members() == 1

    key = cluster.create_key(f"acct-{uuid.uuid4().hex[:8]}", test=True)
    with httpx.Client(base_url=cluster.api_url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as client:
        r = client.post("/v1/jobs", files={"file": ("tone.wav", tone_wav(), "audio/wav")},
                        data={"options": json.dumps({"sandbox": {"finish_in": 1}})})
        assert r.status_code == 201, r.text
        job = wait_for_job(client, r.json()["data"]["id"])
        assert job["status"] == "completed", job
        assert job["sandbox"] is True
        assert client.get(f"/v1/jobs/{job['id']}/result").json()["data"]["words"]
