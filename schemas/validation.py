"""One wording for validation failures: the API's 422s, the console's form errors and the caption readers'
parse errors all say `field.path: message`, whichever model refused the input."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol


class HasErrors(Protocol):
    """pydantic's ValidationError and FastAPI's RequestValidationError alike."""

    def errors(self) -> Sequence[Mapping[str, Any]]: ...


def validation_message(exc: HasErrors, limit: int = 5) -> str:
    """The first `limit` problems as `field.path: message`, `; `-joined (a request's `body` location is left
    out: the client knows where it put the field)."""
    parts = []
    for err in exc.errors()[:limit]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    return "; ".join(parts) or "invalid request"
