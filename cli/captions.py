"""`parlance captions ...`: the caption QA engine on local files (no server needed).

The lead mounts it with `app.add_typer(captions_app, name="captions")` in cli/main.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

captions_app = typer.Typer(no_args_is_help=True, help="Caption QA: check and fix subtitle files against platform presets.")

_SEVERITY_STYLE = {"error": "red", "warn": "yellow", "info": "cyan"}


@captions_app.command("check")
def check(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="SRT, WebVTT, SBV, ASS/SSA, TTML or caption JSON.")],
    preset: Annotated[str, typer.Option("--preset", "-p", help="youtube, tiktok, html5, generic, lms or developer-json.")] = "generic",
    fix: Annotated[bool, typer.Option("--fix/--no-fix", help="Apply fixes; exit status then reflects what remains.")] = False,
    out: Annotated[Optional[Path], typer.Option(help="Write the fixed captions here (implies --fix); '-' for stdout.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON instead of tables.")] = False,
) -> None:
    """Diagnose FILE under PRESET. Exit status: 0 clean (warnings allowed), 1 errors remain, 2 unreadable input."""
    from captions import CaptionParseError, process_captions
    from captions.errors import UnknownPreset
    from captions.parse import MAX_INPUT_BYTES

    err = Console(stderr=True)
    console = err if out is not None and str(out) == "-" else Console()  # stdout carries only the captions then
    data = file.read_bytes()
    if len(data) > MAX_INPUT_BYTES:
        err.print(f"[red]{file} is {len(data)} bytes; caption files are limited to {MAX_INPUT_BYTES}[/red]")
        raise typer.Exit(2)
    fix = fix or out is not None
    try:
        report = process_captions(data, preset, fix=fix)
    except UnknownPreset as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    except CaptionParseError as exc:
        err.print(f"[red]cannot read {file}: {exc}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        console.print_json(json.dumps(report.model_dump(exclude={"output"})))
    else:
        _print_report(console, report, fixed=fix)
    if out is not None:
        if str(out) == "-":
            sys.stdout.write(report.output)
        else:
            out.write_text(report.output, encoding="utf-8")
            err.print(f"wrote {out}")
    remaining = report.remaining_diagnostics if fix else report.diagnostics
    raise typer.Exit(1 if any(d.severity == "error" for d in remaining) else 0)


def _print_report(console: Console, report, *, fixed: bool) -> None:  # noqa: ANN001 - CaptionReport, imported lazily
    console.print(
        f"[bold]{report.input_format}[/bold] → {report.output_format} with preset [bold]{report.preset}[/bold]: "
        f"QA score [bold]{report.qa_score}[/bold]"
        + (f" → {report.output_qa_score} after {len(report.fixes)} fixes" if fixed else "")
        + f"; {report.cue_count} cues, {report.total_duration_ms / 1000:.1f} s"
    )
    shown = report.diagnostics[:200]
    if shown:
        table = Table("severity", "code", "cue", "line", "message", title="Diagnostics (input)")
        for d in shown:
            style = _SEVERITY_STYLE[d.severity]
            table.add_row(f"[{style}]{d.severity}[/{style}]", d.code, _opt(d.cue_index), _opt(d.line), d.message)
        console.print(table)
        if len(report.diagnostics) > len(shown):
            console.print(f"… and {len(report.diagnostics) - len(shown)} more")
    if fixed and report.remaining_diagnostics:
        errors = sum(d.severity == "error" for d in report.remaining_diagnostics)
        console.print(f"after fixing: {len(report.remaining_diagnostics)} diagnostics remain ({errors} errors)")


def _opt(value: int | None) -> str:
    return "" if value is None else str(value)
