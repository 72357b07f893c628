"""Ray lifecycle and the ASR actor pools (one pool per model name, created on first use, reused by every job).

Locally Ray starts in-process, sized to the machine; in production the worker joins a cluster (`ray_address` or
env `RAY_ADDRESS`) whose GPU nodes take actors that ask for `num_gpus`.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inference.asr import AsrWorker
from inference.config import InferenceConfig
from inference.errors import TranscriptionError, error_summary
from inference.models import check_allowed

log = logging.getLogger(__name__)

# Loading a bundled model takes seconds; a production model fetched from the Hub on first use takes minutes.
ACTOR_START_TIMEOUT_S = 900.0
HEALTH_GROUP = "health"


@dataclass(frozen=True, slots=True)
class ActorLayout:
    num_actors: int
    threads_per_actor: int


def auto_layout(cfg: InferenceConfig, cluster_cpus: float, cluster_gpus: float) -> ActorLayout:
    """Size the ASR pool when the config says 0 (auto).

    GPU: one actor per `gpus_per_actor` share of the cluster's GPUs, 2 CPU threads each (feature extraction).
    CPU: one single-threaded actor per core up to 4 cores, then 2 threads per actor so a big box doesn't hold
    one model copy per core. Measured on the 2-core dev box (tiny.en int8, batch 8, beam 5, warm actors,
    interleaved with plain faster-whisper at cpu_threads=2 in the same process, other load present):
      10-min file (20 x sample.wav): 2 actors x 1 thread 0.95 x plain (31.4 s vs 33.0 s)
                                     1 actor x 2 threads 1.01 x plain (34.5 s vs 34.0 s)
      30 s sample.wav (one clip):    2 x 1  0.83-0.89 x plain;  1 x 2  0.96-1.02 x plain
    Two processes decoding different batches beat CTranslate2's intra-op threading, whose per-op
    synchronisation costs more than it gains on 2 cores. Layouts above 2 cores are not measured yet.
    """
    if cfg.gpus_per_actor > 0:
        threads = cfg.asr_threads_per_actor or 2
        actors = cfg.num_asr_actors or max(1, int(cluster_gpus // cfg.gpus_per_actor))
        return ActorLayout(actors, threads)
    cpus = max(1, int(cluster_cpus))
    threads = cfg.asr_threads_per_actor or (1 if cpus <= 4 else 2)
    actors = cfg.num_asr_actors or max(1, cpus // threads)
    return ActorLayout(actors, threads)


class RayRuntime:
    """Owns the Ray connection (if it started it) and the actor pools."""

    def __init__(self, cfg: InferenceConfig) -> None:
        self.cfg = cfg
        self._owns_ray = False
        self._started = False
        self._pools: dict[str, list[Any]] = {}
        self._pool_locks: dict[tuple[str, int], asyncio.Lock] = {}
        self._in_use: dict[str, int] = {}
        self.layout: ActorLayout | None = None

    def start(self) -> None:
        """Connect to a cluster if one is named, else start a quiet, bounded local Ray (idempotent)."""
        if self._started:
            return
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        import ray

        if not ray.is_initialized():
            address = self.cfg.ray_address or os.environ.get("RAY_ADDRESS") or None
            common: dict[str, Any] = {
                "ignore_reinit_error": True,
                "log_to_driver": False,
                "logging_level": logging.WARNING,
            }
            if address:
                # Cluster workers import `inference` from the image the cluster runs (pip-installed project).
                ray.init(address=address, **common)
            else:
                ray.init(
                    runtime_env={"env_vars": _local_worker_env()},
                    num_cpus=self.cfg.ray_num_cpus or os.cpu_count() or 1,
                    object_store_memory=self.cfg.ray_object_store_bytes,
                    include_dashboard=False,
                    **common,
                )
                self._owns_ray = True
        resources = ray.cluster_resources()
        self.layout = auto_layout(self.cfg, resources.get("CPU", 1), resources.get("GPU", 0))
        self._started = True
        log.info("ray runtime ready: %s", self.layout)

    def stop(self) -> None:
        """Kill our actors; shut Ray down only if this runtime started it."""
        import ray

        for actors in self._pools.values():
            for actor in actors:
                _kill(actor)
        self._pools.clear()
        if self._owns_ray and ray.is_initialized():
            ray.shutdown()
        self._owns_ray = False
        self._started = False

    async def actors(self, model_name: str) -> list[Any]:
        """The pool for `model_name`, creating (and waiting for model load) on first use or after a death."""
        check_allowed(model_name, self.cfg.allowed_models)
        self.start()
        assert self.layout is not None
        # asyncio locks belong to one loop; keyed by loop so a runtime outlives a test's (or a script's) loop.
        lock = self._pool_locks.setdefault((model_name, id(asyncio.get_running_loop())), asyncio.Lock())
        async with lock:
            pool = self._pools.setdefault(model_name, [])
            await self._drop_dead(model_name, pool)
            missing = self.layout.num_actors - len(pool)
            if missing > 0:
                fresh = [self._create_actor(model_name) for _ in range(missing)]
                try:
                    await self._wait_started(model_name, fresh)
                except BaseException as exc:
                    for actor in fresh:
                        _kill(actor)
                    if isinstance(exc, Exception):
                        raise TranscriptionError(
                            f"could not start ASR actors for model {model_name!r}: {error_summary(exc)}"
                        ) from exc
                    raise
                pool.extend(fresh)
            return list(pool)

    @asynccontextmanager
    async def using(self, model_name: str) -> AsyncIterator[list[Any]]:
        """The pool for one job; while any job uses a pool it is never evicted for another model."""
        self._in_use[model_name] = self._in_use.get(model_name, 0) + 1
        try:
            yield await self.actors(model_name)
        finally:
            self._in_use[model_name] -= 1

    async def _wait_started(self, model_name: str, fresh: list[Any]) -> None:
        """Wait for the new actors' models to load.

        Every pool is sized to the whole cluster, so a second model's actors only get CPUs/GPUs once another
        model's pool goes away: while waiting, idle pools of other models are evicted (their next job reloads).
        """
        pings = [asyncio.ensure_future(actor.ping.remote()) for actor in fresh]
        deadline = asyncio.get_running_loop().time() + ACTOR_START_TIMEOUT_S
        try:
            while True:
                self._evict_idle(keep=model_name)
                done, pending = await asyncio.wait(pings, timeout=1.0)
                for finished in done:
                    finished.result()  # raises the actor's __init__ error (bad model, OOM) at once
                if not pending:
                    return
                if asyncio.get_running_loop().time() > deadline:
                    raise TimeoutError(
                        f"ASR actors for {model_name!r} did not start within {ACTOR_START_TIMEOUT_S:.0f} s "
                        f"(not enough free CPUs/GPUs in the Ray cluster for {self.layout})"
                    )
        finally:
            for ping in pings:
                ping.cancel()

    async def _drop_dead(self, model_name: str, pool: list[Any]) -> None:
        """Replace actors that died since the last job (OOM, node loss, a kill), before dispatching to them.

        The ping runs in the "health" concurrency group, so it answers at once even while the actor is busy
        with another job's batch.
        """
        from ray.exceptions import RayActorError

        pings = [actor.ping.options(concurrency_group=HEALTH_GROUP).remote() for actor in pool]
        results = await asyncio.gather(*pings, return_exceptions=True)
        for actor, result in zip(list(pool), results):
            if isinstance(result, RayActorError):
                log.warning("ASR actor for %r is dead (%s); replacing it", model_name, error_summary(result))
                self.discard(model_name, actor)

    def _evict_idle(self, keep: str) -> None:
        for name in [n for n, pool in self._pools.items() if n != keep and pool and not self._in_use.get(n)]:
            log.info("evicting idle ASR pool %r to make room", name)
            for actor in self._pools.pop(name):
                _kill(actor)

    def discard(self, model_name: str, actor: Any) -> None:
        """Forget (and kill) a failed actor; the next `actors()` call replaces it."""
        pool = self._pools.get(model_name, [])
        if actor in pool:
            pool.remove(actor)
        _kill(actor)

    def _create_actor(self, model_name: str) -> Any:
        import ray

        assert self.layout is not None
        threads = self.layout.threads_per_actor
        remote_cls = ray.remote(
            num_cpus=threads,
            num_gpus=self.cfg.gpus_per_actor or 0,
            max_restarts=0,
            concurrency_groups={HEALTH_GROUP: 1},
        )(AsrWorker)
        device = self.cfg.device
        if device == "auto":
            device = "cuda" if self.cfg.gpus_per_actor > 0 else "cpu"
        return remote_cls.remote(
            model_name, str(self.cfg.model_cache_dir), device, self.cfg.compute_type, threads
        )


def _local_worker_env() -> dict[str, str]:
    """Local workers must import `inference` even when the project isn't pip-installed (tests, a checkout)."""
    root = str(Path(__file__).resolve().parents[1])
    paths = [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {"PYTHONPATH": os.pathsep.join(dict.fromkeys(paths)), "RAY_USAGE_STATS_ENABLED": "0"}


def _kill(actor: Any) -> None:
    import ray

    try:
        ray.kill(actor, no_restart=True)
    except Exception:  # already dead or Ray gone: nothing left to free
        pass
