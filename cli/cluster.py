"""A local multi-process cluster on loopback, every part real: `parlance cluster up|down|status`, and tests.

Parts: 3 Kafka brokers (KRaft, combined broker+controller, static quorum, RF 3, min ISR 2), one ClickHouse
over HTTP (chDB's clickhouse-local, see cli/clickhouse_http.py: local use only), PostgreSQL
(infra/local/postgres.sh), a Ray head and a second Ray node (token auth), N `parlance api` replicas behind
HAProxy and N `parlance worker`s. Each part is one process group of its own, so a test can SIGKILL one
(`kill`) and start it again with the same command, ports and data (`restart`).

    with LocalCluster(tmp_path / "cluster", api_replicas=1, workers=1) as cluster:
        httpx.get(f"{cluster.api_url}/readyz")
        cluster.kill("kafka-2"); cluster.restart("kafka-2")

Everything it starts lives under `base_dir` (configs, data, logs in `logs/<part>.log`, `cluster.json` with the
pids), so `parlance cluster down --dir` from another process stops what `up` started.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import httpx
import psutil

from cli import cluster_parts as parts
from cli.cluster_parts import HOST, KAFKA_BROKERS, PORT_BLOCK, Ports

RAY_NODES = ("ray-head", "ray-node-1")
GROUP_ID = "parlance-worker"  # PARLANCE_FAUST_APP_ID of the workers = their Kafka consumer group


class ClusterError(RuntimeError):
    """The cluster (or one part) did not start in time; the message carries the logs' tails."""


class RayNodeDown(ClusterError):
    """A Ray node died while a part that needs it (a worker) was starting: that part can never become ready."""


LOCK_DIR = Path("/tmp/parlance-cluster-ports")


def reserve_port_block(base: int) -> int | None:
    """An open file holding an exclusive lock on this block of ports, or None if another cluster holds it.

    Free ports alone do not make a block safe: two clusters starting at the same moment would both see them
    free. The lock lives as long as the process that took it (the kernel drops it when the process exits).
    """
    LOCK_DIR.mkdir(exist_ok=True)
    fd = os.open(LOCK_DIR / f"{base}.lock", os.O_CREAT | os.O_RDWR, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def find_free_base_port(start: int = 40000, stop: int = 60000, api_replicas: int = 1) -> tuple[int, int]:
    """The first block of PORT_BLOCK ports that no other cluster has reserved and where every port this cluster
    binds is free on loopback; returns (base, lock fd)."""
    for base in range(start, stop - PORT_BLOCK, PORT_BLOCK):
        fd = reserve_port_block(base)
        if fd is None:
            continue
        if all(_port_free(p) for p in Ports(base).all(api_replicas)):
            return base, fd
        os.close(fd)
    raise ClusterError(f"no free block of {PORT_BLOCK} ports in {start}-{stop}")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def _run_async(make: Callable[[], Coroutine[Any, Any, Any]], timeout: float) -> Any:
    """Runs a coroutine to completion from sync code, even when the caller is inside an event loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(asyncio.wait_for(make(), timeout))).result()


class LocalCluster:
    """Start, watch, kill and restart the parts of one local cluster. Not thread-safe; blocking calls."""

    def __init__(
        self,
        base_dir: Path,
        api_replicas: int = 1,
        workers: int = 1,
        base_port: int | None = None,
        env: dict[str, str] | None = None,
        start_timeout_s: float = 420.0,
    ) -> None:
        if not 1 <= api_replicas <= parts.MAX_REPLICAS or workers < 1:
            raise ValueError(f"need 1..{parts.MAX_REPLICAS} API replicas and at least one worker")
        self.base_dir = base_dir.resolve()
        self.api_replicas = api_replicas
        self.workers = workers
        if base_port is None:
            base_port, self._port_lock = find_free_base_port(api_replicas=api_replicas)
        else:
            self._port_lock = reserve_port_block(base_port)  # None: another cluster of this machine has it
        self.ports = Ports(base_port)
        self.extra_env = dict(env or {})
        self.start_timeout_s = start_timeout_s
        self.procs: dict[str, psutil.Process] = {}
        self.killed_at_stop: list[str] = []  # parts the last stop() had to SIGKILL
        self._kafka_libs: Path | None = None
        self._s3_settings: dict[str, str] | None = None

    # ------------------------------------------------------------ addresses ---
    @property
    def api_url(self) -> str:
        """The load-balanced address of every API replica."""
        return f"http://{HOST}:{self.ports.balancer}"

    def replica_url(self, replica: int) -> str:
        return f"http://{HOST}:{self.ports.api(replica)}"

    @property
    def kafka_bootstrap(self) -> str:
        return ",".join(f"{HOST}:{self.ports.kafka(n)}" for n in range(1, KAFKA_BROKERS + 1))

    @property
    def clickhouse_url(self) -> str:
        return f"http://{HOST}:{self.ports.clickhouse}"

    @property
    def database_url(self) -> str:
        return f"postgresql+asyncpg://parlance:parlance@{HOST}:{self.ports.postgres}/parlance"

    @property
    def ray_address(self) -> str:
        return f"{HOST}:{self.ports.ray_gcs}"

    @property
    def part_names(self) -> list[str]:
        """Start order: storage first, then Ray, then the processes that need all of it, the balancer last."""
        return (
            ["postgres", "clickhouse"] + [f"kafka-{n}" for n in range(1, KAFKA_BROKERS + 1)] + ["ray-head", "ray-node-1"]
            + [f"api-{i}" for i in range(self.api_replicas)] + [f"worker-{i}" for i in range(self.workers)] + ["balancer"]
        )  # fmt: skip

    @property
    def pids(self) -> dict[str, int]:
        """Part name → pid (= process group id) of the parts running now."""
        return {name: p.pid for name, p in self.procs.items() if self._alive(name)}

    def env(self) -> dict[str, str]:
        """The environment of an API or worker process of this cluster (also for `parlance keys create`)."""
        return {
            **os.environ,
            **parts.ray_env(self._ray_token),
            "PARLANCE_ENVIRONMENT": "local",
            # One object store for every process: the local S3 server (SeaweedFS), a prefix per cluster.
            **self._s3_env,
            "PARLANCE_OBJECT_STORE_URL": f"{self._s3_env['PARLANCE_OBJECT_STORE_URL'].rstrip('/')}/{self._s3_prefix}",
            "PARLANCE_SCRATCH_DIR": str(self.base_dir / "scratch"),
            "PARLANCE_DATABASE_URL": self.database_url,
            "PARLANCE_CLICKHOUSE_URL": self.clickhouse_url,
            "PARLANCE_KAFKA_BOOTSTRAP": self.kafka_bootstrap,
            "PARLANCE_TOPIC_REPLICATION_FACTOR": "3",
            "PARLANCE_FAUST_APP_ID": GROUP_ID,
            "PARLANCE_RAY_ADDRESS": self.ray_address,
            "PARLANCE_PUBLIC_URL": self.api_url,
            "PARLANCE_HOST": HOST,
            **self.extra_env,
        }

    @property
    def _s3_prefix(self) -> str:
        return "cluster-" + hashlib.sha256(str(self.base_dir).encode()).hexdigest()[:12]

    @property
    def _s3_env(self) -> dict[str, str]:
        """PARLANCE_OBJECT_STORE_URL and the S3 endpoint and credentials, as the S3 server's script prints them."""
        if self._s3_settings is None:
            out = subprocess.run(["bash", str(parts.INFRA_LOCAL / "seaweedfs.sh"), "env"], capture_output=True, text=True, check=True)
            self._s3_settings = dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)
        return self._s3_settings

    # ------------------------------------------------------------ lifecycle ---
    def start(self) -> LocalCluster:
        """Start every part and wait until each answers; on any failure stop what started and raise."""
        deadline = time.monotonic() + self.start_timeout_s
        self.base_dir.mkdir(parents=True, exist_ok=True)
        (self.base_dir / "logs").mkdir(exist_ok=True)
        try:
            self._prepare()
            # Ray first, while the machine is quietest: a raylet that has not registered with the GCS 30 s
            # after it started makes `ray start` give up (fixed in Ray), and the JVMs' start is CPU-heavy.
            self.start_part("postgres")
            self.start_part("clickhouse")
            self._start_with_retries("ray-head", deadline)
            self._start_with_retries("ray-node-1", deadline)
            brokers = [f"kafka-{n}" for n in range(1, KAFKA_BROKERS + 1)]
            for name in brokers:
                self.start_part(name)
            for name in ["postgres", "clickhouse", *brokers]:
                self.wait_ready(name, deadline)
            self._ensure_topics(deadline)
            self._ensure_ray_up(deadline)
            # One API replica first: it runs the job store's and ClickHouse's migrations before anyone else.
            self.start_part("api-0")
            self.wait_ready("api-0", deadline)
            rest = [f"api-{i}" for i in range(1, self.api_replicas)] + [f"worker-{i}" for i in range(self.workers)]
            self._start_ray_users([*rest, "balancer"], deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout_s: float = 20.0) -> None:
        """SIGTERM every part (clients before servers), SIGKILL what is left after the timeout."""
        for name in reversed(self.part_names):
            if name == "postgres":
                self._postgres("stop", check=False)
            elif name in self.procs:
                # A Ray node keeps nothing worth a graceful stop, and `ray start --block` takes over 20 s to stop
                # its processes on a busy machine; its temp dir is removed below.
                self._signal(name, signal.SIGKILL if name.startswith("ray-") else signal.SIGTERM)
        end = time.monotonic() + timeout_s
        self.killed_at_stop = []
        for name in reversed(self.part_names):
            while self._alive(name) and time.monotonic() < end:
                time.sleep(0.2)
            if self._alive(name):
                self.killed_at_stop.append(name)
            if name in self.procs and name != "postgres":
                self._signal(name, signal.SIGKILL)  # the leader, or what it left behind in its group
        self.procs.clear()
        self._save()
        shutil.rmtree(self._ray_temp, ignore_errors=True)
        if not self._postgres_state.is_relative_to(self.base_dir):
            shutil.rmtree(self._postgres_state, ignore_errors=True)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to one part's whole process group (a Ray node's raylet and workers die with it)."""
        if name not in self.procs:
            raise KeyError(f"{name} is not running (parts: {self.part_names})")
        self._signal(name, sig)
        end = time.monotonic() + 30
        while self._alive(name) and time.monotonic() < end:
            time.sleep(0.1)

    def restart(self, name: str, timeout_s: float = 240.0) -> None:
        """Start a part again with its command, ports and data (after `kill`, or to bounce it), wait until ready."""
        if self._alive(name):
            self.kill(name, signal.SIGTERM)
        self._start_with_retries(name, time.monotonic() + timeout_s, attempts=4 if name.startswith("ray-") else 1)

    def status(self) -> dict[str, dict[str, Any]]:
        """Part → {pid, alive, ready, address}: a quick look, no waiting."""
        return {
            name: {
                "pid": self.procs[name].pid if name in self.procs else None,
                "alive": self._alive(name),
                "ready": self._alive(name) and self._ready(name),
                "address": self._address(name),
            }
            for name in self.part_names
        }

    def __enter__(self) -> LocalCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- parts ---
    def start_part(self, name: str) -> None:
        if self._alive(name):
            return
        if name in self.procs and name != "postgres":
            self._signal(name, signal.SIGKILL)  # whatever the dead leader left in its group
        if name == "postgres":
            self._postgres("start")
            self.procs[name] = psutil.Process(self._postgres_pid())
        else:
            argv, env, cwd = self._command(name)
            log = self.base_dir / "logs" / f"{name}.log"
            with log.open("ab") as fh:
                fh.write(f"\n==> {time.strftime('%H:%M:%S')} starting {' '.join(argv)}\n".encode())
                fh.flush()
                proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=fh,
                                        stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
            self.procs[name] = psutil.Process(proc.pid)
        self._save()

    def _start_with_retries(self, name: str, deadline: float, attempts: int = 4) -> None:
        """A raylet aborts when its dashboard agent (a Python process) has not written its port file within 15 s
        (fixed in Ray), or when its runtime-env agent exits (a fresh-clone run saw it exit with code 0 a second
        after start); on a loaded two-core machine the agent's imports alone can take longer, so Ray nodes get a
        few attempts (the next one starts with warm caches). `ray start --block` outlives its dead raylet, so a
        failed node's process group is killed before the next attempt."""
        for attempt in range(1, attempts + 1):
            self.start_part(name)
            try:
                self.wait_ready(name, deadline)
                return
            except ClusterError:
                if attempt == attempts or time.monotonic() > deadline:
                    raise
                if self._alive(name):
                    if not name.startswith("ray-"):
                        raise
                    self._signal(name, signal.SIGKILL)

    def _ensure_ray_up(self, deadline: float) -> None:
        """Both Ray nodes still run before the processes that use them start: a node's agent can die seconds after
        the node registered, and `ray start --block` then stops the whole node. If one is down, both start again
        (a new head is a new GCS, which the second node must join afresh)."""
        if not self._ray_nodes_down():
            return
        for name in RAY_NODES:
            if name in self.procs:
                self._signal(name, signal.SIGKILL)
        for name in RAY_NODES:
            self._start_with_retries(name, deadline)

    def _ray_nodes_down(self) -> list[str]:
        return [name for name in RAY_NODES if not (self._alive(name) and self._ray_started(name))]

    def _start_ray_users(self, names: list[str], deadline: float, attempts: int = 3) -> None:
        """Start `names` and wait for them; when a Ray node dies meanwhile (a fresh-clone CI run saw a worker
        retry a gone GCS for six minutes), the workers are killed, both nodes start again, and so do they."""
        for attempt in range(1, attempts + 1):
            for name in names:
                self.start_part(name)
            try:
                for name in names:
                    self.wait_ready(name, deadline)
                return
            except RayNodeDown:
                if attempt == attempts or time.monotonic() > deadline:
                    raise
                for name in names:
                    if name.startswith("worker-") and name in self.procs:
                        self._signal(name, signal.SIGKILL)
                self._ensure_ray_up(deadline)

    def wait_ready(self, name: str, deadline: float) -> None:
        while time.monotonic() < deadline:
            if not self._alive(name):
                raise ClusterError(f"{name} exited during startup\n{self.log_tail(name)}")
            if name.startswith("ray-") and self._ray_failed(name):
                raise ClusterError(f"{name}: a Ray process died during startup\n{self.log_tail(name)}")
            if name.startswith("worker-") and (down := self._ray_nodes_down()):
                tails = "\n".join(self.log_tail(node) for node in down)
                raise RayNodeDown(f"{name} waits on Ray, but {', '.join(down)} died\n{tails}")
            if self._ready(name):
                return
            time.sleep(0.5)
        ray_tails = "\n".join(self.log_tail(node, lines=15) for node in RAY_NODES) if name.startswith("worker-") else ""
        raise ClusterError(f"{name} not ready in time\n{self.log_tail(name)}\n{ray_tails}")

    def log_tail(self, name: str, lines: int = 40) -> str:
        log = self._postgres_dir / "postgres.log" if name == "postgres" else self.base_dir / "logs" / f"{name}.log"
        if not log.exists():
            return f"(no log at {log})"
        return f"--- last lines of {log} ---\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])

    def create_key(self, account: str, plan: str = "business", test: bool = False, scopes: str | None = None) -> str:
        """An API key for `account` (created if new) through `parlance keys create`; `test`: a sandbox key;
        `scopes`: comma-separated, else the CLI's default."""
        argv = [*parts.parlance_argv("keys"), "create", "--account", account, "--plan", plan]
        argv += (["--test"] if test else []) + (["--scopes", scopes] if scopes else [])
        out = subprocess.run(argv, env={**self.env(), "PARLANCE_DATA_DIR": str(self.base_dir / "proc" / "cli")},
                             cwd=parts.REPO_ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
        if out.returncode != 0:
            raise ClusterError(f"parlance keys create failed:\n{out.stderr}")
        return out.stdout.strip()

    def worker_group_members(self) -> int:
        """How many workers are members of the consumer group right now."""
        from aiokafka.admin import AIOKafkaAdminClient

        async def members() -> int:
            admin = AIOKafkaAdminClient(bootstrap_servers=self.kafka_bootstrap, request_timeout_ms=5000)
            await admin.start()
            try:
                groups = await admin.describe_consumer_groups([GROUP_ID])
                return sum(len(g.groups[0][5]) if g.groups else 0 for g in groups)  # (err, id, state, proto_type, proto, members)
            finally:
                await admin.close()

        return int(_run_async(members, 15))

    def brokers_online(self) -> int:
        from aiokafka.admin import AIOKafkaAdminClient

        async def count() -> int:
            admin = AIOKafkaAdminClient(bootstrap_servers=self.kafka_bootstrap, request_timeout_ms=5000)
            await admin.start()
            try:
                return len((await admin.describe_cluster())["brokers"])
            finally:
                await admin.close()

        return int(_run_async(count, 15))

    # -------------------------------------------------------------- private ---
    @property
    def _postgres_dir(self) -> Path:
        return self._postgres_state / "postgres"

    @property
    def _postgres_state(self) -> Path:
        """postgres.sh's PARLANCE_STATE_DIR. As root, PostgreSQL runs as the postgres user, which must be able to
        traverse every ancestor of its data; pytest resets its temp root (/tmp/pytest-of-<user>) to 0700 whenever
        any session starts, which made a running cluster's PostgreSQL PANIC. So a cluster under the temp dir keeps
        PostgreSQL's data in a directory of its own directly in /tmp (removed by stop())."""
        tmp = Path(tempfile.gettempdir()).resolve()
        if self.base_dir.is_relative_to(tmp):
            return tmp / f"parlance-pg-{hashlib.sha1(str(self.base_dir).encode()).hexdigest()[:12]}"
        return self.base_dir / "state"

    @property
    def _ray_token(self) -> Path:
        return self.base_dir / "ray" / "auth_token"

    @property
    def _ray_temp(self) -> Path:
        # Ray's unix sockets live in its temp dir and their paths must stay short (pytest's tmp paths are long).
        return Path("/tmp") / f"parlance-ray-{self.ports.base}"

    def _prepare(self) -> None:
        """Configs, one-time storage format, the Ray token, the Kafka jars (cached outside the clone), the S3
        server (infra/local/seaweedfs.sh: shared by every cluster on the machine, like the test broker)."""
        s3 = subprocess.run(["bash", str(parts.INFRA_LOCAL / "seaweedfs.sh"), "start"], capture_output=True, text=True)
        if s3.returncode != 0:
            raise ClusterError(f"starting the S3 server failed:\n{s3.stdout}\n{s3.stderr}")
        libs = subprocess.run(["bash", str(parts.INFRA_LOCAL / "kafka.sh"), "install"], capture_output=True, text=True)
        if libs.returncode != 0:
            raise ClusterError(f"installing Kafka failed:\n{libs.stderr}")
        self._kafka_libs = Path(libs.stdout.strip().splitlines()[-1])
        if shutil.which("haproxy") is None:
            if os.geteuid() != 0:
                raise ClusterError("haproxy is missing: sudo apt-get install -y haproxy")
            subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "haproxy"], check=True, capture_output=True,
                           env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})  # fmt: skip
        self._ray_token.parent.mkdir(parents=True, exist_ok=True)
        if not self._ray_token.exists():
            self._ray_token.write_text(secrets.token_hex(32))
            self._ray_token.chmod(0o600)
        kafka = self.base_dir / "kafka"
        kafka.mkdir(exist_ok=True)
        (kafka / "log4j2.xml").write_text(parts.LOG4J_FILE)
        (kafka / "log4j2-tools.xml").write_text(parts.LOG4J_CONSOLE)
        id_file = kafka / "cluster.id"
        if not id_file.exists():
            id_file.write_text(parts.kafka_cluster_id())
        formats = []
        for n in range(1, KAFKA_BROKERS + 1):
            node = kafka / f"node-{n}"
            (node / "data").mkdir(parents=True, exist_ok=True)
            (node / "server.properties").write_text(parts.kafka_properties(self.ports, n, node / "data"))
            if not (node / "data" / "meta.properties").exists():
                argv = parts.kafka_format_argv(self._kafka_libs, node / "server.properties", id_file.read_text().strip(),
                                               kafka / "log4j2-tools.xml")  # fmt: skip
                formats.append(subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
        for proc in formats:  # the three formats run side by side: each is a JVM start
            out, _ = proc.communicate(timeout=120)
            if proc.returncode != 0:
                raise ClusterError(f"formatting Kafka storage failed:\n{out}")
        (self.base_dir / "haproxy.cfg").write_text(parts.haproxy_config(self.ports, self.api_replicas))
        (self.base_dir / "objects").mkdir(exist_ok=True)

    def _command(self, name: str) -> tuple[list[str], dict[str, str], Path]:
        base_env = {**os.environ, "PYTHONPATH": parts.ray_env(self._ray_token)["PYTHONPATH"]}
        if name.startswith("kafka-"):
            node = self.base_dir / "kafka" / f"node-{name.split('-')[1]}"
            assert self._kafka_libs is not None
            argv = parts.kafka_argv(self._kafka_libs, node / "server.properties", node, self.base_dir / "kafka" / "log4j2.xml")
            return argv, base_env, node
        if name == "clickhouse":
            return parts.clickhouse_argv(self.base_dir / "clickhouse", self.ports.clickhouse), base_env, parts.REPO_ROOT
        if name.startswith("ray-"):
            node = 0 if name == "ray-head" else 1
            return parts.ray_argv(self.ports, node, self._ray_temp), {**os.environ, **parts.ray_env(self._ray_token)}, self.base_dir
        if name == "balancer":
            return parts.haproxy_argv(self.base_dir / "haproxy.cfg"), base_env, self.base_dir
        kind, index = name.split("-")
        data_dir = self.base_dir / "proc" / name
        data_dir.mkdir(parents=True, exist_ok=True)
        env = {**self.env(), "PARLANCE_DATA_DIR": str(data_dir)}
        if kind == "api":
            env["PARLANCE_PORT"] = str(self.ports.api(int(index)))
        else:
            env["PARLANCE_WORKER_ID"] = name
        return parts.parlance_argv(kind), env, parts.REPO_ROOT

    def _ready(self, name: str) -> bool:
        try:
            if name == "postgres":
                return self._postgres("status", check=False).returncode == 0
            if name == "clickhouse":
                return httpx.get(f"{self.clickhouse_url}/?query=SELECT%201", timeout=2).text.strip() == "1"
            if name.startswith("kafka-"):
                return _port_open(self.ports.kafka(int(name.split("-")[1]))) and self.brokers_online() >= self._brokers_alive()
            if name.startswith("ray-"):
                return self._ray_started(name)
            if name.startswith("api-"):
                return httpx.get(f"{self.replica_url(int(name.split('-')[1]))}/readyz", timeout=3).status_code == 200
            if name.startswith("worker-"):
                alive = sum(self._alive(f"worker-{i}") for i in range(self.workers))
                return self.worker_group_members() >= alive
            if name == "balancer":
                return httpx.get(f"{self.api_url}/readyz", timeout=3).status_code == 200
        except Exception:  # noqa: BLE001 - not answering yet is the common case
            return False
        raise KeyError(name)

    def _address(self, name: str) -> str:
        if name.startswith("kafka-"):
            return f"{HOST}:{self.ports.kafka(int(name.split('-')[1]))}"
        if name.startswith("api-"):
            return self.replica_url(int(name.split("-")[1]))
        return {"postgres": self.database_url, "clickhouse": self.clickhouse_url, "ray-head": self.ray_address,
                "balancer": self.api_url}.get(name, "")  # fmt: skip

    def _brokers_alive(self) -> int:
        return sum(self._alive(f"kafka-{n}") for n in range(1, KAFKA_BROKERS + 1))

    def _ray_log_since_start(self, name: str) -> str:
        log = (self.base_dir / "logs" / f"{name}.log").read_text(errors="replace")
        return log.rsplit("\n==> ", 1)[-1]

    def _ray_started(self, name: str) -> bool:
        """`ray start --block` printed that its node registered, since this part was last started, and the node's
        raylet still runs: Ray prints that line even when the raylet has just died with one of its agents."""
        return self._ray_state(name) == "started"

    def _ray_failed(self, name: str) -> bool:
        """A process of this Ray node died since it was started (`ray start --block` lives on and says so)."""
        return self._ray_state(name) == "failed"

    def _ray_state(self, name: str) -> str:
        """'starting', 'started' or 'failed', from one read of the node's log since its last start."""
        log = self._ray_log_since_start(name)
        if parts.RAY_SUBPROCESS_DIED in log:
            return "failed"
        if parts.RAY_STARTED not in log:
            return "starting"
        processes = parts.HEAD_PROCESSES if name == "ray-head" else ("raylet",)
        return "started" if parts.ray_processes_running(self.procs[name], processes) else "failed"

    def _ensure_topics(self, deadline: float) -> None:
        from streams import topics

        while True:
            try:
                _run_async(lambda: topics.ensure_topics(self.kafka_bootstrap, "", KAFKA_BROKERS), 30)
                return
            except Exception as exc:  # noqa: BLE001 - the controller may still be electing
                if time.monotonic() > deadline:
                    raise ClusterError(f"creating the topics failed: {exc}") from exc
                time.sleep(1)

    def _postgres(self, action: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PARLANCE_PG_PORT": str(self.ports.postgres), "PARLANCE_STATE_DIR": str(self._postgres_state)}
        result = subprocess.run(["bash", str(parts.INFRA_LOCAL / "postgres.sh"), action], env=env, capture_output=True, text=True)
        if check and result.returncode != 0:
            raise ClusterError(f"postgres.sh {action} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def _postgres_pid(self) -> int:
        return int((self._postgres_dir / "data" / "postmaster.pid").read_text().split()[0])

    def _alive(self, name: str) -> bool:
        proc = self.procs.get(name)
        try:
            return proc is not None and proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    def _signal(self, name: str, sig: int) -> None:
        """Signals the part's process group, even when its leader is gone: `ray start --block` that gave up
        leaves a GCS and a raylet behind in its group, which would hold the ports of the next attempt."""
        proc = self.procs[name]
        if not self._alive(name) and name == "postgres":
            return
        try:
            if name == "postgres":
                os.kill(proc.pid, sig)  # the postmaster takes its backends down with it
            else:
                os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(0)  # reap our own child, if it is one
        except (psutil.Error, subprocess.TimeoutExpired, ChildProcessError):
            pass

    # ----------------------------------------------------- state on disk ---
    def _save(self) -> None:
        state = {
            "ports_base": self.ports.base, "api_replicas": self.api_replicas, "workers": self.workers,
            "env": self.extra_env,
            "procs": {name: {"pid": p.pid, "started": p.create_time()} for name, p in self.procs.items() if self._alive(name)},
        }  # fmt: skip
        (self.base_dir / "cluster.json").write_text(json.dumps(state, indent=2))

    @classmethod
    def attach(cls, base_dir: Path) -> LocalCluster:
        """The cluster whose state is in `base_dir` (started by another process, e.g. `parlance cluster up`)."""
        state = json.loads((base_dir / "cluster.json").read_text())
        cluster = cls(base_dir, state["api_replicas"], state["workers"], state["ports_base"], state.get("env"))
        for name, info in state["procs"].items():
            try:
                proc = psutil.Process(info["pid"])
                if abs(proc.create_time() - info["started"]) < 1:  # not a recycled pid
                    cluster.procs[name] = proc
            except psutil.Error:
                pass
        libs = subprocess.run(["bash", str(parts.INFRA_LOCAL / "kafka.sh"), "install"], capture_output=True, text=True)
        cluster._kafka_libs = Path(libs.stdout.strip().splitlines()[-1]) if libs.returncode == 0 else None
        return cluster


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((HOST, port)) == 0
