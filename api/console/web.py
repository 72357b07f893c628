"""What every console page shares: the templates, the page context, redirects that carry a message."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from api.console.session import nav
from store.keys import Principal

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


def _clock(seconds: float | None) -> str:
    """12.3 -> '0:12', 3725 -> '1:02:05': the player's and the speakers' time format."""
    if seconds is None:
        return "–"
    total = int(seconds)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


templates.env.filters["clock"] = _clock


def page(request: Request, name: str, principal: Principal | None, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a full page: the navigation shows only the views this key may open; `msg`/`error` come from the
    redirect that led here (Jinja escapes them like everything else)."""
    return templates.TemplateResponse(
        request,
        name,
        {
            "principal": principal,
            "nav": nav(principal) if principal is not None else {},
            "msg": request.query_params.get("msg"),
            "error": request.query_params.get("error"),
            **context,
        },
        status_code=status_code,
    )


def fragment(request: Request, name: str, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context)


def back(path: str, *, msg: str | None = None, error: str | None = None) -> RedirectResponse:
    """303 to a console page (POST → GET), with a one-line message for the page to show."""
    query = urlencode({k: v for k, v in (("msg", msg), ("error", error)) if v})
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)
