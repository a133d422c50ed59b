"""List endpoints of the organization API: `page`, `limit`, `sort`, `filter` in, a bare JSON
array out with the total in `x-total-count`, the same for every collection.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query
from starlette.responses import Response

from ils_intake.db.paging import ListQuery
from ils_intake.http import dumps

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


def page_response(items: list[dict[str, Any]], total: int) -> Response:
    return Response(
        dumps(items), media_type="application/json", headers={"x-total-count": str(total)}
    )
