"""Queries on intake_log, each entry joined to the key that posted it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from ils_intake.db.tables import api_key, intake_log
from ils_intake.db.types import AnyRow

_SUMMARY = [
    intake_log.c.id,
    intake_log.c.received_at,
    intake_log.c.status,
    intake_log.c.api_key_id,
    intake_log.c.prospect_id,
    intake_log.c.errors,
    intake_log.c.replay_of,
    intake_log.c.request_id,
    intake_log.c.body.is_not(None).label("has_body"),
    api_key.c.vendor,
    api_key.c.display_prefix.label("key_prefix"),
]


def _with_key(*columns: Any) -> Any:
    return select(*_SUMMARY, *columns).join(api_key, api_key.c.id == intake_log.c.api_key_id)


def list_entries(
    conn: Connection,
    *,
    status: int | None,
    since: datetime | None,
    key_id: str | None,
    limit: int,
) -> Sequence[AnyRow]:
    """Newest first, without the bodies."""
    query = _with_key()
    if status is not None:
        query = query.where(intake_log.c.status == status)
    if since is not None:
        query = query.where(intake_log.c.received_at >= since)
    if key_id is not None:
        query = query.where(intake_log.c.api_key_id == key_id)
    query = query.order_by(intake_log.c.received_at.desc(), intake_log.c.id).limit(limit)
    return conn.execute(query).all()


def find_entry(conn: Connection, entry_id: str, *, lock: bool = False) -> AnyRow | None:
    """The whole entry; `lock` holds its row until commit (PostgreSQL; SQLite's writers queue
    on the database lock anyway), so two replays of one entry run one after the other."""
    query = _with_key(intake_log.c.body, intake_log.c.content_type)
    if lock:
        query = query.with_for_update(of=intake_log)
    return conn.execute(query.where(intake_log.c.id == entry_id)).first()


def replays_of(conn: Connection, entry_id: str) -> Sequence[AnyRow]:
    query = (
        select(intake_log.c.id, intake_log.c.status, intake_log.c.prospect_id)
        .where(intake_log.c.replay_of == entry_id)
        .order_by(intake_log.c.received_at, intake_log.c.id)
    )
    return conn.execute(query).all()


def count_bodies_before(conn: Connection, cutoff: datetime) -> int:
    query = select(func.count()).where(
        intake_log.c.received_at < cutoff, intake_log.c.body.is_not(None)
    )
    return int(conn.scalar(query) or 0)


def clear_bodies_before(conn: Connection, cutoff: datetime) -> int:
    """Set the body of entries received before `cutoff` to NULL; the outcome rows stay."""
    statement = (
        update(intake_log)
        .where(intake_log.c.received_at < cutoff, intake_log.c.body.is_not(None))
        .values(body=None)
    )
    return int(conn.execute(statement).rowcount)
