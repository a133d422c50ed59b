"""400: every field rule, reported all at once, each naming its camelCase field."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from ils_intake.db.tables import intake_log, prospect
from ils_intake.prospects.schemas import FIELD_RULES
from tests.builders import INTAKE, OMIT, Tenant, make_prospect_payload

INVALID: list[tuple[str, Any]] = [
    ("propertyId", "not-a-uuid"),
    ("propertyId", 12345),
    ("propertyId", "9e539f481c1841a987181d4ed029f8b5"),
    ("firstName", ""),
    ("firstName", "   "),
    ("firstName", "x" * 101),
    ("firstName", "Bo\x00b"),
    ("firstName", "Bo\nb"),
    ("firstName", 7),
    ("lastName", ""),
    ("lastName", "y" * 101),
    ("lastName", ["Smith"]),
    ("phoneNumber", "555-1234"),
    ("phoneNumber", "55532112345"),
    ("phoneNumber", "call me"),
    ("phoneNumber", "1-800-FLOWERS"),
    ("phoneNumber", 5553211234),
    ("phoneNumber", ""),
    ("emailAddress", "bob"),
    ("emailAddress", "bob@"),
    ("emailAddress", "bob@@fakemail.com"),
    ("emailAddress", "b" * 250 + "@x.com"),
    ("emailAddress", ""),
    ("nBeds", True),
    ("nBeds", "3"),
    ("nBeds", 2.5),
    ("nBeds", -1),
    ("nBeds", 16),
    ("nBaths", False),
    ("nBaths", "2"),
    ("nBaths", 1.25),
    ("nBaths", 15.5),
    ("nBaths", -0.5),
    ("moveInDate", "2026-02-30"),
    ("moveInDate", "2026-4-15"),
    ("moveInDate", "04/15/2026"),
    ("moveInDate", "2026-04-15T00:00:00Z"),
    ("moveInDate", "1999-12-31"),
    ("moveInDate", "2101-01-01"),
    ("moveInDate", 20260415),
    ("preferredUnit", ""),
    ("preferredUnit", "   "),
    ("preferredUnit", "u" * 33),
    ("preferredUnit", 2205),
    ("preferredFloorPlanId", "plan-a"),
    ("preferredFloorPlanId", 1),
    ("message", "m" * 5001),
    ("message", "nul\x00byte"),
    ("message", {"text": "hi"}),
]


@pytest.mark.parametrize(("field", "value"), INVALID)
def test_invalid_field_is_400_naming_it(
    client: TestClient, tenant: Tenant, field: str, value: Any
) -> None:
    response = client.post(
        INTAKE, json=make_prospect_payload(tenant, **{field: value}), headers=tenant.headers()
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["errors"] == [{"field": field, "message": FIELD_RULES[field]}]
    assert body["detail"] == "1 field is invalid"
    assert (body["type"], body["title"], body["status"]) == ("about:blank", "Bad Request", 400)


VALID: list[tuple[str, Any]] = [
    ("phoneNumber", "5553211234"),
    ("phoneNumber", "(555) 321-1234"),
    ("phoneNumber", "555.321.1234"),
    ("phoneNumber", "+1 555 321 1234"),
    ("phoneNumber", "+44 20 7946 0958"),
    ("emailAddress", "o'brien+leads@sub.example.co.uk"),
    ("nBeds", 0),
    ("nBeds", 15),
    ("nBaths", 0),
    ("nBaths", 15),
    ("nBaths", 2.5),
    ("moveInDate", "2000-01-01"),
    ("moveInDate", "2100-12-31"),
    ("moveInDate", "2028-02-29"),
    ("firstName", "x" * 100),
    ("firstName", "José-María"),
    ("preferredUnit", "u" * 32),
    ("message", "m" * 5000),
    ("message", "line one\nline two\ttabbed"),
    ("message", ""),
]


@pytest.mark.parametrize(("field", "value"), VALID)
def test_valid_edge_value_is_accepted(
    client: TestClient, tenant: Tenant, field: str, value: Any
) -> None:
    response = client.post(
        INTAKE, json=make_prospect_payload(tenant, **{field: value}), headers=tenant.headers()
    )
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("field", ["propertyId", "firstName", "lastName"])
def test_missing_required_field_is_400(client: TestClient, tenant: Tenant, field: str) -> None:
    response = client.post(
        INTAKE, json=make_prospect_payload(tenant, **{field: OMIT}), headers=tenant.headers()
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": field, "message": "is required"}]


@pytest.mark.parametrize("field", ["propertyId", "firstName", "lastName"])
def test_null_required_field_is_400(client: TestClient, tenant: Tenant, field: str) -> None:
    response = client.post(
        INTAKE, json=make_prospect_payload(tenant, **{field: None}), headers=tenant.headers()
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize("absent", [OMIT, None])
def test_neither_phone_nor_email_is_400(client: TestClient, tenant: Tenant, absent: Any) -> None:
    payload = make_prospect_payload(tenant, phoneNumber=absent, emailAddress=absent)
    response = client.post(INTAKE, json=payload, headers=tenant.headers())
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "phoneNumber", "message": "phoneNumber or emailAddress is required"}
    ]


@pytest.mark.parametrize("name", ["email", "phone", "property_id", "PropertyId", "extra"])
def test_unknown_field_is_400_naming_it(client: TestClient, tenant: Tenant, name: str) -> None:
    payload = make_prospect_payload(tenant) | {name: "x"}
    response = client.post(INTAKE, json=payload, headers=tenant.headers())
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": name, "message": "is not a known field"}]


def test_every_problem_is_reported_at_once(client: TestClient, tenant: Tenant) -> None:
    payload = make_prospect_payload(
        tenant,
        firstName=OMIT,
        moveInDate="2026-13-01",
        nBeds=True,
        emailAddress="nope",
        preferredFloorPlanId=tenant.other_floor_plan_id,
    ) | {"email": "bob@fakemail.com"}
    response = client.post(INTAKE, json=payload, headers=tenant.headers())
    body = response.json()
    assert response.status_code == 400
    assert body["detail"] == "6 fields are invalid"
    assert [e["field"] for e in body["errors"]] == [
        "firstName",
        "emailAddress",
        "nBeds",
        "moveInDate",
        "preferredFloorPlanId",
        "email",
    ]


def test_unknown_property_is_400(client: TestClient, tenant: Tenant) -> None:
    payload = make_prospect_payload(
        tenant, propertyId="00000000-0000-4000-8000-000000000000", preferredFloorPlanId=OMIT
    )
    response = client.post(INTAKE, json=payload, headers=tenant.headers())
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "propertyId", "message": "is not a property of this key"}
    ]


def test_ungranted_property_gets_the_same_400_as_unknown(
    client: TestClient, tenant: Tenant
) -> None:
    unknown = make_prospect_payload(
        tenant, propertyId="00000000-0000-4000-8000-000000000000", preferredFloorPlanId=OMIT
    )
    other_org = make_prospect_payload(
        tenant, propertyId=tenant.foreign_property_id, preferredFloorPlanId=OMIT
    )
    not_listed = make_prospect_payload(
        tenant, propertyId=tenant.other_property_id, preferredFloorPlanId=OMIT
    )
    scoped = tenant.headers(tenant.property_ils_key)
    answers = [
        client.post(INTAKE, json=unknown, headers=scoped),
        client.post(INTAKE, json=other_org, headers=tenant.headers()),
        client.post(INTAKE, json=not_listed, headers=scoped),
    ]
    assert {r.status_code for r in answers} == {400}
    assert len({r.text for r in answers}) == 1


def test_floor_plan_of_another_property_is_400(client: TestClient, tenant: Tenant) -> None:
    payload = make_prospect_payload(tenant, preferredFloorPlanId=tenant.other_floor_plan_id)
    response = client.post(INTAKE, json=payload, headers=tenant.headers())
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "preferredFloorPlanId", "message": "is not a floor plan of this property"}
    ]


def test_rejected_payload_is_logged_but_creates_nothing(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    payload = make_prospect_payload(tenant, nBeds=99)
    client.post(INTAKE, json=payload, headers=tenant.headers())
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(prospect)) == 0
        log = conn.execute(select(intake_log)).one()
    assert log.status == 400
    assert log.errors == [{"field": "nBeds", "message": FIELD_RULES["nBeds"]}]
    assert b'"nBeds":99' in log.body
