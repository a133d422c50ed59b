"""409: one person per property, matched on normalised phone or email; the inquiry is kept."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from ils_intake.db.tables import intake_log, prospect, prospect_activity
from tests.builders import INTAKE, OMIT, Tenant, make_prospect_payload


def _count(engine: Engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


def test_same_person_again_is_409_naming_the_first(client: TestClient, tenant: Tenant) -> None:
    payload = make_prospect_payload(tenant)
    first = client.post(INTAKE, json=payload, headers=tenant.headers())
    again = client.post(INTAKE, json=payload, headers=tenant.headers())
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    body = again.json()
    assert body["existingProspectId"] == first.json()["id"]
    assert body["matchedOn"] == ["emailAddress", "phoneNumber"]
    assert (body["status"], body["title"]) == (409, "Conflict")


@pytest.mark.parametrize(
    "spelling", ["(555) 321-1234", "+1 555 321 1234", "555.321.1234", "1 555 321 1234"]
)
def test_one_phone_in_any_punctuation_is_one_person(
    client: TestClient, tenant: Tenant, spelling: str
) -> None:
    first = client.post(
        INTAKE,
        json=make_prospect_payload(tenant, phoneNumber="5553211234", emailAddress=OMIT),
        headers=tenant.headers(),
    )
    again = client.post(
        INTAKE,
        json=make_prospect_payload(tenant, phoneNumber=spelling, emailAddress="other@x.org"),
        headers=tenant.headers(),
    )
    assert again.status_code == 409
    assert again.json()["existingProspectId"] == first.json()["id"]
    assert again.json()["matchedOn"] == ["phoneNumber"]


@pytest.mark.parametrize(
    "spelling", ["BOB@FAKEMAIL.COM", "  bob@fakemail.com  ", "Bob@FakeMail.com"]
)
def test_email_differing_in_case_or_spaces_is_one_person(
    client: TestClient, tenant: Tenant, spelling: str
) -> None:
    first = client.post(
        INTAKE,
        json=make_prospect_payload(tenant, phoneNumber=OMIT),
        headers=tenant.headers(),
    )
    again = client.post(
        INTAKE,
        json=make_prospect_payload(tenant, emailAddress=spelling, phoneNumber="2125550199"),
        headers=tenant.headers(),
    )
    assert again.status_code == 409
    assert again.json()["existingProspectId"] == first.json()["id"]
    assert again.json()["matchedOn"] == ["emailAddress"]


def test_same_person_at_another_property_is_a_new_prospect(
    client: TestClient, tenant: Tenant
) -> None:
    client.post(INTAKE, json=make_prospect_payload(tenant), headers=tenant.headers())
    elsewhere = make_prospect_payload(
        tenant, propertyId=tenant.other_property_id, preferredFloorPlanId=OMIT
    )
    assert client.post(INTAKE, json=elsewhere, headers=tenant.headers()).status_code == 200


def test_different_people_are_not_duplicates(client: TestClient, tenant: Tenant) -> None:
    client.post(INTAKE, json=make_prospect_payload(tenant), headers=tenant.headers())
    other = make_prospect_payload(tenant, phoneNumber="2125550100", emailAddress="ann@x.org")
    assert client.post(INTAKE, json=other, headers=tenant.headers()).status_code == 200


def test_contacts_split_across_two_prospects_name_the_oldest(
    client: TestClient, tenant: Tenant
) -> None:
    by_email = client.post(
        INTAKE, json=make_prospect_payload(tenant, phoneNumber=OMIT), headers=tenant.headers()
    ).json()["id"]
    client.post(
        INTAKE, json=make_prospect_payload(tenant, emailAddress=OMIT), headers=tenant.headers()
    )
    both = client.post(INTAKE, json=make_prospect_payload(tenant), headers=tenant.headers())
    assert both.status_code == 409
    assert both.json()["existingProspectId"] == by_email
    assert both.json()["matchedOn"] == ["emailAddress"]


def test_reinquiry_is_kept_as_an_activity(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    first = client.post(INTAKE, json=make_prospect_payload(tenant), headers=tenant.headers())
    repeat = make_prospect_payload(tenant, message="Still interested, can I tour Friday?")
    headers = tenant.headers(tenant.property_ils_key)
    assert client.post(INTAKE, json=repeat, headers=headers).status_code == 409
    with engine.connect() as conn:
        activity = conn.execute(select(prospect_activity)).one()
        logged = conn.execute(select(intake_log).where(intake_log.c.status == 409)).one()
    assert activity.prospect_id == first.json()["id"]
    assert activity.type == "REINQUIRY"
    assert activity.source == "Apartments.com"
    assert activity.payload == repeat
    assert activity.created_at is not None
    assert logged.prospect_id == first.json()["id"]
    assert _count(engine, prospect) == 1


def test_every_reinquiry_is_kept(client: TestClient, tenant: Tenant, engine: Engine) -> None:
    for _ in range(3):
        client.post(INTAKE, json=make_prospect_payload(tenant), headers=tenant.headers())
    assert _count(engine, prospect) == 1
    assert _count(engine, prospect_activity) == 2
    assert _count(engine, intake_log) == 3
