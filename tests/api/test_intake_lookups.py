"""The hot path remembers keys and targets briefly: a revocation takes effect within
LOOKUP_TTL_SECONDS, never later, and nothing unknown is remembered."""

from __future__ import annotations

import time
from functools import partial

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ils_intake import lookups
from ils_intake.db.engine import transaction
from ils_intake.keys import service as keys_service
from tests.builders import INTAKE, Tenant, make_prospect_payload


def _post(client: TestClient, tenant: Tenant, n: int) -> int:
    payload = make_prospect_payload(
        tenant, phoneNumber=f"+1555200{n:04d}", emailAddress=f"lookup{n}@example.com"
    )
    return client.post(INTAKE, json=payload, headers=tenant.headers()).status_code


def test_revoked_key_stops_working_within_the_lookup_ttl(
    client: TestClient, tenant: Tenant, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _post(client, tenant, 1) == 200  # the key is now remembered
    with transaction(engine) as conn:
        keys_service.revoke_key(conn, tenant.ils_key_id)
    later = time.monotonic() + lookups.LOOKUP_TTL_SECONDS + 0.1
    monkeypatch.setattr(lookups, "_clock", lambda: later)
    assert _post(client, tenant, 2) == 401


def test_lookups_remember_hits_only_and_forget_after_ttl(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(lookups, "_clock", lambda: now[0])
    memo: lookups.Lookups[str, str] = lookups.Lookups(ttl=5, maxsize=2)
    calls: list[str] = []

    def load(value: str | None) -> str | None:
        calls.append(str(value))
        return value

    assert memo.get("a", lambda: load("A")) == "A"
    assert memo.get("a", lambda: load("other")) == "A"
    assert memo.get("missing", lambda: load(None)) is None
    assert memo.get("missing", lambda: load(None)) is None
    assert calls == ["A", "None", "None"]  # a miss is looked up again every time
    now[0] += 5.01
    assert memo.get("a", lambda: load("B")) == "B"
    for key in "xyz":
        memo.get(key, partial(load, key))
    assert len(memo) == 2
