"""Queries on property, floor_plan and unit."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import Column, Connection, Table, and_, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite

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


def properties_by_id(conn: Connection, ids: Sequence[str]) -> dict[str, AnyRow]:
    query = select(*_content(property_)).where(property_.c.id.in_(ids))
    return {row.id: row for row in conn.execute(query)}


def floor_plans_by_id(conn: Connection, ids: Sequence[str]) -> dict[str, AnyRow]:
    """Floor plans with their property's `organization_id`."""
    query = (
        select(*_content(floor_plan), property_.c.organization_id)
        .join(property_, property_.c.id == floor_plan.c.property_id)
        .where(floor_plan.c.id.in_(ids))
    )
    return {row.id: row for row in conn.execute(query)}


def units_by_id(conn: Connection, ids: Sequence[str]) -> dict[str, AnyRow]:
    """Units with their property's `organization_id`."""
    query = (
        select(*_content(unit), property_.c.organization_id)
        .join(property_, property_.c.id == unit.c.property_id)
        .where(unit.c.id.in_(ids))
    )
    return {row.id: row for row in conn.execute(query)}


def unit_ids_by_number(
    conn: Connection, keys: Collection[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """(property id, number key) -> id of the unit holding that number, for the given keys.

    Two plain IN lists rather than a row-value IN: both databases then use the unique index.
    """
    if not keys:
        return {}
    query = select(unit.c.id, unit.c.property_id, unit.c.number_key).where(
        unit.c.property_id.in_(sorted({p for p, _ in keys})),
        unit.c.number_key.in_(sorted({n for _, n in keys})),
    )
    found = {(row.property_id, row.number_key): row.id for row in conn.execute(query)}
    return {key: unit_id for key, unit_id in found.items() if key in keys}


def _content(table: Table) -> list[Column[Any]]:
    """A table's columns but its timestamps, which imports neither compare nor show."""
    return [column for column in table.c if not column.name.endswith("_at")]


def upsert_properties(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    _upsert(conn, property_, rows, owner="organization_id")


def upsert_floor_plans(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    _upsert(conn, floor_plan, rows, owner="property_id")


def upsert_units(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    _upsert(conn, unit, rows, owner="property_id")


def _upsert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *, owner: str) -> None:
    """Insert rows or update them by id, in one executemany.

    The update happens only when a value differs, so `updated_at` moves only on real change, and
    only while the row keeps its owner: a row never moves to another organization or property,
    even if one appeared between the service's checks and this statement.
    """
    if not rows:
        return
    dialect_insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    statement = dialect_insert(table)
    excluded = statement.excluded
    kept = ("id", "created_at", "updated_at", owner)
    compared = [column.name for column in table.c if column.name not in kept]
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={name: excluded[name] for name in [*compared, "updated_at"]},
        where=and_(
            table.c[owner] == excluded[owner],
            or_(*(table.c[name].is_distinct_from(excluded[name]) for name in compared)),
        ),
    )
    conn.execute(statement, list(rows))
