"""200: the created prospect, as the seed documents it, stored with its normalised contacts."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from ils_intake.db.tables import intake_log, prospect
from tests.builders import INTAKE, OMIT, Tenant, make_prospect_payload

SEED_FIELDS = [
    "id",
    "propertyId",
    "firstName",
    "lastName",
    "phoneNumber",
    "emailAddress",
    "nBeds",
    "nBaths",
    "moveInDate",
    "preferredUnit",
    "preferredFloorPlanId",
    "message",
]


def _stored(engine: Engine, prospect_id: str) -> dict[str, object]:
    with engine.connect() as conn:
        row = conn.execute(select(prospect).where(prospect.c.id == prospect_id)).one()
    return dict(row._mapping)


def test_seed_example_returns_the_documented_body(client: TestClient, tenant: Tenant) -> None:
    payload = make_prospect_payload(tenant)
    response = client.post(INTAKE, json=payload, headers=tenant.headers())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body)[: len(SEED_FIELDS)] == SEED_FIELDS
    assert uuid.UUID(body["id"]).version == 4
    for name, value in payload.items():
        assert body[name] == value, name
    assert body["source"] == "Zillow"
    assert body["createdAt"].endswith("Z")


def test_absent_optional_fields_are_null(client: TestClient, tenant: Tenant) -> None:
    payload = {
        "propertyId": tenant.property_id,
        "firstName": "Ann",
        "lastName": "Lee",
        "emailAddress": "ann@example.com",
        "message": None,
    }
    body = client.post(INTAKE, json=payload, headers=tenant.headers()).json()
    for name in [
        "phoneNumber",
        "nBeds",
        "nBaths",
        "moveInDate",
        "preferredUnit",
        "preferredFloorPlanId",
        "message",
    ]:
        assert body[name] is None, name


def test_phone_alone_is_enough(client: TestClient, tenant: Tenant) -> None:
    payload = make_prospect_payload(tenant, emailAddress=OMIT)
    assert client.post(INTAKE, json=payload, headers=tenant.headers()).status_code == 200


def test_email_alone_is_enough(client: TestClient, tenant: Tenant) -> None:
    payload = make_prospect_payload(tenant, phoneNumber=None)
    assert client.post(INTAKE, json=payload, headers=tenant.headers()).status_code == 200


def test_contacts_are_stored_normalised_and_echoed_trimmed(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    payload = make_prospect_payload(
        tenant, phoneNumber=" (555) 321-1234 ", emailAddress="  Bob@FakeMail.COM "
    )
    body = client.post(INTAKE, json=payload, headers=tenant.headers()).json()
    assert body["phoneNumber"] == "(555) 321-1234"
    assert body["emailAddress"] == "Bob@FakeMail.COM"
    row = _stored(engine, body["id"])
    assert row["phone_e164"] == "+15553211234"
    assert row["email_normalized"] == "bob@fakemail.com"


def test_names_are_trimmed(client: TestClient, tenant: Tenant) -> None:
    payload = make_prospect_payload(tenant, firstName="  Bob ", lastName="\tSmith ")
    body = client.post(INTAKE, json=payload, headers=tenant.headers()).json()
    assert (body["firstName"], body["lastName"]) == ("Bob", "Smith")


def test_ids_are_echoed_lower_case(client: TestClient, tenant: Tenant, engine: Engine) -> None:
    payload = make_prospect_payload(
        tenant,
        propertyId=tenant.property_id.upper(),
        preferredFloorPlanId=tenant.floor_plan_id.upper(),
    )
    body = client.post(INTAKE, json=payload, headers=tenant.headers()).json()
    assert body["propertyId"] == tenant.property_id
    assert body["preferredFloorPlanId"] == tenant.floor_plan_id
    assert _stored(engine, body["id"])["property_id"] == tenant.property_id


def test_preferred_unit_matches_case_insensitively(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    payload = make_prospect_payload(tenant, preferredUnit=" 2205d ")
    body = client.post(INTAKE, json=payload, headers=tenant.headers()).json()
    assert body["preferredUnit"] == "2205d"
    assert _stored(engine, body["id"])["unit_id"] == tenant.unit_id


def test_unmatched_preferred_unit_is_kept_not_rejected(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    payload = make_prospect_payload(tenant, preferredUnit="PH-9")
    response = client.post(INTAKE, json=payload, headers=tenant.headers())
    assert response.status_code == 200
    row = _stored(engine, response.json()["id"])
    assert (row["preferred_unit"], row["unit_id"]) == ("PH-9", None)


def test_whole_numbers_and_half_baths(client: TestClient, tenant: Tenant) -> None:
    payload = make_prospect_payload(tenant, nBeds=2.0, nBaths=1.5)
    body = client.post(INTAKE, json=payload, headers=tenant.headers()).json()
    assert (body["nBeds"], body["nBaths"]) == (2, 1.5)


def test_past_move_in_date_is_allowed(client: TestClient, tenant: Tenant) -> None:
    payload = make_prospect_payload(tenant, moveInDate="2001-01-31")
    assert client.post(INTAKE, json=payload, headers=tenant.headers()).status_code == 200


def test_charset_parameter_is_fine(client: TestClient, tenant: Tenant) -> None:
    headers = tenant.headers() | {"content-type": "application/json; charset=UTF-8"}
    response = client.post(INTAKE, json=make_prospect_payload(tenant), headers=headers)
    assert response.status_code == 200


def test_property_grant_allows_the_listed_property(client: TestClient, tenant: Tenant) -> None:
    headers = tenant.headers(tenant.property_ils_key)
    response = client.post(INTAKE, json=make_prospect_payload(tenant), headers=headers)
    assert response.status_code == 200
    assert response.json()["source"] == "Apartments.com"


def test_created_prospect_is_logged_with_its_body(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    response = client.post(INTAKE, json=make_prospect_payload(tenant), headers=tenant.headers())
    with engine.connect() as conn:
        log = conn.execute(select(intake_log)).one()
    assert (log.status, log.prospect_id, log.errors) == (200, response.json()["id"], None)
    assert b"bob@fakemail.com" in log.body
    assert log.api_key_id == tenant.ils_key_id
    assert log.request_id == response.headers["x-request-id"]
