"""Odd requests beyond the malformed bodies: each is a 4xx problem, never a 5xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.builders import INTAKE, Tenant, make_prospect_payload


def _assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    "body",
    [
        b'{"a":' * 30_000 + b"1" + b"}" * 30_000,
        b'{"message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ],
    ids=["objects", "arrays-over-64-kib"],
)
def test_deep_nesting_is_a_4xx_problem(client: TestClient, tenant: Tenant, body: bytes) -> None:
    response = client.post(INTAKE, content=body, headers=tenant.headers())
    assert response.status_code in (400, 413)
    _assert_problem(response, response.status_code)


@pytest.mark.parametrize(
    ("field", "literal"),
    [
        ("nBaths", "1e400"),
        ("nBeds", "-1e400"),
        ("nBaths", "0." + "1" * 5000),
        ("nBeds", "1" * 4000),
    ],
    ids=["overflow", "negative-overflow", "long-fraction", "long-integer"],
)
def test_extreme_numbers_are_that_fields_error(
    client: TestClient, tenant: Tenant, field: str, literal: str
) -> None:
    payload = make_prospect_payload(tenant, **{field: 0})
    text = json.dumps(payload).replace(f'"{field}": 0', f'"{field}": {literal}')
    problem = _assert_problem(
        client.post(INTAKE, content=text.encode(), headers=tenant.headers()), 400
    )
    assert [e["field"] for e in problem["errors"]] == [field]


def test_oversized_headers_are_431(client: TestClient, tenant: Tenant) -> None:
    headers = tenant.headers() | {"x-padding": "p" * 9000}
    response = client.post(INTAKE, json=make_prospect_payload(tenant), headers=headers)
    problem = _assert_problem(response, 431)
    assert "8 KiB" in problem["detail"]


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_unsupported_methods_are_405_with_allow(
    client: TestClient, tenant: Tenant, method: str
) -> None:
    response = client.request(method, INTAKE, headers=tenant.headers())
    _assert_problem(response, 405)
    assert response.headers["allow"] == "POST"


def test_an_unknown_method_is_405_problem(client: TestClient) -> None:
    response = client.request("BREW", "/healthz")
    _assert_problem(response, 405)
    assert response.headers["allow"] == "GET"
