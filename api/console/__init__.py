"""The web console at /console: server-rendered pages (Jinja2) with htmx and Chart.js served from static files.

Why server-rendered: every view is a projection of use cases the API already has (api/jobs, api/account, ...),
so the console calls them in-process with the session's principal; nothing is duplicated in a client, no
frontend build is needed, and a strict Content-Security-Policy holds (no inline script or style anywhere).
`install_console(app)` is the only thing `api/app.py` calls.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.console import auth, insights, jobs, tools
from api.console.session import ConsoleForbidden, CrossSiteRequest, LoginRequired
from api.console.web import HERE, page

PREFIX = "/console"

# No inline script or style, no eval, nothing from another origin; the page cannot be framed.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the console's headers to every /console response (pages, fragments, static files, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        is_static = str(scope["path"]).startswith(f"{PREFIX}/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(_HEADERS)
                has_cache = any(name.lower() == b"cache-control" for name, _ in headers)
                if not is_static and not has_cache:  # account data: never kept by a shared cache
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_console(app: FastAPI) -> None:
    for router in (auth.router, jobs.router, insights.router, tools.router):
        app.include_router(router, prefix=PREFIX, include_in_schema=False)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=str(HERE / "static")), name="console-static")
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/login", status_code=303)

    @app.exception_handler(ConsoleForbidden)
    async def _forbidden(request: Request, exc: ConsoleForbidden) -> HTMLResponse:
        return page(request, "error.html", None, status_code=403, title="Not allowed", detail=str(exc))

    @app.exception_handler(CrossSiteRequest)
    async def _cross_site(request: Request, _: CrossSiteRequest) -> HTMLResponse:
        return page(request, "error.html", None, status_code=403, title="Refused",
                    detail="this request did not come from the console's own pages")
