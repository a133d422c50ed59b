"""Queries on api_key and its property grants."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from ils_intake.db.tables import api_key, api_key_property
from ils_intake.db.types import AnyRow

_FIND_BY_HASH = select(
    api_key.c.id,
    api_key.c.kind,
    api_key.c.organization_id,
    api_key.c.vendor,
    api_key.c.all_properties,
    api_key.c.revoked_at,
    api_key.c.expires_at,
).where(api_key.c.key_hash == bindparam("key_hash"))


def find_by_hash(conn: Connection, key_hash: str) -> AnyRow | None:
    return conn.execute(_FIND_BY_HASH, {"key_hash": key_hash}).first()


def find_by_id(conn: Connection, key_id: str) -> AnyRow | None:
    return conn.execute(select(api_key).where(api_key.c.id == key_id)).first()


def insert_key(conn: Connection, values: dict[str, Any], property_ids: Iterable[str]) -> None:
    conn.execute(insert(api_key).values(**values))
    rows = [{"api_key_id": values["id"], "property_id": pid} for pid in property_ids]
    if rows:
        conn.execute(insert(api_key_property), rows)


def granted_property_ids(conn: Connection, key_id: str) -> list[str]:
    query = select(api_key_property.c.property_id).where(api_key_property.c.api_key_id == key_id)
    return list(conn.scalars(query.order_by(api_key_property.c.property_id)))


def list_keys(conn: Connection, organization_id: str | None = None) -> Sequence[AnyRow]:
    query = select(api_key).order_by(api_key.c.created_at, api_key.c.id)
    if organization_id is not None:
        query = query.where(api_key.c.organization_id == organization_id)
    return conn.execute(query).all()


def mark_revoked(conn: Connection, key_id: str, at: datetime) -> None:
    conn.execute(update(api_key).where(api_key.c.id == key_id).values(revoked_at=at))


def mark_replaced(
    conn: Connection, key_id: str, *, replaced_by_id: str, expires_at: datetime
) -> None:
    conn.execute(
        update(api_key)
        .where(api_key.c.id == key_id)
        .values(replaced_by_id=replaced_by_id, expires_at=expires_at)
    )
