"""The demo organization: the seed page's property, floor plan and unit, so the seed's example
request works verbatim. Seeding is idempotent; each run issues a fresh pair of keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from ils_intake.db.types import utcnow
from ils_intake.keys import service as keys_service
from ils_intake.keys.tokens import KeyKind
from ils_intake.organizations import repository as organizations
from ils_intake.organizations import service as organizations_service
from ils_intake.properties import repository as properties

ORGANIZATION_ID = "0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8"
PROPERTY_ID = "9e539f48-1c18-41a9-8718-1d4ed029f8b5"
FLOOR_PLAN_ID = "e513b162-14b5-4808-a016-32ae1abbe9a2"
UNIT_ID = "5a7d2c1e-8b3f-4e6a-9c0d-1f2e3a4b5c6d"
UNIT_NUMBER = "2205D"
VENDOR = "Demo ILS"
LABEL = "demo"


@dataclass(frozen=True, slots=True)
class DemoKeys:
    ils_api_key: str
    api_key: str
    organization_id: str = ORGANIZATION_ID
    property_id: str = PROPERTY_ID
    floor_plan_id: str = FLOOR_PLAN_ID

    def as_json(self) -> dict[str, str]:
        return {
            "ilsApiKey": self.ils_api_key,
            "apiKey": self.api_key,
            "organizationId": self.organization_id,
            "propertyId": self.property_id,
            "floorPlanId": self.floor_plan_id,
        }


def seed(conn: Connection) -> DemoKeys:
    now = utcnow()
    if organizations.find_organization(conn, ORGANIZATION_ID) is None:
        organizations_service.create_organization(
            conn, "Demo Property Management", organization_id=ORGANIZATION_ID
        )
    if properties.find_property(conn, PROPERTY_ID) is None:
        properties.insert_property(
            conn,
            {
                "id": PROPERTY_ID,
                "organization_id": ORGANIZATION_ID,
                "name": "Demo Apartments",
                "timezone": "America/Chicago",
                "address_line1": "100 Main Street",
                "city": "Austin",
                "state": "TX",
                "postal_code": "78701",
                "created_at": now,
                "updated_at": now,
            },
        )
    if properties.find_floor_plan(conn, FLOOR_PLAN_ID) is None:
        properties.insert_floor_plan(
            conn,
            {
                "id": FLOOR_PLAN_ID,
                "property_id": PROPERTY_ID,
                "name": "3 Bed / 2 Bath",
                "beds": 3,
                "baths": 2,
                "created_at": now,
                "updated_at": now,
            },
        )
    if properties.find_unit(conn, PROPERTY_ID, UNIT_NUMBER) is None:
        properties.insert_unit(
            conn,
            {
                "id": UNIT_ID,
                "property_id": PROPERTY_ID,
                "floor_plan_id": FLOOR_PLAN_ID,
                "number": UNIT_NUMBER,
                "created_at": now,
                "updated_at": now,
            },
        )
    ils = keys_service.create_key(
        conn, kind=KeyKind.ILS, organization_id=ORGANIZATION_ID, vendor=VENDOR, label=LABEL
    )
    standard = keys_service.create_key(
        conn, kind=KeyKind.STANDARD, organization_id=ORGANIZATION_ID, label=LABEL
    )
    return DemoKeys(ils_api_key=ils.key, api_key=standard.key)


def example_curl(ils_api_key: str, base_url: str = "http://127.0.0.1:8000") -> str:
    """The seed page's example request, host and key replaced."""
    return f"""curl --location --request POST '{base_url}/external-api/ils-prospects' \\
--header 'Content-Type: application/json' \\
--header 'x-api-key: {ils_api_key}' \\
--data-raw '{{
  "propertyId": "{PROPERTY_ID}",
  "firstName": "Bob",
  "lastName": "Smith",
  "phoneNumber": "5553211234",
  "emailAddress": "bob@fakemail.com",
  "nBeds": 3,
  "nBaths": 2,
  "moveInDate": "2026-04-15",
  "preferredUnit": "{UNIT_NUMBER}",
  "preferredFloorPlanId": "{FLOOR_PLAN_ID}",
  "message": "Introductory message"
}}'"""
