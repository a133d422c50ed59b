"""Queries of the intake path, on SQLAlchemy Core: few statements, one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Insert, exists, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from ils_intake.db.tables import (
    api_key_property,
    floor_plan,
    intake_log,
    property_,
    prospect,
    prospect_activity,
    unit,
)
from ils_intake.db.types import AnyRow


def find_target(
    conn: Connection,
    *,
    property_id: str,
    organization_id: str,
    key_id: str,
    all_properties: bool,
    unit_number: str | None,
    floor_plan_id: str | None,
) -> AnyRow | None:
    """The property if this key may post to it, with the matched unit and floor plan ids.

    One round trip answers the grant, the floor plan's ownership and the unit match.
    """
    unit_id = (
        select(unit.c.id)
        .where(unit.c.property_id == property_.c.id, unit.c.number_key == unit_number)
        .scalar_subquery()
        if unit_number is not None
        else None
    )
    plan_id = (
        select(floor_plan.c.id)
        .where(floor_plan.c.id == floor_plan_id, floor_plan.c.property_id == property_.c.id)
        .scalar_subquery()
        if floor_plan_id is not None
        else None
    )
    columns: list[Any] = [property_.c.id]
    if unit_id is not None:
        columns.append(unit_id.label("unit_id"))
    if plan_id is not None:
        columns.append(plan_id.label("floor_plan_id"))
    query = select(*columns).where(
        property_.c.id == property_id, property_.c.organization_id == organization_id
    )
    if not all_properties:
        query = query.where(
            exists().where(
                api_key_property.c.api_key_id == key_id,
                api_key_property.c.property_id == property_.c.id,
            )
        )
    return conn.execute(query).first()


def _insert_ignoring_conflicts(conn: Connection) -> Insert:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(prospect).on_conflict_do_nothing()
    return sqlite.insert(prospect).on_conflict_do_nothing()


def insert_prospect(conn: Connection, values: dict[str, Any]) -> bool:
    """Insert unless the property already has this phone or email; True when inserted.

    The unique indexes decide, so simultaneous posts of one person cannot both succeed.
    """
    statement = _insert_ignoring_conflicts(conn).values(**values).returning(prospect.c.id)
    return conn.execute(statement).first() is not None


def find_matches(
    conn: Connection, *, property_id: str, phone_e164: str | None, email_key: str | None
) -> Sequence[AnyRow]:
    contacts = []
    if phone_e164 is not None:
        contacts.append(prospect.c.phone_e164 == phone_e164)
    if email_key is not None:
        contacts.append(prospect.c.email_normalized == email_key)
    query = (
        select(prospect.c.id, prospect.c.phone_e164, prospect.c.email_normalized)
        .where(prospect.c.property_id == property_id, or_(*contacts))
        .order_by(prospect.c.created_at, prospect.c.id)
    )
    return conn.execute(query).all()


def insert_activity(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(prospect_activity).values(**values))


def insert_intake_log(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(insert(intake_log).values(**values))
