"""The whole stack as a user runs it: `parlance up` in a subprocess, on the real broker, with the real model.

One stack per database backend for the session (starting Ray and loading the model is the slow part); tests
isolate themselves with their own accounts and keys.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT, create_postgres_database
from tests.support import kafka_janitor

PARLANCE = str(Path(sys.executable).with_name("parlance"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Stack:
    url: str
    env: dict[str, str]
    log: Path
    topic_prefix: str
    kafka_bootstrap: str
    database_url: str

    def new_key(self, account: str | None = None, plan: str = "business", scopes: str | None = None, test: bool = False) -> str:
        """A key for a new account. Business by default: tests submit several jobs at once, which the free
        plan (one job in flight) refuses with 429; the metering tests ask for the free plan on purpose.
        `test`: a sandbox key (sk_test_)."""
        account = account or f"acct-{uuid.uuid4().hex[:8]}"
        extra = (["--scopes", scopes] if scopes else []) + (["--test"] if test else [])
        out = subprocess.run(
            [PARLANCE, "keys", "create", "--account", account, "--plan", plan, *extra], env=self.env, capture_output=True, text=True, check=True
        )
        return out.stdout.strip()

    def client(self, key: str | None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def wait_for_job(client: httpx.Client, job_id: str, timeout_s: float = 180) -> tuple[dict, list[int]]:
    """Poll a job until it ends; returns the final job and every progress value seen."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}").json()["data"]
        seen.append(job["progress"])
        if job["status"] in ("completed", "failed", "canceled"):
            return job, seen
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {timeout_s}s; last: {job}")


def stack_env(data_dir: Path, database_url: str, kafka_bootstrap: str, port: int, prefix: str) -> dict[str, str]:
    return {
        **os.environ,
        "PARLANCE_DATA_DIR": str(data_dir),
        "PARLANCE_DATABASE_URL": database_url,
        "PARLANCE_PORT": str(port),
        "PARLANCE_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "PARLANCE_KAFKA_TOPIC_PREFIX": prefix,
        "PARLANCE_FAUST_APP_ID": f"parlance-{prefix.rstrip('.')}",
        "PARLANCE_MAX_UPLOAD_BYTES": str(20 * 1024 * 1024),
        "PARLANCE_RAY_NUM_CPUS": "2",
        "RAY_USAGE_STATS_ENABLED": "0",
        # Webhook tests run a receiver on 127.0.0.1; rate limits are covered in tests/integration/api (the
        # polling helpers here would spend a free plan's 10 requests a minute in two seconds).
        "PARLANCE_ALLOW_PRIVATE_URLS": "1",  # and media_url tests serve the recording from 127.0.0.1
        "PARLANCE_RATE_LIMIT_ENABLED": "0",
        # The cached venv is shared by every clone on the machine: make subprocesses import this checkout.
        "PYTHONPATH": str(REPO_ROOT),
    }


def start_parlance_up(env: dict[str, str], log: Path, timeout_s: float = 180) -> subprocess.Popen[bytes]:
    """`parlance up` in its own process group (so a kill takes its Ray processes too), once /readyz answers."""
    with log.open("a") as log_fh:
        proc = subprocess.Popen([PARLANCE, "up", "--no-kafka"], env=env, stdout=log_fh, stderr=subprocess.STDOUT, cwd=REPO_ROOT, start_new_session=True)
    url = f"http://127.0.0.1:{env['PARLANCE_PORT']}"
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"parlance up exited with {proc.returncode}:\n{log.read_text()[-5000:]}")
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    return proc
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"stack not ready in time:\n{log.read_text()[-5000:]}")
            time.sleep(0.5)
    except BaseException:
        kill_parlance_up(proc)
        raise


def stop_parlance_up(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)  # what Ctrl-C does
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        kill_parlance_up(proc)


def kill_parlance_up(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the whole process group: nothing gets to clean up, as when a machine dies."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def stack(request: pytest.FixtureRequest, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp(f"stack-{request.param}")
    if request.param == "sqlite":
        database_url = f"sqlite+aiosqlite:///{data_dir / 'parlance.db'}"
    else:
        database_url = create_postgres_database(request.getfixturevalue("postgres_admin_url"))
    prefix = kafka_janitor.scratch_prefix("e2e")
    env = stack_env(data_dir, database_url, kafka_bootstrap, free_port(), prefix)
    log = data_dir / "up.log"
    proc = start_parlance_up(env, log)
    try:
        yield Stack(url=f"http://127.0.0.1:{env['PARLANCE_PORT']}", env=env, log=log, topic_prefix=prefix, kafka_bootstrap=kafka_bootstrap, database_url=database_url)
    finally:
        stop_parlance_up(proc)
