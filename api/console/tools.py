"""Console tools: the caption QA playground, API keys (admin) and webhooks with their deliveries.

Secrets (a new key, a new endpoint's signing secret) are rendered once, in the response to the POST that made
them, never put in a URL or stored anywhere the console could show them again.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

import api.console.session as session
from api.console.session import AdminUser, JobsReader, WebhooksWriter
from api.console.web import back, page
from api.deps import StateDep
from api.errors import ApiError
from api.keys import endpoints as keys_api
from api.pagination import PageParams
from api.webhooks import service as webhooks
from api.webhooks.schemas import DeliveryOut, WebhookIn, WebhookOut
from captions import CaptionParseError, process_captions
from captions.errors import UnknownPreset
from captions.parse import MAX_INPUT_BYTES
from captions.presets import PRESETS
from schemas.validation import validation_message
from store.keys import Principal
from store.scopes import ACCOUNT_SCOPES, DEFAULT_SCOPES

router = APIRouter(dependencies=[Depends(session.same_origin)])

EVENTS = ("job.completed", "job.failed", "job.canceled")
_ALL = PageParams(limit=100, offset=0)


# ---- caption QA ------------------------------------------------------------------------------------------
@router.get("/captions", response_class=HTMLResponse)
async def captions_page(request: Request, principal: JobsReader) -> HTMLResponse:
    return page(request, "captions.html", principal, title="Caption QA", presets=PRESETS, report=None, chosen="generic")


@router.post("/captions", response_class=HTMLResponse)
async def captions_check(request: Request, principal: JobsReader) -> HTMLResponse:
    """The same processing as POST /v1/captions/process, its report shown as a page."""
    error, report, chosen, filename = None, None, "generic", "captions"
    async with request.form(max_files=1, max_fields=4, max_part_size=1024) as form:
        chosen = str(form.get("preset") or "generic")
        upload = form.get("file")
        data = await upload.read(MAX_INPUT_BYTES + 1) if isinstance(upload, UploadFile) else b""
        filename = (upload.filename or "captions") if isinstance(upload, UploadFile) else filename
        fix = bool(form.get("fix"))
    if not data:
        error = "choose a caption file (SRT, WebVTT, SBV, ASS/SSA, TTML or caption JSON)"
    elif len(data) > MAX_INPUT_BYTES:
        error = f"caption files are limited to {MAX_INPUT_BYTES} bytes"
    else:
        try:
            report = await run_in_threadpool(process_captions, data, chosen, fix=fix)
        except (CaptionParseError, UnknownPreset) as exc:
            error = str(exc)
    stem = filename.rsplit(".", 1)[0] or "captions"
    return page(request, "captions.html", principal, status_code=422 if error else 200, title="Caption QA",
                presets=PRESETS, report=report, chosen=chosen, error=error, stem=stem)


# ---- keys (admin) ----------------------------------------------------------------------------------------
async def _keys_page(request: Request, principal: Principal, state: StateDep, **extra: object) -> HTMLResponse:
    listed = await keys_api.list_keys(principal, state, _ALL)
    return page(request, "keys.html", principal, title="API keys", keys=listed.data, scopes=ACCOUNT_SCOPES,
                defaults=DEFAULT_SCOPES, **extra)


@router.get("/keys", response_class=HTMLResponse)
async def keys_page(request: Request, principal: AdminUser, state: StateDep) -> HTMLResponse:
    return await _keys_page(request, principal, state)


@router.post("/keys", response_class=HTMLResponse)
async def keys_create(request: Request, principal: AdminUser, state: StateDep) -> Response:
    async with request.form(max_fields=16, max_part_size=1024) as form:
        scopes = [s for s in form.getlist("scopes") if isinstance(s, str)]
        live = form.get("mode") != "test"
    try:
        created = await keys_api.create_key(keys_api.KeyIn(scopes=scopes, live=live), principal, state)
    except ValidationError:
        return back("/console/keys", error="choose at least one scope")
    except ApiError as exc:
        return back("/console/keys", error=exc.message)
    return await _keys_page(request, principal, state, created=created.data)


@router.post("/keys/{key_id}/revoke", response_class=RedirectResponse)
async def keys_revoke(key_id: str, principal: AdminUser, state: StateDep) -> RedirectResponse:
    try:
        await keys_api.revoke_key(key_id, principal, state)
    except ApiError as exc:
        return back("/console/keys", error=exc.message)
    return back("/console/keys", msg=f"Key {key_id} revoked")


# ---- webhooks --------------------------------------------------------------------------------------------
async def _webhooks_page(request: Request, principal: Principal, state: StateDep, **extra: object) -> HTMLResponse:
    rows, _ = await webhooks.list_endpoints(state, principal, _ALL)
    return page(request, "webhooks.html", principal, title="Webhooks", endpoints=[WebhookOut.from_row(r) for r in rows],
                events=EVENTS, **extra)


@router.get("/webhooks", response_class=HTMLResponse)
async def webhooks_page(request: Request, principal: WebhooksWriter, state: StateDep) -> HTMLResponse:
    return await _webhooks_page(request, principal, state)


@router.post("/webhooks", response_class=HTMLResponse)
async def webhooks_create(request: Request, principal: WebhooksWriter, state: StateDep) -> Response:
    async with request.form(max_fields=8, max_part_size=4096) as form:
        url = str(form.get("url") or "").strip()
        events = [e for e in form.getlist("events") if isinstance(e, str)]
    try:
        row = await webhooks.create(state, principal, WebhookIn(url=url, events=events))  # type: ignore[arg-type]
    except ValidationError as exc:
        return back("/console/webhooks", error=validation_message(exc, limit=2))
    except ApiError as exc:
        return back("/console/webhooks", error=exc.message)
    return await _webhooks_page(request, principal, state, created=WebhookOut.from_row(row, show_secret=True))


@router.post("/webhooks/{webhook_id}/delete", response_class=RedirectResponse)
async def webhooks_delete(webhook_id: str, principal: WebhooksWriter, state: StateDep) -> RedirectResponse:
    try:
        await webhooks.delete(state, principal, webhook_id)
    except ApiError as exc:
        return back("/console/webhooks", error=exc.message)
    return back("/console/webhooks", msg="Endpoint removed; its pending deliveries stopped")


@router.get("/webhooks/{webhook_id}", response_class=HTMLResponse)
async def webhook_deliveries(webhook_id: str, request: Request, principal: WebhooksWriter, state: StateDep) -> HTMLResponse:
    try:
        rows, total = await webhooks.deliveries(state, principal, webhook_id, _ALL)
    except ApiError as exc:
        return page(request, "error.html", principal, status_code=exc.status, title="Not found", detail=exc.message)
    return page(request, "deliveries.html", principal, title="Deliveries", webhook_id=webhook_id, total=total,
                deliveries=[DeliveryOut.from_row(r) for r in rows])
