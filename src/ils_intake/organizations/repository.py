"""Queries on organization."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert, select

from ils_intake.db.tables import organization
from ils_intake.db.types import AnyRow


def find_organization(conn: Connection, organization_id: str) -> AnyRow | None:
    return conn.execute(select(organization).where(organization.c.id == organization_id)).first()


def insert_organization(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(organization).values(**values))


def list_organizations(conn: Connection) -> Sequence[AnyRow]:
    return conn.execute(select(organization).order_by(organization.c.created_at)).all()
