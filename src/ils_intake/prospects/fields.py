"""The prospect as the organization API names it: wire names mapped to columns, for FQL and
sorting, and the row-to-JSON shape shared by `/v1` and the exports.
"""

from __future__ import annotations

from typing import Any

from ils_intake.db.tables import prospect, prospect_activity
from ils_intake.db.types import AnyRow
from ils_intake.fql import FieldKind, FqlField
from ils_intake.wire import iso_z, json_number

PROSPECT_FIELDS: dict[str, FqlField] = {
    "id": FqlField(prospect.c.id, FieldKind.UUID),
    "organizationId": FqlField(prospect.c.organization_id, FieldKind.UUID),
    "propertyId": FqlField(prospect.c.property_id, FieldKind.UUID),
    "firstName": FqlField(prospect.c.first_name, FieldKind.STRING),
    "lastName": FqlField(prospect.c.last_name, FieldKind.STRING),
    "phoneNumber": FqlField(prospect.c.phone_number, FieldKind.STRING),
    "emailAddress": FqlField(prospect.c.email_address, FieldKind.STRING),
    "nBeds": FqlField(prospect.c.n_beds, FieldKind.NUMBER),
    "nBaths": FqlField(prospect.c.n_baths, FieldKind.NUMBER),
    "moveInDate": FqlField(prospect.c.move_in_date, FieldKind.DATE),
    "preferredUnit": FqlField(prospect.c.preferred_unit, FieldKind.STRING),
    "unitId": FqlField(prospect.c.unit_id, FieldKind.UUID),
    "preferredFloorPlanId": FqlField(prospect.c.preferred_floor_plan_id, FieldKind.UUID),
    "message": FqlField(prospect.c.message, FieldKind.STRING),
    "source": FqlField(prospect.c.source, FieldKind.STRING),
    "createdAt": FqlField(prospect.c.created_at, FieldKind.DATETIME),
    "updatedAt": FqlField(prospect.c.updated_at, FieldKind.DATETIME),
}

PROSPECT_COLUMNS = [field.column for field in PROSPECT_FIELDS.values()]


def prospect_json(row: AnyRow) -> dict[str, Any]:
    """A prospect row (selected with PROSPECT_COLUMNS) as the API writes it."""
    return {
        "id": row.id,
        "organizationId": row.organization_id,
        "propertyId": row.property_id,
        "firstName": row.first_name,
        "lastName": row.last_name,
        "phoneNumber": row.phone_number,
        "emailAddress": row.email_address,
        "nBeds": row.n_beds,
        "nBaths": json_number(row.n_baths),
        "moveInDate": row.move_in_date.isoformat() if row.move_in_date else None,
        "preferredUnit": row.preferred_unit,
        "unitId": row.unit_id,
        "preferredFloorPlanId": row.preferred_floor_plan_id,
        "message": row.message,
        "source": row.source,
        "createdAt": iso_z(row.created_at),
        "updatedAt": iso_z(row.updated_at),
    }


ACTIVITY_FIELDS: dict[str, FqlField] = {
    "id": FqlField(prospect_activity.c.id, FieldKind.UUID),
    "prospectId": FqlField(prospect_activity.c.prospect_id, FieldKind.UUID),
    "type": FqlField(prospect_activity.c.type, FieldKind.STRING),
    "source": FqlField(prospect_activity.c.source, FieldKind.STRING),
    "createdAt": FqlField(prospect_activity.c.created_at, FieldKind.DATETIME),
}


def activity_json(row: AnyRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "prospectId": row.prospect_id,
        "type": row.type,
        "source": row.source,
        "createdAt": iso_z(row.created_at),
        "payload": row.payload,
    }
