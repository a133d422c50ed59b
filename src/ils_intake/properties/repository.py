"""Queries on property, floor_plan and unit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select

from ils_intake.db.tables import floor_plan, property_, unit
from ils_intake.db.types import AnyRow


def property_ids_of_organization(
    conn: Connection, organization_id: str, property_ids: Iterable[str]
) -> set[str]:
    wanted = list(property_ids)
    if not wanted:
        return set()
    query = select(property_.c.id).where(
        property_.c.organization_id == organization_id, property_.c.id.in_(wanted)
    )
    return set(conn.scalars(query))


def find_property(conn: Connection, property_id: str) -> AnyRow | None:
    return conn.execute(select(property_).where(property_.c.id == property_id)).first()


def find_floor_plan(conn: Connection, floor_plan_id: str) -> AnyRow | None:
    return conn.execute(select(floor_plan).where(floor_plan.c.id == floor_plan_id)).first()


def find_unit(conn: Connection, property_id: str, number: str) -> AnyRow | None:
    query = select(unit).where(
        unit.c.property_id == property_id, unit.c.number_key == number.strip().lower()
    )
    return conn.execute(query).first()


def insert_property(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(property_).values(**values))


def insert_floor_plan(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(floor_plan).values(**values))


def insert_unit(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(unit).values(number_key=values["number"].strip().lower(), **values))
