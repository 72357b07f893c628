"""Ray and Ray Serve for one process: start (or join) Ray, make sure the applications run, hand out handles.

Embedded (no address): a new local Ray owned by this process, `address="local"`, so neither a stale
`ray_current_cluster` file nor a stranger's `ray start` on the same machine is ever joined by accident;
Serve starts inside it without an HTTP proxy (workers call deployment handles). Joining (`ray_address` or env
`RAY_ADDRESS`): the cluster's own Serve instance and applications are shared with every other worker; a head
started by `ray start` (Ray >= 2.60) wants `RAY_AUTH_MODE=token` and the cluster's token (docs/inference.md).

Applications are deployed by whichever worker needs one first, sized from the cluster it sees (specs.py),
versioned by model and settings; a worker finding one already running with the same settings only takes a
handle. Serve owns replica health, restarts and scaling: nothing here pings or evicts replicas.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from inference.config import InferenceConfig
from inference.errors import error_summary
from inference.serving import specs

log = logging.getLogger(__name__)

# Loading a bundled model takes seconds; a production model fetched from the Hub on first use takes minutes.
APP_START_TIMEOUT_S = 900.0
# Fields of a running replica's `describe()` that may differ from ours (machine-local, tuning, secrets).
_NOT_COMPARED = {"cache_dir", "pid", "max_batch_clips", "batch_wait_s", "token"}


class RayRuntime:
    """Owns the Ray connection (if it started it) and this process's handles to the Serve applications."""

    def __init__(self, cfg: InferenceConfig) -> None:
        self.cfg = cfg
        self._owns_ray = False
        self._started = False
        self._handles: dict[str, Any] = {}
        self._deploy_lock = threading.Lock()  # deployments run in threads; one at a time per process

    @property
    def owns_cluster(self) -> bool:
        return self._owns_ray

    def start(self) -> None:
        """Connect to a cluster if one is named, else start a quiet, bounded local Ray; then Serve (idempotent)."""
        if self._started:
            return
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        import ray
        from ray import serve

        if not ray.is_initialized():
            address = self.cfg.ray_address or os.environ.get("RAY_ADDRESS") or None
            common: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}
            if address:
                # Cluster workers import `inference` from the image the cluster runs (pip-installed project).
                ray.init(address=address, **common)
            else:
                ray.init(
                    address="local",
                    runtime_env={"env_vars": _local_worker_env()},
                    num_cpus=self.cfg.ray_num_cpus or os.cpu_count() or 1,
                    object_store_memory=self.cfg.ray_object_store_bytes,
                    include_dashboard=False,
                    **common,
                )
                self._owns_ray = True
        _start_serve()
        # `@serve.deployment` registers and unregisters a module for pickling by value (cloudpickle's global
        # state, not thread-safe): importing an application module while another thread builds a deployment
        # raised "not registered for pickle by value". So both are imported here, on the caller's thread, once.
        import inference.serving.asr_app  # noqa: F401
        import inference.serving.diarization_app  # noqa: F401

        self._started = True
        log.info("ray runtime ready (%s cluster)", "own local" if self._owns_ray else "shared")

    def stop(self) -> None:
        """Shut Serve and Ray down if this runtime started them; on a shared cluster leave the applications
        running for the other workers."""
        import ray

        self._handles.clear()
        if self._owns_ray and ray.is_initialized():
            from ray import serve

            try:
                serve.shutdown()
            except Exception as exc:  # Ray going down takes the controller with it anyway
                log.warning("serve shutdown: %s", error_summary(exc))
            ray.shutdown()
        self._owns_ray = False
        self._started = False

    async def asr(self, model: str) -> Any:
        """Handle to `model`'s ASR application, deploying it first if no worker has."""
        self.start()  # first: it imports the application modules on this thread
        from inference.serving.asr_app import AsrReplica

        name = specs.asr_app_name(model)
        if name not in self._handles:
            self._handles[name] = await asyncio.to_thread(self._ensure_asr, name, model, AsrReplica)
        return self._handles[name]

    async def diarizer(self) -> Any:
        """Handle to the diarization application (deployed on the first job that asks for speakers)."""
        self.start()  # first: it imports the application modules on this thread
        from inference.serving.diarization_app import DiarizationReplica

        name = specs.DIARIZATION_APP
        if name not in self._handles:
            self._handles[name] = await asyncio.to_thread(self._ensure_diarization, name, DiarizationReplica)
        return self._handles[name]

    def forget(self, app: str) -> None:
        """Drop a cached handle (its application failed or was deleted): the next call looks again."""
        self._handles.pop(app, None)

    def _ensure_asr(self, name: str, model: str, deployment: Any) -> Any:
        import ray

        self.start()
        resources = ray.cluster_resources()
        layout = specs.asr_layout(self.cfg, resources.get("CPU", 1), resources.get("GPU", 0))
        init = specs.asr_init_args(self.cfg, model, layout.threads)
        options = specs.asr_deployment_options(self.cfg, model, layout)
        return self._ensure(name, deployment, options, init)

    def _ensure_diarization(self, name: str, deployment: Any) -> Any:
        import ray

        self.start()
        node_cpus = int(max((n.get("Resources", {}).get("CPU", 1) for n in ray.nodes() if n.get("Alive")), default=1))
        init = specs.diarization_init_args(self.cfg, node_cpus)
        options = specs.diarization_deployment_options(self.cfg)
        return self._ensure(name, deployment, options, init)

    def _ensure(self, name: str, deployment: Any, options: dict[str, Any], init: dict[str, Any]) -> Any:
        """Reuse a running application with our settings, else deploy (idempotent: the same version twice
        keeps the replicas). A failed deployment is deleted so the next job tries afresh."""
        from ray import serve

        with self._deploy_lock:
            running = _running_settings(name)
            if running is not None and _same(running, init):
                return serve.get_app_handle(name)
            if running is not None:
                log.warning("application %s runs with other settings; redeploying it with this worker's", name)
            app = deployment.options(**options, max_constructor_retry_count=3).bind(**init)
            try:
                serve.run(app, name=name, route_prefix=None)
            except Exception:
                if running is not None:  # e.g. owned by a RayService config: use what the operator deployed
                    log.warning("could not redeploy %s; using the running one", name, exc_info=True)
                    return serve.get_app_handle(name)
                _delete_quietly(name)
                raise
            log.info("deployed %s (%s)", name, {k: v for k, v in options.items() if k != "name"})
            return serve.get_app_handle(name)


def _start_serve(attempts: int = 5) -> None:
    """Start Serve's controller, or connect to the one running. Two workers joining one cluster at the same
    moment both see no controller and both create it; the loser's ActorAlreadyExistsError means it exists
    now, so the next try connects to it (seen as a worker crashing at start in the cluster's chaos tests)."""
    from ray import serve
    from ray.exceptions import ActorAlreadyExistsError

    for attempt in range(1, attempts + 1):
        try:
            serve.start(proxy_location="Disabled", logging_config={"log_level": "WARNING"})
            return
        except ActorAlreadyExistsError as exc:
            if attempt == attempts:
                raise
            log.info("serve controller created by another worker meanwhile (%s); connecting to it", error_summary(exc))
            time.sleep(1.0)


def _running_settings(name: str) -> dict[str, Any] | None:
    """What a RUNNING application's replica says it loaded; None when it is absent or not running."""
    from ray import serve

    status = serve.status().applications.get(name)
    if status is None or str(status.status) not in ("RUNNING", "ApplicationStatus.RUNNING"):
        return None
    try:
        return dict(serve.get_app_handle(name).describe.remote().result(timeout_s=60))
    except Exception as exc:  # replicas going away mid-check: treat as not running
        log.info("application %s did not describe itself: %s", name, error_summary(exc))
        return None


def _same(running: dict[str, Any], ours: dict[str, Any]) -> bool:
    keys = (set(running) | set(ours)) - _NOT_COMPARED
    return all(running.get(k) == ours.get(k) for k in keys)


def _delete_quietly(name: str) -> None:
    from ray import serve

    try:
        serve.delete(name, _blocking=False)
    except Exception:  # nothing to delete, or Serve going away
        pass


def _local_worker_env() -> dict[str, str]:
    """Local workers must import `inference` even when the project isn't pip-installed (tests, a checkout)."""
    root = str(Path(__file__).resolve().parents[1])
    paths = [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {"PYTHONPATH": os.pathsep.join(dict.fromkeys(paths)), "RAY_USAGE_STATS_ENABLED": "0", "PYANNOTE_METRICS_ENABLED": "false"}
