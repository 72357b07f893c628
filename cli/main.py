"""`parlance`: run the stack, manage keys, transcribe files, benchmark."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console

from cli import stack_db as stack

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Parlance speech-to-text platform.")
keys_app = typer.Typer(no_args_is_help=True, help="API keys.")
bench_app = typer.Typer(no_args_is_help=True, help="Benchmarks (figures, not tests).")
app.add_typer(keys_app, name="keys")
app.add_typer(bench_app, name="bench")


def _add_captions() -> None:
    from cli.captions import captions_app

    app.add_typer(captions_app, name="captions")


_add_captions()


def _add_cluster() -> None:
    from cli.cluster_cli import cluster_app

    app.add_typer(cluster_app, name="cluster")


_add_cluster()

err = Console(stderr=True)


def _logging(level: str, log_format: str = "text") -> None:
    from api.logs import configure_logging

    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    configure_logging(log_format, level)  # PARLANCE_LOG_FORMAT=json: one JSON object per line


def _warn_embedded_clickhouse(clickhouse_url: str | None, data_dir: Path) -> None:
    """Separate API and worker processes cannot share an embedded chDB directory: say so before it fails."""
    if not clickhouse_url:
        err.print(
            f"[yellow]PARLANCE_CLICKHOUSE_URL is not set: this process opens the embedded ClickHouse (chDB) at "
            f"{data_dir / 'clickhouse'}, which one process only may hold. To run `parlance api` and "
            "`parlance worker` side by side, point both at a ClickHouse server; for one local process use "
            "`parlance up`.[/yellow]"
        )


@app.command()
def up(
    no_kafka: Annotated[bool, typer.Option("--no-kafka", help="Use an already running broker.")] = False,
) -> None:
    """Start local Kafka if needed, then the API and the worker in one process. Ctrl-C stops what it started."""
    from api.settings import ApiSettings
    from cli import services, stack
    from streams.settings import WorkerSettings

    api_settings, worker_settings = ApiSettings(), WorkerSettings()
    _logging(api_settings.log_level, api_settings.log_format)
    started_kafka = False if no_kafka else services.start_kafka()
    try:
        err.print(f"[green]Parlance API on http://{api_settings.host}:{api_settings.port}[/green]")
        stack.run_all(api_settings, worker_settings)
    finally:
        if started_kafka:
            err.print("stopping the Kafka broker this command started")
            services.stop_kafka()


@app.command()
def api() -> None:
    """Run the REST API."""
    from api.settings import ApiSettings
    from cli import stack

    settings = ApiSettings()
    _logging(settings.log_level, settings.log_format)
    _warn_embedded_clickhouse(settings.clickhouse_url, settings.data_dir)
    stack.run_api(settings)


@app.command()
def worker() -> None:
    """Run a Faust worker (orchestrator agent + Ray inference)."""
    from cli import stack
    from streams.settings import WorkerSettings

    settings = WorkerSettings()
    _logging(settings.log_level, settings.log_format)
    _warn_embedded_clickhouse(settings.clickhouse_url, settings.data_dir)
    stack.run_worker(settings)


@keys_app.command("create")
def keys_create(
    account: Annotated[str, typer.Option(help="Account name; created if it does not exist.")],
    plan: Annotated[str, typer.Option(help="Plan of a new account.")] = "free",
    test: Annotated[bool, typer.Option("--test", help="Make a sandbox key (sk_test_).")] = False,
    scopes: Annotated[
        Optional[str],
        typer.Option(
            help="Comma-separated scopes (store/scopes.py; a wrong one prints them all); default: every account "
            "scope but admin. platform is the operator's (every account's analytics): only this CLI can make it."
        ),
    ] = None,
) -> None:
    """Create an API key and print it once (stdout carries only the key)."""
    from metering.plans import PLANS
    from store.keys import create_key, get_or_create_account
    from store.scopes import Scope, parse_scopes

    if plan not in PLANS:
        err.print(f"[red]unknown plan {plan!r}; plans: {', '.join(PLANS)}[/red]")
        raise typer.Exit(2)
    try:
        wanted = parse_scopes(s.strip() for s in scopes.split(",") if s.strip()) if scopes else None
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    if wanted is not None and not wanted:
        err.print(f"[red]no scopes given; scopes: {', '.join(Scope)}[/red]")
        raise typer.Exit(2)
    if test and wanted is not None and Scope.platform in wanted:
        err.print("[red]the platform scope is for live keys only (test keys see the sandbox)[/red]")
        raise typer.Exit(2)

    async def go(session: Any) -> str:
        acct = await get_or_create_account(session, account, plan)
        row, key = await create_key(session, acct, wanted, live=not test)
        err.print(f"created key {row.id} ({row.prefix}…) for account {acct.name} [{acct.id}]; it is shown only once")
        return key

    typer.echo(stack.with_session(go))


@keys_app.command("list")
def keys_list(account: Annotated[str, typer.Option(help="Account name.")]) -> None:
    """List an account's keys: id, prefix, scopes, created, revoked (never the secret)."""
    from store.keys import get_account_by_name, list_keys

    async def go(session: Any) -> list[Any]:
        acct = await get_account_by_name(session, account)
        if acct is None:
            err.print(f"[red]no account named {account!r}[/red]")
            raise typer.Exit(1)
        rows, _ = await list_keys(session, acct.id, limit=1000, offset=0)
        return rows

    for row in stack.with_session(go):
        revoked = row.revoked_at.isoformat() if row.revoked_at else "-"
        typer.echo(f"{row.id}\t{row.prefix}…\t{','.join(row.scopes)}\t{row.created_at.isoformat()}\trevoked={revoked}")


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key's id (key_…), from `parlance keys list`.")]) -> None:
    """Revoke a key: it stops working at once."""
    from store.keys import revoke_key

    async def go(session: Any) -> bool:
        return await revoke_key(session, key_id) is not None

    if not stack.with_session(go):
        err.print(f"[red]no key {key_id!r}[/red]")
        raise typer.Exit(1)
    err.print(f"revoked {key_id}")


class OutputFormat(str, Enum):
    txt = "txt"
    json = "json"
    srt = "srt"
    vtt = "vtt"
    ttml = "ttml"
    docx = "docx"


@app.command()
def transcribe(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.txt,
    preset: Annotated[str, typer.Option(help="Caption preset: youtube, tiktok, html5, generic, lms, developer-json.")] = "generic",
    out: Annotated[Optional[Path], typer.Option(help="Write FILE-stem.FORMAT into this directory.")] = None,
    language: Annotated[Optional[str], typer.Option()] = None,
    model: Annotated[Optional[str], typer.Option()] = None,
    speakers: Annotated[bool, typer.Option("--speakers", help="Diarize: label who spoke each word.")] = False,
    api_url: Annotated[str, typer.Option(envvar="PARLANCE_API_URL")] = "http://127.0.0.1:8000",
    api_key: Annotated[str, typer.Option(envvar="PARLANCE_API_KEY", help="Bearer key (or PARLANCE_API_KEY).")] = "",
) -> None:
    """Submit FILE through the REST API, follow its progress and print the transcript."""
    from captions import render_transcript
    from cli.client import ApiCallFailed, JobFailed, ParlanceClient

    if not api_key:
        err.print("[red]no API key: pass --api-key or set PARLANCE_API_KEY (see `parlance keys create`)[/red]")
        raise typer.Exit(2)
    options: dict[str, object] = {k: v for k, v in {"language": language, "model": model}.items() if v}
    if speakers:
        options["diarization"] = {"enabled": True}
    client = ParlanceClient(api_url, api_key)
    try:
        transcript = client.transcribe(file, options, console=err)
    except ApiCallFailed as exc:
        err.print(f"[red]API error {exc.status} {exc.type}: {exc.message}[/red]")
        raise typer.Exit(1) from exc
    except JobFailed as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    # The same renderer as GET /v1/jobs/{id}/exports/{format}.
    rendered = render_transcript(transcript, format.value, preset=preset)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{file.stem}.{format.value}"
        if isinstance(rendered, bytes):
            target.write_bytes(rendered)
        else:
            target.write_text(rendered, encoding="utf-8")
        err.print(f"wrote {target}")
    if isinstance(rendered, bytes):
        if out is None:
            err.print("[red]docx is binary: pass --out DIR[/red]")
            raise typer.Exit(2)
        return
    sys.stdout.write(rendered)


@bench_app.command("asr")
def bench_asr(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    model: Annotated[str, typer.Option()] = "tiny.en",
    skip_plain: Annotated[bool, typer.Option("--skip-plain")] = False,
) -> None:
    """Plain faster-whisper BatchedInferencePipeline vs the platform end to end, side by side."""
    from cli.bench import run_asr_bench

    run_asr_bench(file, model=model, skip_plain=skip_plain, console=Console())


@bench_app.command("accuracy")
def bench_accuracy(
    calls: Annotated[int, typer.Option(help="Held-out calls per call condition.")] = 2,
    models: Annotated[str, typer.Option(help="Comma-separated offline models.")] = "tiny.en,base",
    snr: Annotated[str, typer.Option(help="Comma-separated telephone line-noise levels, dB below speech.")] = "20",
) -> None:
    """WER, speech covered, repeats and DER by condition, platform beside plain faster-whisper / pyannote."""
    from cli.services import REPO_ROOT

    cmd = [sys.executable, "-m", "benchmarks.accuracy", "--calls", str(calls), "--models", *models.split(","),
           "--snr", *snr.split(",")]
    raise typer.Exit(subprocess.run(cmd, cwd=REPO_ROOT, check=False).returncode)


@bench_app.command("throughput")
def bench_throughput(
    copies: Annotated[int, typer.Option(help="Copies of the 30 s call in the `calls` scenario.")] = 40,
    model: Annotated[str, typer.Option()] = "tiny.en",
    scenarios: Annotated[str, typer.Option(help="Comma-separated: calls, mix, long.")] = "calls,mix,long",
    deployments: Annotated[str, typer.Option(help="Comma-separated: embedded, cluster-1, cluster-2.")] = "embedded,cluster-1,cluster-2",
    jobs_per_worker: Annotated[int, typer.Option(help="PARLANCE_MAX_CONCURRENT_JOBS of each worker.")] = 8,
    sample: Annotated[Optional[Path], typer.Option(help="30 s recording; default pyannote's sample.wav.")] = None,
) -> None:
    """Many recordings at once through the REST API vs plain faster-whisper file by file (1 and 2 workers)."""
    from cli.bench_throughput import pyannote_sample, run_throughput_bench

    run_throughput_bench(
        sample=sample or pyannote_sample(), copies=copies, model=model, scenarios=scenarios.split(","),
        deployments=deployments.split(","), jobs_per_worker=jobs_per_worker, console=Console(),
    )


def main() -> None:
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    app()


if __name__ == "__main__":
    main()
