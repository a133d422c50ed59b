"""Security properties that docs/SECURITY.md answers the OWASP API Security Top 10 with, where
no feature test already shows them: what a client may set and see, which routes exist and are
documented, what an unexpected error reveals, and that nothing reaches out to the network.
"""

from __future__ import annotations

import socket
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from ils_intake.db.tables import prospect
from ils_intake.prospects import service
from tests.builders import INTAKE, Tenant, make_prospect_payload

SERVER_OWNED = ["id", "source", "createdAt", "organizationId", "apiKeyId", "status"]
OPERATIONS = {"/healthz", "/readyz", "/metrics"}
ADMIN_LIKE = ["/keys", "/v1/keys", "/admin", "/orgs", "/v1/organizations", "/intake", "/metrics"]


def test_server_owned_fields_cannot_be_set_by_the_client(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    payload = make_prospect_payload(tenant) | dict.fromkeys(SERVER_OWNED, "x")
    response = client.post(INTAKE, json=payload, headers=tenant.headers())
    assert response.status_code == 400
    named = {error["field"] for error in response.json()["errors"]}
    assert named == set(SERVER_OWNED)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(prospect)) == 0


def test_created_body_exposes_no_internal_column(client: TestClient, tenant: Tenant) -> None:
    body = client.post(INTAKE, json=make_prospect_payload(tenant), headers=tenant.headers()).json()
    assert set(body) == {*make_prospect_payload(tenant), "id", "source", "createdAt"}


def test_the_http_api_has_one_write_operation(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    writes = {(m, p) for p, operations in paths.items() for m in operations if m != "get"}
    assert writes == {("post", INTAKE)}  # keys, organizations and the log: shell access only
    for path in [*paths, *ADMIN_LIKE]:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            if (method.lower(), path) not in writes:
                assert client.request(method, path).status_code in (404, 405), (method, path)


def test_every_documented_data_route_requires_a_key(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert INTAKE in paths
    for path, operations in paths.items():
        if path in OPERATIONS:
            continue
        for method, operation in operations.items():
            assert operation.get("security"), f"{method.upper()} {path} takes no key"


def test_unexpected_error_is_a_500_problem_without_internals(
    client: TestClient, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("SELECT secret FROM api_key WHERE key_hash = 'deadbeef'")

    monkeypatch.setattr(service, "receive", broken)
    response = client.post(INTAKE, json=make_prospect_payload(tenant), headers=tenant.headers())
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "an internal error occurred",
    }


def test_cross_origin_requests_get_no_cors_grant(client: TestClient, tenant: Tenant) -> None:
    origin = {"origin": "https://evil.example"}
    preflight = client.options(INTAKE, headers=origin | {"access-control-request-method": "POST"})
    posted = client.post(
        INTAKE, json=make_prospect_payload(tenant), headers=tenant.headers() | origin
    )
    for response in (preflight, posted):
        assert not any(h.startswith("access-control-") for h in response.headers)


def test_email_is_checked_without_any_network_lookup(
    client: TestClient, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lead's address is never resolved or contacted (no DNS, no SMTP): nothing a sender
    writes makes the service reach out, so it cannot be turned against the internal network."""
    reached: list[str] = []

    def record(name: str, real: Any) -> Any:
        def recording(*args: Any, **kwargs: Any) -> Any:
            reached.append(f"{name} {args[1:2] if name != 'getaddrinfo' else args[:1]}")
            return real(*args, **kwargs)

        return recording

    monkeypatch.setattr(socket, "getaddrinfo", record("getaddrinfo", socket.getaddrinfo))
    for method in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, method, record(method, getattr(socket.socket, method)))
    payload = make_prospect_payload(tenant, emailAddress="lead@no-such-host.example.com")
    assert client.post(INTAKE, json=payload, headers=tenant.headers()).status_code == 200
    assert reached == []
