"""Response wrappers: every successful body is {"data": ...}; lists add {"pagination": ...}."""

from __future__ import annotations

from typing import Generic, TypeVar

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
