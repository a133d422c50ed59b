"""Idempotency-Key (CONTRACT section 5): replay byte for byte, 422 on another body, 409 while
the first is running, scoped to the API key, kept 24 hours; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, insert, select, update

from ils_intake.db.engine import transaction
from ils_intake.db.tables import idempotency_record, intake_log, prospect
from ils_intake.db.types import utcnow
from ils_intake.idempotency import service as idempotency
from ils_intake.problems import Conflict
from ils_intake.prospects import service as prospects_service
from tests.builders import INTAKE, Tenant, make_prospect_payload

KEY = "order-7f3a:retry-safe"


def _post(
    client: TestClient, tenant: Tenant, body: bytes, key: str | None = KEY, api_key: str = ""
) -> Any:
    headers = tenant.headers(api_key or None)
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(INTAKE, content=body, headers=headers)


def _body(tenant: Tenant, **overrides: Any) -> bytes:
    return json.dumps(make_prospect_payload(tenant, **overrides)).encode()


def _count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


def _plant_unfinished_claim(engine: Engine, tenant: Tenant, body: bytes, *, age: timedelta) -> None:
    """A claim on KEY for `body` with no answer yet, made `age` ago, as a running request has."""
    with transaction(engine) as conn:
        conn.execute(
            insert(idempotency_record).values(
                api_key_id=tenant.ils_key_id,
                idempotency_key=KEY,
                fingerprint=idempotency.fingerprint(body),
                created_at=utcnow() - age,
            )
        )


def test_same_key_and_body_replays_the_first_answer_byte_for_byte(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    body = _body(tenant)
    first = _post(client, tenant, body)
    again = _post(client, tenant, body)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert _count(engine, prospect) == 1
    assert _count(engine, intake_log) == 1  # the replay was not processed again


@pytest.mark.parametrize(
    ("overrides", "status"),
    [({"nBeds": "three"}, 400), ({}, 409)],
    ids=["invalid", "duplicate"],
)
def test_error_outcomes_are_replayed_too(
    client: TestClient, tenant: Tenant, overrides: dict[str, Any], status: int
) -> None:
    if status == 409:
        _post(client, tenant, _body(tenant), key=None)
    body = _body(tenant, **overrides)
    first = _post(client, tenant, body)
    again = _post(client, tenant, body)
    assert first.status_code == again.status_code == status
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"


def test_same_key_with_another_body_is_422(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    _post(client, tenant, _body(tenant))
    response = _post(client, tenant, _body(tenant, firstName="Robert", emailAddress="r@x.org"))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "different body" in response.json()["detail"]
    assert _count(engine, prospect) == 1


def test_same_key_while_the_first_still_runs_is_409(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    body = _body(tenant)
    _plant_unfinished_claim(engine, tenant, body, age=timedelta(0))
    response = _post(client, tenant, body)
    assert response.status_code == 409
    assert "still being processed" in response.json()["detail"]
    assert response.headers["retry-after"] == "1"
    assert _count(engine, prospect) == 0


def test_an_abandoned_claim_is_taken_over_after_its_lease(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    body = _body(tenant)
    _plant_unfinished_claim(engine, tenant, body, age=timedelta(minutes=5))
    assert _post(client, tenant, body).status_code == 200
    assert _post(client, tenant, body).headers["idempotent-replayed"] == "true"
    assert _count(engine, prospect) == 1


def test_keys_are_scoped_to_the_api_key(client: TestClient, tenant: Tenant, engine: Engine) -> None:
    first = _post(client, tenant, _body(tenant))
    other = _post(
        client,
        tenant,
        _body(tenant, emailAddress="other@x.org", phoneNumber="2125550100"),
        api_key=tenant.property_ils_key,
    )
    assert (first.status_code, other.status_code) == (200, 200)
    assert "idempotent-replayed" not in other.headers
    assert _count(engine, prospect) == 2


def test_unauthenticated_requests_are_never_stored(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    body = _body(tenant)
    assert _post(client, tenant, body, api_key="ils_not_a_key").status_code == 401
    assert _count(engine, idempotency_record) == 0
    assert _post(client, tenant, body).status_code == 200


def test_a_record_expires_after_24_hours(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    _post(client, tenant, _body(tenant))
    with transaction(engine) as conn:
        conn.execute(
            update(idempotency_record).values(created_at=utcnow() - timedelta(hours=24, seconds=1))
        )
    response = _post(client, tenant, _body(tenant, emailAddress="new@x.org", phoneNumber=None))
    assert response.status_code == 200
    assert "idempotent-replayed" not in response.headers
    assert _count(engine, prospect) == 2


def test_purge_deletes_only_expired_records(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    _post(client, tenant, _body(tenant), key="old")
    _post(client, tenant, _body(tenant), key="fresh")
    with transaction(engine) as conn:
        conn.execute(
            update(idempotency_record)
            .where(idempotency_record.c.idempotency_key == "old")
            .values(created_at=utcnow() - timedelta(hours=25))
        )
        assert idempotency.purge_expired(conn, utcnow() - timedelta(hours=24)) == 1
        keys = conn.scalars(select(idempotency_record.c.idempotency_key)).all()
    assert keys == ["fresh"]


def test_a_failed_request_releases_its_claim_so_a_retry_is_processed(
    client: TestClient, tenant: Tenant, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("crash in the middle of the intake")

    body = _body(tenant)
    with monkeypatch.context() as patch:
        patch.setattr(prospects_service, "receive", crash)
        assert _post(client, tenant, body).status_code == 500
    assert _count(engine, idempotency_record) == 0
    retry = _post(client, tenant, body)
    assert retry.status_code == 200
    assert "idempotent-replayed" not in retry.headers
    assert _count(engine, prospect) == 1


def test_an_oversized_body_is_413_and_not_stored(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    response = _post(client, tenant, _body(tenant, message="m" * 70_000))
    assert response.status_code == 413
    assert _count(engine, idempotency_record) == 0


@pytest.mark.parametrize(
    "key",
    ["", "k" * 256, b"caf\xe9", "tab\there"],
    ids=["empty", "too-long", "latin-1", "control"],
)
def test_a_malformed_key_is_400_naming_the_header(
    client: TestClient, tenant: Tenant, engine: Engine, key: str | bytes
) -> None:
    headers: dict[str, str | bytes] = {**tenant.headers(), "Idempotency-Key": key}
    response = client.post(INTAKE, content=_body(tenant), headers=headers)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["Idempotency-Key"]
    assert _count(engine, prospect) == 0


def test_a_key_of_255_printable_characters_is_accepted(client: TestClient, tenant: Tenant) -> None:
    key = ("~ !Az09" * 40)[:255]
    assert _post(client, tenant, _body(tenant), key=key).status_code == 200


def test_without_the_header_nothing_is_recorded(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    assert _post(client, tenant, _body(tenant), key=None).status_code == 200
    assert _post(client, tenant, _body(tenant), key=None).status_code == 409
    assert _count(engine, idempotency_record) == 0


def test_an_answer_is_not_stored_on_a_claim_taken_over_meanwhile(
    engine: Engine, tenant: Tenant
) -> None:
    ttl, lease = timedelta(hours=24), timedelta(seconds=60)
    with transaction(engine) as conn:
        owned = idempotency.claim(
            conn,
            api_key_id=tenant.ils_key_id,
            key=KEY,
            body_fingerprint="a" * 64,
            ttl=ttl,
            lease=lease,
        )
    assert isinstance(owned, idempotency.Claim)
    with transaction(engine) as conn:  # the claim's lease runs out and a retry takes it over
        conn.execute(update(idempotency_record).values(created_at=utcnow() - timedelta(minutes=2)))
    with transaction(engine) as conn:
        retry = idempotency.claim(
            conn,
            api_key_id=tenant.ils_key_id,
            key=KEY,
            body_fingerprint="a" * 64,
            ttl=ttl,
            lease=lease,
        )
    assert isinstance(retry, idempotency.Claim)
    with pytest.raises(Conflict), transaction(engine) as conn:
        idempotency.finish(conn, owned, status=200, body=b"{}")
    with transaction(engine) as conn:
        idempotency.finish(conn, retry, status=200, body=b"{}")
        assert conn.execute(select(idempotency_record.c.status)).scalar_one() == 200
