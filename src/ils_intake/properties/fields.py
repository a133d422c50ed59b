"""Properties, floor plans and units as the organization API names them: FQL fields and JSON."""

from __future__ import annotations

from typing import Any

from ils_intake.db.tables import floor_plan, property_, unit
from ils_intake.db.types import AnyRow
from ils_intake.fql import FieldKind, FqlField
from ils_intake.wire import iso_z, json_number

PROPERTY_FIELDS: dict[str, FqlField] = {
    "id": FqlField(property_.c.id, FieldKind.UUID),
    "organizationId": FqlField(property_.c.organization_id, FieldKind.UUID),
    "name": FqlField(property_.c.name, FieldKind.STRING),
    "timezone": FqlField(property_.c.timezone, FieldKind.STRING),
    "addressLine1": FqlField(property_.c.address_line1, FieldKind.STRING),
    "city": FqlField(property_.c.city, FieldKind.STRING),
    "state": FqlField(property_.c.state, FieldKind.STRING),
    "postalCode": FqlField(property_.c.postal_code, FieldKind.STRING),
    "createdAt": FqlField(property_.c.created_at, FieldKind.DATETIME),
    "updatedAt": FqlField(property_.c.updated_at, FieldKind.DATETIME),
}

FLOOR_PLAN_FIELDS: dict[str, FqlField] = {
    "id": FqlField(floor_plan.c.id, FieldKind.UUID),
    "propertyId": FqlField(floor_plan.c.property_id, FieldKind.UUID),
    "name": FqlField(floor_plan.c.name, FieldKind.STRING),
    "beds": FqlField(floor_plan.c.beds, FieldKind.NUMBER),
    "baths": FqlField(floor_plan.c.baths, FieldKind.NUMBER),
    "createdAt": FqlField(floor_plan.c.created_at, FieldKind.DATETIME),
    "updatedAt": FqlField(floor_plan.c.updated_at, FieldKind.DATETIME),
}

UNIT_FIELDS: dict[str, FqlField] = {
    "id": FqlField(unit.c.id, FieldKind.UUID),
    "propertyId": FqlField(unit.c.property_id, FieldKind.UUID),
    "floorPlanId": FqlField(unit.c.floor_plan_id, FieldKind.UUID),
    "number": FqlField(unit.c.number, FieldKind.STRING),
    "createdAt": FqlField(unit.c.created_at, FieldKind.DATETIME),
    "updatedAt": FqlField(unit.c.updated_at, FieldKind.DATETIME),
}


def property_json(row: AnyRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "organizationId": row.organization_id,
        "name": row.name,
        "timezone": row.timezone,
        "addressLine1": row.address_line1,
        "city": row.city,
        "state": row.state,
        "postalCode": row.postal_code,
        "createdAt": iso_z(row.created_at),
        "updatedAt": iso_z(row.updated_at),
    }


def floor_plan_json(row: AnyRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "propertyId": row.property_id,
        "name": row.name,
        "beds": row.beds,
        "baths": json_number(row.baths),
        "createdAt": iso_z(row.created_at),
        "updatedAt": iso_z(row.updated_at),
    }


def unit_json(row: AnyRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "propertyId": row.property_id,
        "floorPlanId": row.floor_plan_id,
        "number": row.number,
        "createdAt": iso_z(row.created_at),
        "updatedAt": iso_z(row.updated_at),
    }
