"""Paged, filtered, sorted reads: the query side shared by every collection of the API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, UnaryExpression, func, select

from ils_intake.db.types import AnyRow
from ils_intake.fql import FqlError, FqlField, compile_filter, compile_sort
from ils_intake.ids import canonical_uuid
from ils_intake.problems import BadRequest, FieldError, NotFound


@dataclass(frozen=True, slots=True)
class ListQuery:
    page: int
    limit: int
    sort: str | None = None
    filter: str | None = None


def fetch_page(
    conn: Connection,
    query: Select[Any],
    *,
    scope: Sequence[ColumnElement[bool]],
    fields: Mapping[str, FqlField],
    params: ListQuery,
    default_order: Sequence[UnaryExpression[Any]],
) -> tuple[Sequence[AnyRow], int]:
    """One page of `query` within `scope` (the tenancy conditions), and the total."""
    conditions = list(scope)
    if params.filter is not None:
        conditions.append(_compiled("filter", params.filter, compile_filter, fields))
    order = (
        _compiled("sort", params.sort, compile_sort, fields)
        if params.sort is not None
        else list(default_order)
    )
    tiebreak = fields["id"].column
    scoped = query.where(*conditions)
    total = conn.scalar(select(func.count()).select_from(scoped.order_by(None).subquery()))
    rows = conn.execute(
        scoped.order_by(*order, tiebreak).limit(params.limit).offset(params.page * params.limit)
    ).all()
    return rows, int(total or 0)


def _compiled(name: str, text: str, compiler: Any, fields: Mapping[str, FqlField]) -> Any:
    try:
        return compiler(text, fields)
    except FqlError as exc:
        raise BadRequest(
            f"the {name} parameter is invalid: {exc}",
            errors=[FieldError(field=name, message=str(exc))],
            position=exc.position,
        ) from None


def fetch_one(
    conn: Connection,
    query: Select[Any],
    *,
    id_column: ColumnElement[str],
    raw_id: str,
    scope: Sequence[ColumnElement[bool]],
    what: str,
) -> AnyRow:
    """The item with this id within `scope`; any other id is a 404, whoever owns it."""
    canonical = canonical_uuid(raw_id)
    row = (
        conn.execute(query.where(id_column == canonical, *scope)).first()
        if canonical is not None
        else None
    )
    if row is None:
        raise NotFound(f"no {what} {raw_id[:36]!r} in this organization")
    return row
