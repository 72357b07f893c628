"""Response wrappers: every successful body is {"data": ...}; lists add {"pagination": ...}."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")

MAX_LIMIT = 100


class Data(BaseModel, Generic[T]):
    data: T


class Pagination(BaseModel):
    total: int = Field(ge=0, description="Items matching the filters.")
    limit: int = Field(ge=1, le=MAX_LIMIT)
    offset: int = Field(ge=0)
    has_more: bool


class Page(BaseModel, Generic[T]):
    data: list[T]
    pagination: Pagination

    @classmethod
    def of(cls, items: list[T], *, total: int, limit: int, offset: int) -> "Page[T]":
        return cls(
            data=items,
            pagination=Pagination(total=total, limit=limit, offset=offset, has_more=offset + len(items) < total),
        )


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its `$defs` inlined, for request bodies documented through `openapi_extra`
    (whose `$ref`s would otherwise point at definitions the OpenAPI document does not have)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(defs[ref.split("/")[-1]])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return dict(resolve(schema))
