"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import StateDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(state: StateDep) -> JSONResponse:
    checks: dict[str, bool] = {}
    try:
        async with state.sessions() as session:
            await session.execute(text("SELECT 1"))
        checks["job_store"] = True
    except Exception:  # noqa: BLE001 - readiness reports, never raises
        checks["job_store"] = False
    checks["kafka"] = await state.publisher.ping(state.events_topic)
    ready = all(checks.values())
    return JSONResponse({"status": "ready" if ready else "unavailable", "checks": checks}, status_code=200 if ready else 503)
