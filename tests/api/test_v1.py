"""The organization API: lists, items, paging, FQL, and tenancy, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.builders import INTAKE, OMIT, Tenant, make_prospect_payload

PROSPECT_KEYS = {
    "id",
    "organizationId",
    "propertyId",
    "firstName",
    "lastName",
    "phoneNumber",
    "emailAddress",
    "nBeds",
    "nBaths",
    "moveInDate",
    "preferredUnit",
    "unitId",
    "preferredFloorPlanId",
    "message",
    "source",
    "createdAt",
    "updatedAt",
}


def _v1(client: TestClient, tenant: Tenant, path: str, **params: Any):  # type: ignore[no-untyped-def]
    return client.get(f"/v1{path}", params=params, headers={"x-api-key": tenant.standard_key})


def _post(client: TestClient, tenant: Tenant, key: str | None = None, **overrides: Any) -> str:
    response = client.post(
        INTAKE, json=make_prospect_payload(tenant, **overrides), headers=tenant.headers(key)
    )
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


@pytest.fixture
def three(client: TestClient, tenant: Tenant) -> list[str]:
    """Three prospects: Bob (Zillow), Ann and Cy (Apartments.com), created in that order."""
    return [
        _post(client, tenant),
        _post(
            client,
            tenant,
            tenant.property_ils_key,
            firstName="Ann",
            lastName="Lee",
            phoneNumber="2125550100",
            emailAddress="ann@x.org",
            nBeds=1,
            preferredUnit=OMIT,
        ),
        _post(
            client,
            tenant,
            tenant.property_ils_key,
            firstName="Cy",
            lastName="Young",
            phoneNumber=OMIT,
            emailAddress="cy@x.org",
            nBeds=2,
            moveInDate=OMIT,
        ),
    ]


def test_prospects_list_is_a_bare_array_with_total(
    client: TestClient, tenant: Tenant, three: list[str]
) -> None:
    response = _v1(client, tenant, "/prospects")
    assert response.status_code == 200
    assert response.headers["x-total-count"] == "3"
    items = response.json()
    assert isinstance(items, list)
    assert [p["id"] for p in items] == three[::-1]  # newest first
    bob = items[-1]
    assert set(bob) == PROSPECT_KEYS
    assert bob["organizationId"] == tenant.organization_id
    assert bob["unitId"] == tenant.unit_id
    assert bob["source"] == "Zillow"
    assert bob["createdAt"].endswith("Z")
    assert bob["moveInDate"] == "2026-04-15"


def test_paging(client: TestClient, tenant: Tenant, three: list[str]) -> None:
    first = _v1(client, tenant, "/prospects", limit=2, sort="createdAt:asc")
    second = _v1(client, tenant, "/prospects", limit=2, page=1, sort="createdAt:asc")
    assert [p["id"] for p in first.json()] == three[:2]
    assert [p["id"] for p in second.json()] == three[2:]
    assert second.headers["x-total-count"] == "3"
    assert _v1(client, tenant, "/prospects", page=5).json() == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"page": -1}, "page"),
        ({"limit": "ten"}, "limit"),
    ],
)
def test_bad_paging_is_400_naming_the_parameter(
    client: TestClient, tenant: Tenant, params: dict[str, Any], field: str
) -> None:
    response = _v1(client, tenant, "/prospects", **params)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    ("expression", "names"),
    [
        ('source = "Zillow"', ["Bob"]),
        ('source != "Zillow"', ["Ann", "Cy"]),
        ("nBeds >= 2", ["Bob", "Cy"]),
        ('firstName ~= "a*"', ["Ann"]),
        ('emailAddress matches "@x\\\\.org$"', ["Ann", "Cy"]),
        ("phoneNumber = NULL", ["Cy"]),
        ("preferredUnit = EXISTS", ["Bob", "Cy"]),
        ('lastName hasAny ["Lee", "Young"] and not nBeds = 2', ["Ann"]),
        ('(source = "Zillow" or nBeds = 1) and moveInDate = "2026-04-15"', ["Ann", "Bob"]),
        ('createdAt >= "2000-01-01"', ["Ann", "Bob", "Cy"]),
        ('createdAt < "2000-01-01"', []),
    ],
)
@pytest.mark.usefixtures("three")
def test_fql_filters_prospects(
    client: TestClient, tenant: Tenant, expression: str, names: list[str]
) -> None:
    response = _v1(client, tenant, "/prospects", filter=expression, sort="firstName")
    assert response.status_code == 200, response.text
    assert [p["firstName"] for p in response.json()] == names
    assert response.headers["x-total-count"] == str(len(names))


@pytest.mark.parametrize(
    ("params", "field", "position"),
    [
        ({"filter": 'source = "Zillow'}, "filter", 9),
        ({"filter": "(nBeds = 1"}, "filter", 0),
        ({"filter": 'colour = "red"'}, "filter", 0),
        ({"filter": "nBeds => 1"}, "filter", 6),
        ({"sort": "colour:asc"}, "sort", 0),
        ({"sort": "createdAt:sideways"}, "sort", 10),
    ],
)
def test_bad_filter_or_sort_is_400_saying_where(
    client: TestClient, tenant: Tenant, params: dict[str, str], field: str, position: int
) -> None:
    response = _v1(client, tenant, "/prospects", **params)
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == field
    assert body["position"] == position
    assert f"at character {position}" in body["errors"][0]["message"]


def test_one_prospect_and_its_activities(
    client: TestClient, tenant: Tenant, three: list[str]
) -> None:
    bob = three[0]
    client.post(
        INTAKE, json=make_prospect_payload(tenant, message="again"), headers=tenant.headers()
    )
    item = _v1(client, tenant, f"/prospects/{bob.upper()}")
    assert item.status_code == 200
    assert item.json()["id"] == bob
    activities = _v1(client, tenant, f"/prospects/{bob}/activities")
    assert activities.headers["x-total-count"] == "1"
    (activity,) = activities.json()
    assert activity["type"] == "REINQUIRY"
    assert activity["source"] == "Zillow"
    assert activity["payload"]["message"] == "again"
    assert activity["prospectId"] == bob


def test_properties_floor_plans_and_units(client: TestClient, tenant: Tenant) -> None:
    properties = _v1(client, tenant, "/properties")
    assert properties.headers["x-total-count"] == "2"
    assert [p["name"] for p in properties.json()] == ["Maple Court", "Oak Terrace"]
    one = _v1(client, tenant, f"/properties/{tenant.property_id}").json()
    assert one["timezone"] == "America/New_York"
    plans = _v1(client, tenant, f"/properties/{tenant.property_id}/floorPlans").json()
    assert [(p["id"], p["beds"], p["baths"]) for p in plans] == [(tenant.floor_plan_id, 2, 2)]
    units = _v1(client, tenant, f"/properties/{tenant.property_id}/units").json()
    assert [(u["number"], u["floorPlanId"]) for u in units] == [("2205D", tenant.floor_plan_id)]
    filtered = _v1(client, tenant, "/properties", filter='name ~= "oak*"')
    assert [p["name"] for p in filtered.json()] == ["Oak Terrace"]


@pytest.mark.parametrize(
    "path",
    ["/prospects", "/properties", "/prospects/00000000-0000-4000-8000-000000000000"],
)
def test_ils_key_is_401_on_v1(client: TestClient, tenant: Tenant, path: str) -> None:
    response = client.get(f"/v1{path}", headers={"x-api-key": tenant.ils_key})
    assert response.status_code == 401
    assert client.get(f"/v1{path}").status_code == 401


def test_unknown_ids_are_404(client: TestClient, tenant: Tenant) -> None:
    for path in [
        "/prospects/nope",
        "/prospects/00000000-0000-4000-8000-000000000000",
        "/prospects/00000000-0000-4000-8000-000000000000/activities",
        "/properties/00000000-0000-4000-8000-000000000000/units",
    ]:
        response = _v1(client, tenant, path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"
