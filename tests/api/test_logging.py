"""Logs at INFO carry ids and outcomes, never keys, emails or phone numbers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.builders import INTAKE, Tenant, make_prospect_payload


def test_no_secret_or_contact_in_info_logs(
    client: TestClient, tenant: Tenant, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = make_prospect_payload(
        tenant, emailAddress="Secret.Person@fakemail.com", phoneNumber="(555) 987-6543"
    )
    client.post(INTAKE, json=payload, headers=tenant.headers())
    client.post(INTAKE, json=payload, headers=tenant.headers())
    client.post(INTAKE, json=payload | {"nBeds": "x"}, headers=tenant.headers())
    client.post(INTAKE, json=payload, headers=tenant.headers(tenant.standard_key))
    logs = capsys.readouterr().err.lower()
    assert '"prospect_id": "' in logs
    assert '"event": "request"' in logs
    assert '"status": 409' in logs
    for secret in [tenant.ils_key, tenant.standard_key, "secret.person", "987-6543", "9876543"]:
        assert secret.lower() not in logs, secret


def test_request_id_is_echoed(client: TestClient) -> None:
    response = client.get("/healthz", headers={"x-request-id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = client.get("/healthz", headers={"x-request-id": "bad id\twith junk"})
    assert len(generated.headers["x-request-id"]) == 32
