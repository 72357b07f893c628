"""Sign-in (an API key for a session cookie) and sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

import api.console.session as session
from api.console.web import page
from api.deps import StateDep
from store.keys import Principal, authenticate

router = APIRouter(dependencies=[Depends(session.same_origin)])


@router.get("", response_class=RedirectResponse)
@router.get("/", response_class=RedirectResponse)
async def home(principal: Annotated[Principal | None, Depends(session.optional_principal)]) -> RedirectResponse:
    if principal is None:
        return RedirectResponse("/console/login", status_code=303)
    nav = session.nav(principal)
    first = next((path for view, path in (("jobs", "jobs"), ("usage", "usage"), ("webhooks", "webhooks"), ("api_keys", "keys"))
                  if nav[view]), "usage")
    return RedirectResponse(f"/console/{first}", status_code=303)


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request) -> HTMLResponse:
    return page(request, "login.html", None, title="Sign in")


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, state: StateDep, api_key: Annotated[str, Form(max_length=200)]) -> Response:
    """The key is checked like a bearer key and forgotten: only a signed reference to its row goes in the cookie."""
    async with state.sessions() as db:
        principal = await authenticate(db, api_key.strip())
    if principal is None:
        return page(request, "login.html", None, status_code=401, title="Sign in", error="invalid or revoked API key")
    response = RedirectResponse("/console/", status_code=303)
    response.set_cookie(
        session.COOKIE,
        session.issue(state, principal.key_id),
        max_age=session.SESSION_HOURS * 3600,
        path="/console",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https" or state.settings.environment not in ("local", "test"),
    )
    return response


@router.post("/logout", response_class=RedirectResponse)
async def logout() -> RedirectResponse:
    response = RedirectResponse("/console/login?msg=Signed+out", status_code=303)
    response.delete_cookie(session.COOKIE, path="/console", httponly=True, samesite="strict")
    return response
