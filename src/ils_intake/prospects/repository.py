"""Queries of the intake path, on SQLAlchemy Core: few statements, one transaction.

The statements are built once and run with parameters: building a statement per request
cost more than the database's work on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, String, bindparam, exists, insert, or_, select
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
    query = _target_query(all_properties, unit_number is not None, floor_plan_id is not None)
    parameters = {
        "property_id": property_id,
        "organization_id": organization_id,
        "key_id": key_id,
        "unit_number": unit_number,
        "floor_plan_id": floor_plan_id,
    }
    return conn.execute(query, parameters).first()


@cache
def _target_query(all_properties: bool, with_unit: bool, with_plan: bool) -> Select[Any]:
    """Built once per shape: constructing a statement costs more than running it."""
    columns: list[Any] = [property_.c.id]
    if with_unit:
        unit_id = select(unit.c.id).where(
            unit.c.property_id == property_.c.id,
            unit.c.number_key == bindparam("unit_number", type_=String),
        )
        columns.append(unit_id.scalar_subquery().label("unit_id"))
    if with_plan:
        plan_id = select(floor_plan.c.id).where(
            floor_plan.c.id == bindparam("floor_plan_id", type_=String),
            floor_plan.c.property_id == property_.c.id,
        )
        columns.append(plan_id.scalar_subquery().label("floor_plan_id"))
    query = select(*columns).where(
        property_.c.id == bindparam("property_id", type_=String),
        property_.c.organization_id == bindparam("organization_id", type_=String),
    )
    if not all_properties:
        query = query.where(
            exists().where(
                api_key_property.c.api_key_id == bindparam("key_id", type_=String),
                api_key_property.c.property_id == property_.c.id,
            )
        )
    return query


_INSERT_PROSPECT = {
    "postgresql": postgresql.insert(prospect).on_conflict_do_nothing().returning(prospect.c.id),
    "sqlite": sqlite.insert(prospect).on_conflict_do_nothing().returning(prospect.c.id),
}
_INSERT_INTAKE_LOG = insert(intake_log)
_INSERT_ACTIVITY = insert(prospect_activity)


def insert_prospect(conn: Connection, values: dict[str, Any]) -> bool:
    """Insert unless the property already has this phone or email; True when inserted.

    The unique indexes decide, so simultaneous posts of one person cannot both succeed.
    """
    return conn.execute(_INSERT_PROSPECT[conn.dialect.name], values).first() is not None


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
    conn.execute(_INSERT_ACTIVITY, values)


def insert_intake_log(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(_INSERT_INTAKE_LOG, values)
