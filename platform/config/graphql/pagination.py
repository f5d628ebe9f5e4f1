"""Offset pagination with a maximum page size, for every list of the API."""

from __future__ import annotations

from typing import Any

import graphene
from django.db.models import QuerySet
from graphql_relay import cursor_to_offset, offset_to_cursor

from config.graphql.errors import PublicError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50


class PageInfo(graphene.ObjectType):
    has_next_page = graphene.Boolean(required=True)
    end_cursor = graphene.String(description="Pass as `after` to get the next page.")


def connection_type(node: type[graphene.ObjectType], name: str) -> type[graphene.ObjectType]:
    """``{ nodes, pageInfo, totalCount }`` of ``node``."""
    return type(
        name,
        (graphene.ObjectType,),
        {
            "nodes": graphene.List(graphene.NonNull(node), required=True),
            "page_info": graphene.Field(PageInfo, required=True),
            "total_count": graphene.Int(required=True),
        },
    )


def page_arguments() -> dict[str, Any]:
    return {
        "first": graphene.Int(description=f"Page size, {MAX_PAGE_SIZE} at most."),
        "after": graphene.String(description="The `endCursor` of the previous page."),
    }


def paginate(items: QuerySet[Any], first: int | None, after: str | None) -> dict[str, Any]:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise PublicError(f"`first` must be between 1 and {MAX_PAGE_SIZE}.")
    start = 0
    if after:
        offset = cursor_to_offset(after)
        if offset is None or offset < 0:
            raise PublicError("Bad cursor.")
        start = offset + 1
    # One row more than the page tells whether another page follows.
    page = list(items[start : start + size + 1])
    has_next = len(page) > size
    page = page[:size]
    return {
        "nodes": page,
        "page_info": {
            "has_next_page": has_next,
            "end_cursor": offset_to_cursor(start + len(page) - 1) if page else None,
        },
        "total_count": items.count(),
    }
