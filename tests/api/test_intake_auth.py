"""401: missing, unknown, revoked, expired keys and keys of the wrong kind; never stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from ils_intake.db.engine import transaction
from ils_intake.db.tables import intake_log
from ils_intake.keys import service as keys_service
from tests.builders import INTAKE, Tenant, make_prospect_payload


def _post(client: TestClient, tenant: Tenant, key: str | None):  # type: ignore[no-untyped-def]
    headers = {"content-type": "application/json"}
    if key is not None:
        headers["x-api-key"] = key
    return client.post(INTAKE, json=make_prospect_payload(tenant), headers=headers)


def _assert_401(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("ApiKey")


@pytest.mark.parametrize(
    "key", [None, "", "ils_not-a-real-key", "fk_x", "Bearer abc", "ils_" + "a" * 5000]
)
def test_missing_or_unknown_key_is_401(client: TestClient, tenant: Tenant, key: str | None) -> None:
    _assert_401(_post(client, tenant, key))


def test_standard_key_is_401_on_the_ils_endpoint(client: TestClient, tenant: Tenant) -> None:
    _assert_401(_post(client, tenant, tenant.standard_key))


def test_revoked_key_is_401(client: TestClient, tenant: Tenant, engine: Engine) -> None:
    with transaction(engine) as conn:
        keys_service.revoke_key(conn, tenant.ils_key_id)
    _assert_401(_post(client, tenant, tenant.ils_key))


def test_rotated_key_works_during_grace_and_successor_works(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    with transaction(engine) as conn:
        successor = keys_service.rotate_key(conn, tenant.ils_key_id, grace=timedelta(hours=24))
    assert _post(client, tenant, tenant.ils_key).status_code == 200
    response = _post(client, tenant, successor.key)
    assert response.status_code == 409  # same person again, through the new key
    assert successor.key.startswith("ils_")


def test_rotated_key_expires_after_grace(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    with transaction(engine) as conn:
        successor = keys_service.rotate_key(conn, tenant.ils_key_id, grace=timedelta(0))
    _assert_401(_post(client, tenant, tenant.ils_key))
    assert _post(client, tenant, successor.key).status_code == 200


def test_rotated_ils_key_keeps_vendor_and_property_grant(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    with transaction(engine) as conn:
        listed = next(k for k in keys_service.list_keys(conn) if k["vendor"] == "Apartments.com")
        successor = keys_service.rotate_key(conn, listed["id"])
    assert successor.vendor == "Apartments.com"
    assert successor.property_ids == [tenant.property_id]
    headers = tenant.headers(successor.key)
    other = make_prospect_payload(
        tenant, propertyId=tenant.other_property_id, preferredFloorPlanId=None
    )
    assert client.post(INTAKE, json=other, headers=headers).status_code == 400
    created = client.post(INTAKE, json=make_prospect_payload(tenant), headers=headers)
    assert created.json()["source"] == "Apartments.com"


@pytest.mark.usefixtures("tenant")
def test_key_is_checked_before_the_body(client: TestClient) -> None:
    response = client.post(
        INTAKE, content=b"not json", headers={"content-type": "text/plain", "x-api-key": "bad"}
    )
    _assert_401(response)


def test_unauthenticated_requests_are_not_stored(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    _post(client, tenant, "ils_wrong")
    _post(client, tenant, tenant.standard_key)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(intake_log)) == 0
    metrics = client.get("/metrics").text
    assert "ils_intake_unauthenticated_total" in metrics
