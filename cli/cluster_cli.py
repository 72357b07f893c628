"""`parlance cluster up|down|status|restart`: the local multi-process cluster (cli/cluster.py) from a shell."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from cli.cluster import ClusterError, LocalCluster

cluster_app = typer.Typer(no_args_is_help=True, help="A local multi-process cluster on loopback (3 brokers, ClickHouse, PostgreSQL, Ray, HAProxy).")

DEFAULT_BASE_PORT = 39000


def _default_dir() -> Path:
    state = os.environ.get("PARLANCE_STATE_DIR") or str(Path.home() / ".cache" / "parlance" / "state")
    return Path(state) / "cluster"


DirOption = Annotated[Path, typer.Option("--dir", help="State of the cluster (configs, data, logs, pids).")]


def _attach(directory: Path) -> LocalCluster:
    if not (directory / "cluster.json").exists():
        typer.echo(f"no cluster in {directory}", err=True)
        raise typer.Exit(3)
    return LocalCluster.attach(directory)


def _print_status(cluster: LocalCluster) -> bool:
    status = cluster.status()
    for name, part in status.items():
        state = "ready" if part["ready"] else ("alive" if part["alive"] else "down")
        typer.echo(f"{name:<12} {state:<6} pid={part['pid'] or '-':<8} {part['address']}")
    return all(part["ready"] for part in status.values())


@cluster_app.command()
def up(
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    api: Annotated[int, typer.Option(help="API replicas behind the balancer.")] = 1,
    directory: DirOption = _default_dir(),
    base_port: Annotated[int, typer.Option(help="The cluster uses 300 ports from here (see infra/README.md).")] = DEFAULT_BASE_PORT,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for every part.")] = 420.0,
) -> None:
    """Start every part, wait until each answers, print the addresses; the processes keep running."""
    if (directory / "cluster.json").exists() and LocalCluster.attach(directory).pids:
        typer.echo(f"a cluster is already running from {directory}; `parlance cluster down --dir {directory}` first", err=True)
        raise typer.Exit(1)
    started = time.monotonic()
    cluster = LocalCluster(directory, api_replicas=api, workers=workers, base_port=base_port, start_timeout_s=timeout)
    try:
        cluster.start()
    except ClusterError as exc:
        typer.echo(f"cluster did not start (everything it started is stopped again):\n{exc}", err=True)
        raise typer.Exit(1) from exc
    _print_status(cluster)
    typer.echo(f"# up in {time.monotonic() - started:.0f} s; clickhouse is chDB's clickhouse-local over HTTP: local use only")
    for var, value in [("PARLANCE_API_URL", cluster.api_url), ("PARLANCE_KAFKA_BOOTSTRAP", cluster.kafka_bootstrap),
                       ("PARLANCE_DATABASE_URL", cluster.database_url), ("PARLANCE_CLICKHOUSE_URL", cluster.clickhouse_url),
                       ("PARLANCE_RAY_ADDRESS", cluster.ray_address), ("RAY_AUTH_MODE", "token"),
                       ("RAY_AUTH_TOKEN_PATH", str(directory.resolve() / "ray" / "auth_token"))]:  # fmt: skip
        typer.echo(f"export {var}={value}")


@cluster_app.command()
def down(directory: DirOption = _default_dir()) -> None:
    """Stop every part the cluster in DIR started (data stays; delete DIR to drop it)."""
    cluster = _attach(directory)
    started = time.monotonic()
    cluster.stop()
    typer.echo(f"stopped in {time.monotonic() - started:.0f} s" + (f" (SIGKILLed: {', '.join(cluster.killed_at_stop)})" if cluster.killed_at_stop else ""))


@cluster_app.command()
def status(directory: DirOption = _default_dir()) -> None:
    """Each part: ready / alive / down, pid, address. Exit 0 when every part is ready, 3 otherwise."""
    if not _print_status(_attach(directory)):
        raise typer.Exit(3)


@cluster_app.command()
def restart(part: Annotated[str, typer.Argument(help="e.g. kafka-2, worker-0, api-0, ray-node-1, clickhouse")],
            directory: DirOption = _default_dir()) -> None:
    """Start one part again (kill it first with `kill -9 -- -PID` to simulate a crash)."""
    cluster = _attach(directory)
    try:
        cluster.restart(part)
    except (ClusterError, KeyError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"{part} ready (pid {cluster.pids[part]})")


if __name__ == "__main__":
    sys.exit(cluster_app())
