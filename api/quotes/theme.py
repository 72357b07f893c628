"""GET/PUT/DELETE /v1/theme: the account's card theme (colours as 6-digit hex, a font of a fixed list, a
pattern, a watermark), stored at `accounts/<account>/theme.json`. Renders read it when they are requested."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import JobsRead, JobsWrite, StateDep
from api.envelope import Data
from api.errors import ValidationFailed, error_docs
from api.quotes import service
from schemas.quotes import Theme

router = APIRouter(prefix="/theme", tags=["quotes"])


@router.get("", response_model=Data[Theme])
async def get_theme(principal: JobsRead, state: StateDep) -> Data[Theme]:
    """The account's theme, or the default one."""
    return Data(data=await service.get_theme(state, principal))


@router.put("", response_model=Data[Theme], responses=error_docs(ValidationFailed))
async def put_theme(body: Theme, principal: JobsWrite, state: StateDep) -> Data[Theme]:
    """Replace the theme (fields left out take their defaults). 422 for a colour that is not #RRGGBB, a font not
    in the list, an unknown pattern, a watermark over 40 characters."""
    await state.objects.put_bytes(service.theme_key(principal.account_id), body.model_dump_json().encode())
    return Data(data=body)


@router.delete("", status_code=204)
async def delete_theme(principal: JobsWrite, state: StateDep) -> Response:
    """Back to the default theme."""
    await state.objects.delete(service.theme_key(principal.account_id))
    return Response(status_code=204)
