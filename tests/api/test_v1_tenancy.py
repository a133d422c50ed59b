"""A standard key sees its own organization only: other ids are 404, lists never leak rows."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ils_intake.db.engine import transaction
from ils_intake.keys import service as keys_service
from ils_intake.keys.tokens import KeyKind
from tests.builders import INTAKE, Tenant, make_prospect_payload


@pytest.fixture
def outsider_key(engine: Engine, tenant: Tenant) -> str:
    """A standard key of the second organization (the one owning `foreign_property_id`)."""
    with transaction(engine) as conn:
        foreign_org = keys_service.authenticate(conn, tenant.foreign_ils_key, kind=KeyKind.ILS)
        return keys_service.create_key(
            conn, kind=KeyKind.STANDARD, organization_id=foreign_org.organization_id
        ).key


@pytest.fixture
def bob(client: TestClient, tenant: Tenant) -> str:
    payload = make_prospect_payload(tenant)
    created = client.post(INTAKE, json=payload, headers=tenant.headers()).json()["id"]
    client.post(INTAKE, json=payload, headers=tenant.headers())  # a re-inquiry
    return str(created)


def test_other_organizations_ids_are_404(
    client: TestClient, tenant: Tenant, outsider_key: str, bob: str
) -> None:
    headers = {"x-api-key": outsider_key}
    for path in [
        f"/v1/prospects/{bob}",
        f"/v1/prospects/{bob}/activities",
        f"/v1/properties/{tenant.property_id}",
        f"/v1/properties/{tenant.property_id}/floorPlans",
        f"/v1/properties/{tenant.property_id}/units",
    ]:
        assert client.get(path, headers=headers).status_code == 404, path
    # ... while the owner reads them all
    own = {"x-api-key": tenant.standard_key}
    assert client.get(f"/v1/prospects/{bob}", headers=own).status_code == 200


@pytest.mark.parametrize(
    "expression",
    [
        None,
        'source = "Zillow"',
        "id = EXISTS",
        "not id = NULL",
        "organizationId = EXISTS or organizationId = NULL",
        'not (organizationId = "00000000-0000-4000-8000-000000000000")',
        'firstName ~= "*"',
        'lastName matches ".*"',
        "nBeds >= 0 or nBeds = NULL",
    ],
)
def test_lists_never_show_another_organizations_rows(
    client: TestClient, tenant: Tenant, outsider_key: str, bob: str, expression: str | None
) -> None:
    params = {"filter": expression} if expression else {}
    headers = {"x-api-key": outsider_key}
    prospects = client.get("/v1/prospects", params=params, headers=headers)
    assert prospects.status_code == 200
    assert prospects.json() == []
    assert prospects.headers["x-total-count"] == "0"
    properties = client.get("/v1/properties", headers=headers).json()
    assert tenant.property_id not in {p["id"] for p in properties}
    own = client.get("/v1/prospects", params=params, headers={"x-api-key": tenant.standard_key})
    assert [p["id"] for p in own.json()] == [bob]


def test_filter_naming_the_other_organization_finds_nothing(
    client: TestClient, tenant: Tenant, outsider_key: str, bob: str
) -> None:
    expression = f'organizationId = "{tenant.organization_id}" or id = "{bob}"'
    response = client.get(
        "/v1/prospects", params={"filter": expression}, headers={"x-api-key": outsider_key}
    )
    assert response.json() == []
