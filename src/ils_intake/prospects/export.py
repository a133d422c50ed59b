"""Prospects for the operator: one FQL-filtered query, streamed in batches and written as CSV or
JSON Lines row by row, so an export of any size holds only one batch in memory.
"""

from __future__ import annotations

import csv
import enum
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from sqlalchemy import Connection, Select, func, select

from ils_intake.db.tables import prospect
from ils_intake.db.types import AnyRow
from ils_intake.fql import compile_filter, compile_sort
from ils_intake.prospects.fields import PROSPECT_COLUMNS, PROSPECT_FIELDS, prospect_json

FETCH_BATCH = 1000


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


def prospect_query(
    *, organization_id: str | None, filter_text: str | None, sort_text: str | None = None
) -> Select[Any]:
    """Prospects of one organization (or all), filtered and sorted; FqlError on a bad text.

    The order always ends with `createdAt, id`, so listings and exports are stable.
    """
    query = select(*PROSPECT_COLUMNS)
    if organization_id is not None:
        query = query.where(prospect.c.organization_id == organization_id)
    if filter_text is not None:
        query = query.where(compile_filter(filter_text, PROSPECT_FIELDS))
    order = compile_sort(sort_text, PROSPECT_FIELDS) if sort_text is not None else []
    return query.order_by(*order, prospect.c.created_at, prospect.c.id)


def count(conn: Connection, query: Select[Any]) -> int:
    total = conn.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return int(total or 0)


def stream(conn: Connection, query: Select[Any]) -> Iterator[AnyRow]:
    """Rows fetched FETCH_BATCH at a time (a server-side cursor on PostgreSQL)."""
    streaming = conn.execution_options(stream_results=True, yield_per=FETCH_BATCH)
    yield from streaming.execute(query)


def write_jsonl(rows: Iterable[AnyRow], out: TextIO, advance: Callable[[], None]) -> int:
    written = 0
    for row in rows:
        out.write(json.dumps(prospect_json(row), ensure_ascii=False) + "\n")
        written += 1
        advance()
    return written


def write_csv(rows: Iterable[AnyRow], out: TextIO, advance: Callable[[], None]) -> int:
    """The JSON shape flattened: the same camelCase names as headers, absent values empty."""
    writer = csv.writer(out)
    writer.writerow(PROSPECT_FIELDS)
    written = 0
    for row in rows:
        writer.writerow(["" if v is None else v for v in prospect_json(row).values()])
        written += 1
        advance()
    return written


WRITERS: dict[ExportFormat, Callable[[Iterable[AnyRow], TextIO, Callable[[], None]], int]] = {
    ExportFormat.CSV: write_csv,
    ExportFormat.JSONL: write_jsonl,
}
