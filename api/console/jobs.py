"""Console jobs: the live list, upload, actions, the job page (player, transcript, speakers, analysis, exports).

Every action calls the same use case as `/v1` (api.jobs.service / actions / speakers / exports) with the
session's principal, so scopes, tenancy (a test key sees only sandbox jobs), quotas and webhooks apply alike.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

import api.console.session as session
from api.console.player import audio_response, transcript_view
from api.console.session import JobsReader, JobsWriter
from api.console.web import back, fragment, page
from api.deps import StateDep, allows
from api.errors import ApiError
from api.jobs import actions, service
from api.jobs.exports import export as render_export
from api.jobs.schemas import JobOut
from api.jobs.speakers import rename_speakers
from api.pagination import PageParams
from api.state import ApiState
from captions import EXPORT_FORMATS
from schemas.events import JobStatus
from schemas.models import allowed_models
from schemas.options import JobOptions
from schemas.result import Transcript
from schemas.validation import validation_message
from store.keys import Principal
from store.scopes import Scope
from jobs.lifecycle import TERMINAL

router = APIRouter(dependencies=[Depends(session.same_origin)])

PAGE_SIZE = 25
_ACTIONS = ("cancel", "retry", "archive", "delete")


def _day(value: str | None, *, end: bool = False) -> datetime | None:
    """A date input as a UTC bound; the 'to' day is inclusive (the API's created_before is exclusive)."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return datetime.combine(day + timedelta(days=1) if end else day, time(), tzinfo=timezone.utc)


def _filters(request: Request) -> dict[str, str]:
    q = request.query_params
    return {k: q.get(k, "") for k in ("status", "from", "to", "archived", "offset")}


async def _rows(request: Request, state: ApiState, principal: Principal) -> tuple[list[JobOut], int, dict[str, str]]:
    f = _filters(request)
    status = JobStatus(f["status"]) if f["status"] in JobStatus.__members__ else None
    archived = {"true": True, "false": False}.get(f["archived"])
    offset = int(f["offset"]) if f["offset"].isdigit() else 0
    rows, total = await actions.list_jobs(
        state, principal, PageParams(limit=PAGE_SIZE, offset=offset), status=status,
        created_after=_day(f["from"]), created_before=_day(f["to"], end=True), archived=archived,
    )
    return [JobOut.from_row(r) for r in rows], total, f


@router.get("/jobs", response_class=HTMLResponse)
async def jobs_page(request: Request, principal: JobsReader, state: StateDep) -> HTMLResponse:
    jobs, total, f = await _rows(request, state, principal)
    return page(
        request, "jobs.html", principal, title="Jobs", jobs=jobs, total=total, filters=f, statuses=list(JobStatus),
        query=request.url.query, can_write=allows(principal, Scope.jobs_write),
        models=allowed_models(state.settings.asr_model, state.settings.allowed_models), terminal=TERMINAL,
    )


@router.get("/jobs/rows", response_class=HTMLResponse)
async def job_rows(request: Request, principal: JobsReader, state: StateDep) -> HTMLResponse:
    """The table body alone: htmx swaps it in every two seconds, so status, stage and progress stay live."""
    jobs, total, _ = await _rows(request, state, principal)
    return fragment(request, "_job_rows.html", jobs=jobs, can_write=allows(principal, Scope.jobs_write), terminal=TERMINAL)


def _options(form: Any) -> JobOptions:
    """The upload form's fields as JobOptions (the same validation as the API's `options` JSON)."""
    data: dict[str, Any] = {}
    for name in ("language", "model", "analysis"):
        value = str(form.get(name) or "").strip()
        if value:
            data[name] = value
    if form.get("diarization"):
        speakers = str(form.get("num_speakers") or "").strip()
        data["diarization"] = {"enabled": True, **({"num_speakers": int(speakers)} if speakers.isdigit() else {})}
    if form.get("redact_pii"):
        data["redact_pii"] = True
    vocabulary = [v.strip() for v in str(form.get("vocabulary") or "").replace(",", "\n").splitlines() if v.strip()]
    if vocabulary:
        data["vocabulary"] = vocabulary
    return JobOptions.model_validate(data)


@router.post("/jobs", response_class=RedirectResponse)
async def upload(request: Request, principal: JobsWriter, state: StateDep) -> RedirectResponse:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > state.settings.max_upload_bytes + 64 * 1024:
        return back("/console/jobs", error=f"the file is over the upload limit of {state.settings.max_upload_bytes} bytes")
    try:
        async with request.form(max_files=1, max_fields=16, max_part_size=64 * 1024) as form:
            upload_file = form.get("file")
            if not isinstance(upload_file, UploadFile) or not upload_file.filename:
                return back("/console/jobs", error="choose or drop a recording first")
            job, _ = await service.create_job(state, principal, upload_file, _options(form))
    except ValidationError as exc:
        return back("/console/jobs", error=f"options: {validation_message(exc, limit=3)}")
    except ApiError as exc:
        return back("/console/jobs", error=exc.message)
    return back(f"/console/jobs/{job.id}", msg="Uploaded: the job is queued")


async def _result(state: ApiState, principal: Principal, job: JobOut) -> Transcript | None:
    if job.status != JobStatus.completed:
        return None
    try:
        return await service.get_result(state, principal, job.id)
    except ApiError:
        return None


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
async def job_page(job_id: str, request: Request, principal: JobsReader, state: StateDep) -> HTMLResponse:
    try:
        job = JobOut.from_row(await service.get_owned_job(state, principal, job_id))
    except ApiError as exc:
        return page(request, "error.html", principal, status_code=exc.status, title="Not found", detail=exc.message)
    transcript = await _result(state, principal, job)
    view = transcript_view(transcript) if transcript is not None else None
    ai = transcript.ai_analysis if transcript is not None else None
    # Roles worth showing: the ones analysis inferred (a speaker left as its own label has none).
    roles = {k: v for k, v in (ai.speaker_roles if ai else {}).items() if k != v}
    analysis = ai.model_dump(mode="json") if ai else None  # the template walks the parties' fields as a dict
    return page(
        request, "job.html", principal, title=job.filename or job.id, job=job, view=view, analysis=analysis,
        transcript=transcript, roles=roles, formats=EXPORT_FORMATS, can_write=allows(principal, Scope.jobs_write), terminal=TERMINAL,
        options_json=json.dumps(job.options, indent=1, sort_keys=True),
        retention_days=state.settings.listening_copy_retention_days,
    )


@router.get("/jobs/{job_id}/status", response_class=HTMLResponse)
async def job_status(job_id: str, request: Request, principal: JobsReader, state: StateDep) -> Response:
    """Polled by the job page while the job runs; once it has ended, htmx reloads the page (player, results)."""
    try:
        job = JobOut.from_row(await service.get_owned_job(state, principal, job_id))
    except ApiError:
        return Response(status_code=286)  # htmx: stop polling (the job was deleted meanwhile)
    response = fragment(request, "_job_status.html", job=job, terminal=TERMINAL)
    if job.status.value in TERMINAL:
        response.headers["HX-Refresh"] = "true"
    return response


@router.get("/jobs/{job_id}/audio")
async def job_audio(job_id: str, request: Request, principal: JobsReader, state: StateDep) -> Response:
    await service.get_owned_job(state, principal, job_id)  # 404 for another account's (or world's) job
    return await audio_response(state, job_id, request.headers.get("range"))


@router.get("/jobs/{job_id}/exports/{fmt}")
async def job_export(job_id: str, fmt: str, principal: JobsReader, state: StateDep,
                     preset: Annotated[str, Query(max_length=40)] = "generic") -> Response:
    """The `/v1` export, rendered by the same function, with the session instead of a bearer key."""
    return await render_export(job_id, fmt, principal, state, preset=preset, speaker_labels=True, max_chars=None, max_lines=None)


@router.post("/jobs/{job_id}/speakers", response_class=RedirectResponse)
async def rename(job_id: str, request: Request, principal: JobsWriter, state: StateDep) -> RedirectResponse:
    async with request.form(max_fields=64, max_part_size=1024) as form:
        mapping = {k[len("speaker:"):]: str(v) for k, v in form.items() if k.startswith("speaker:") and str(v).strip()}
    try:
        await rename_speakers(state, principal, job_id, mapping)
    except ApiError as exc:
        return back(f"/console/jobs/{job_id}", error=exc.message)
    return back(f"/console/jobs/{job_id}", msg="Speakers renamed in the transcript and every export")


# Last: "/jobs/{id}/{action}" would otherwise shadow "/jobs/{id}/speakers".
@router.post("/jobs/{job_id}/{action}", response_class=RedirectResponse)
async def act(job_id: str, action: str, request: Request, principal: JobsWriter, state: StateDep) -> RedirectResponse:
    here = request.query_params.get("next") == "list"
    target = "/console/jobs" if here or action == "delete" else f"/console/jobs/{job_id}"
    if action not in _ACTIONS:
        return back(target, error=f"unknown action {action!r}")
    try:
        if action == "cancel":
            await actions.cancel_job(state, principal, job_id)
        elif action == "retry":
            await actions.retry_job(state, principal, job_id)
        elif action == "archive":
            await actions.toggle_archive(state, principal, job_id)
        else:
            await actions.delete_job(state, principal, job_id)
    except ApiError as exc:
        return back(target, error=exc.message)
    return back(target, msg={"cancel": "Canceled", "retry": "Queued again", "archive": "Archive label toggled",
                             "delete": "Deleted"}[action])
