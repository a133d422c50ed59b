"""List endpoints of the organization API: `page`, `limit`, `sort`, `filter` in, a bare JSON
array out with the total in `x-total-count`, the same for every collection.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from sqlalchemy import Connection
from starlette.responses import Response

from ils_intake.db.engine import transaction
from ils_intake.db.paging import ListQuery
from ils_intake.db.types import AnyRow
from ils_intake.http import dumps, engine_of

MAX_LIMIT = 100


def list_query(
    page: Annotated[int, Query(ge=0, le=1_000_000, description="0-based page number")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")] = 10,
    sort: Annotated[
        str | None, Query(description="field:asc|desc[,field2:asc|desc]", max_length=2000)
    ] = None,
    filter: Annotated[
        str | None, Query(description="an FQL expression (docs/FQL.md)", max_length=2000)
    ] = None,
) -> ListQuery:
    return ListQuery(page=page, limit=limit, sort=sort, filter=filter)


ListParams = Annotated[ListQuery, Depends(list_query)]


Page = tuple[Sequence[AnyRow], int]
ToJson = Callable[[AnyRow], dict[str, Any]]


def read_page(request: Request, fetch: Callable[[Connection], Page], to_json: ToJson) -> Response:
    """A list route's whole work: one read transaction, then the array and its total."""
    with transaction(engine_of(request), write=False) as conn:
        rows, total = fetch(conn)
    return Response(
        dumps([to_json(row) for row in rows]),
        media_type="application/json",
        headers={"x-total-count": str(total)},
    )


def read_item(request: Request, fetch: Callable[[Connection], AnyRow], to_json: ToJson) -> Response:
    """An item route's whole work: one read transaction, then the item."""
    with transaction(engine_of(request), write=False) as conn:
        row = fetch(conn)
    return Response(dumps(to_json(row)), media_type="application/json")
