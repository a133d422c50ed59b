"""Builders for test data: a whole tenant in one call, payloads with overrides."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from ils_intake.db.engine import transaction
from ils_intake.db.types import utcnow
from ils_intake.keys import service as keys_service
from ils_intake.keys.tokens import KeyKind
from ils_intake.organizations import service as organizations_service
from ils_intake.properties import repository as properties

OMIT: Any = object()  # pass as an override to leave a field out of the payload
INTAKE = "/external-api/ils-prospects"


@dataclass(frozen=True)
class Tenant:
    organization_id: str
    property_id: str
    other_property_id: str  # same organization, not granted to `property_ils_key`
    floor_plan_id: str
    other_floor_plan_id: str  # belongs to other_property_id
    unit_id: str
    unit_number: str
    ils_key: str  # granted the whole organization
    ils_key_id: str
    property_ils_key: str  # granted property_id only
    standard_key: str
    standard_key_id: str
    foreign_property_id: str  # another organization's property
    foreign_ils_key: str

    def headers(self, key: str | None = None) -> dict[str, str]:
        return {"x-api-key": key or self.ils_key, "content-type": "application/json"}


def _add_property(conn: Any, organization_id: str, name: str) -> tuple[str, str]:
    now = utcnow()
    property_id, plan_id = str(uuid.uuid4()), str(uuid.uuid4())
    properties.insert_property(
        conn,
        {
            "id": property_id,
            "organization_id": organization_id,
            "name": name,
            "timezone": "America/New_York",
            "created_at": now,
            "updated_at": now,
        },
    )
    properties.insert_floor_plan(
        conn,
        {
            "id": plan_id,
            "property_id": property_id,
            "name": "2x2",
            "beds": 2,
            "baths": 2,
            "created_at": now,
            "updated_at": now,
        },
    )
    return property_id, plan_id


def make_tenant(engine: Engine) -> Tenant:
    with transaction(engine) as conn:
        org = organizations_service.create_organization(conn, "Acme Residential")["id"]
        property_id, plan_id = _add_property(conn, org, "Maple Court")
        other_property_id, other_plan_id = _add_property(conn, org, "Oak Terrace")
        unit_id = str(uuid.uuid4())
        now = utcnow()
        properties.insert_unit(
            conn,
            {
                "id": unit_id,
                "property_id": property_id,
                "floor_plan_id": plan_id,
                "number": "2205D",
                "created_at": now,
                "updated_at": now,
            },
        )
        ils = keys_service.create_key(conn, kind=KeyKind.ILS, organization_id=org, vendor="Zillow")
        scoped = keys_service.create_key(
            conn,
            kind=KeyKind.ILS,
            organization_id=org,
            vendor="Apartments.com",
            property_ids=[property_id],
        )
        standard = keys_service.create_key(conn, kind=KeyKind.STANDARD, organization_id=org)
        foreign_org = organizations_service.create_organization(conn, "Other Co")["id"]
        foreign_property_id, _ = _add_property(conn, foreign_org, "Elsewhere")
        foreign = keys_service.create_key(
            conn, kind=KeyKind.ILS, organization_id=foreign_org, vendor="Zillow"
        )
    return Tenant(
        organization_id=org,
        property_id=property_id,
        other_property_id=other_property_id,
        floor_plan_id=plan_id,
        other_floor_plan_id=other_plan_id,
        unit_id=unit_id,
        unit_number="2205D",
        ils_key=ils.key,
        ils_key_id=ils.id,
        property_ils_key=scoped.key,
        standard_key=standard.key,
        standard_key_id=standard.id,
        foreign_property_id=foreign_property_id,
        foreign_ils_key=foreign.key,
    )


def make_prospect_payload(tenant: Tenant, **overrides: Any) -> dict[str, Any]:
    """The seed page's example request aimed at the tenant's property, with overrides."""
    payload: dict[str, Any] = {
        "propertyId": tenant.property_id,
        "firstName": "Bob",
        "lastName": "Smith",
        "phoneNumber": "5553211234",
        "emailAddress": "bob@fakemail.com",
        "nBeds": 3,
        "nBaths": 2,
        "moveInDate": "2026-04-15",
        "preferredUnit": "2205D",
        "preferredFloorPlanId": tenant.floor_plan_id,
        "message": "Introductory message",
    }
    for name, value in overrides.items():
        if value is OMIT:
            payload.pop(name, None)
        else:
            payload[name] = value
    return payload
