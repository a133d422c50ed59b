"""`/readyz` answers ready while the database does (the outage side is in tests/faults)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_readyz_is_ready_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}
    assert client.get("/healthz").json() == {"status": "ok"}
