"""Queries on `idempotency_record`; its primary key (api key, Idempotency-Key) settles races."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Insert, and_, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ils_intake.db.tables import idempotency_record as record
from ils_intake.db.types import AnyRow


def _insert_ignoring_conflicts(conn: Connection) -> Insert:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(record).on_conflict_do_nothing()
    return sqlite.insert(record).on_conflict_do_nothing()


def _the(api_key_id: str, key: str) -> Any:
    return and_(record.c.api_key_id == api_key_id, record.c.idempotency_key == key)


def insert_claim(conn: Connection, values: dict[str, Any]) -> bool:
    """True when this call created the record, False when one already exists."""
    statement = _insert_ignoring_conflicts(conn).values(**values).returning(record.c.created_at)
    return conn.execute(statement).first() is not None


def find_record(conn: Connection, api_key_id: str, key: str) -> AnyRow | None:
    return conn.execute(select(record).where(_the(api_key_id, key))).first()


def take_over(
    conn: Connection,
    api_key_id: str,
    key: str,
    *,
    seen_created_at: datetime,
    fingerprint: str,
    now: datetime,
) -> bool:
    """Restart an expired or abandoned record, unless another request restarted it first."""
    statement = (
        update(record)
        .where(_the(api_key_id, key), record.c.created_at == seen_created_at)
        .values(fingerprint=fingerprint, created_at=now, status=None, response_body=None)
    )
    return conn.execute(statement).rowcount == 1


def store_response(
    conn: Connection, api_key_id: str, key: str, *, claimed_at: datetime, status: int, body: bytes
) -> bool:
    """Record the answer on our own unfinished claim; False when the claim is no longer ours."""
    statement = (
        update(record)
        .where(_the(api_key_id, key), record.c.created_at == claimed_at, record.c.status.is_(None))
        .values(status=status, response_body=body)
    )
    return conn.execute(statement).rowcount == 1


def delete_claim(conn: Connection, api_key_id: str, key: str, *, claimed_at: datetime) -> None:
    conn.execute(
        delete(record).where(
            _the(api_key_id, key), record.c.created_at == claimed_at, record.c.status.is_(None)
        )
    )


def delete_older_than(conn: Connection, cutoff: datetime) -> int:
    return conn.execute(delete(record).where(record.c.created_at < cutoff)).rowcount
