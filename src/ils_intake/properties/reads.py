"""Reading an organization's properties, floor plans and units: tenancy is the rule here, an id
outside the organization is a 404 exactly like an id that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from ils_intake.db.paging import ListQuery, fetch_one, fetch_page
from ils_intake.db.tables import floor_plan, property_, unit
from ils_intake.db.types import AnyRow
from ils_intake.properties.fields import FLOOR_PLAN_FIELDS, PROPERTY_FIELDS, UNIT_FIELDS


def list_properties(
    conn: Connection, organization_id: str, params: ListQuery
) -> tuple[Sequence[AnyRow], int]:
    return fetch_page(
        conn,
        select(property_),
        scope=[property_.c.organization_id == organization_id],
        fields=PROPERTY_FIELDS,
        params=params,
        default_order=[property_.c.name.asc()],
    )


def get_property(conn: Connection, organization_id: str, property_id: str) -> AnyRow:
    return fetch_one(
        conn,
        select(property_),
        id_column=property_.c.id,
        raw_id=property_id,
        scope=[property_.c.organization_id == organization_id],
        what="property",
    )


def list_floor_plans(
    conn: Connection, organization_id: str, property_id: str, params: ListQuery
) -> tuple[Sequence[AnyRow], int]:
    owner = get_property(conn, organization_id, property_id)
    return fetch_page(
        conn,
        select(floor_plan),
        scope=[floor_plan.c.property_id == owner.id],
        fields=FLOOR_PLAN_FIELDS,
        params=params,
        default_order=[floor_plan.c.name.asc()],
    )


def list_units(
    conn: Connection, organization_id: str, property_id: str, params: ListQuery
) -> tuple[Sequence[AnyRow], int]:
    owner = get_property(conn, organization_id, property_id)
    return fetch_page(
        conn,
        select(unit),
        scope=[unit.c.property_id == owner.id],
        fields=UNIT_FIELDS,
        params=params,
        default_order=[unit.c.number.asc()],
    )
