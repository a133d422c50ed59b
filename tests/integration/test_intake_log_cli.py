"""No lead lost: `ils-intake intake list/show/replay/purge` over both databases. A rejected
submission is replayed once its cause is fixed, as the key that sent it, and linked to the
entry it ran again; old bodies are purged while every outcome stays.
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from ils_intake.cli import app
from ils_intake.config import get_settings
from ils_intake.db.engine import transaction
from ils_intake.db.tables import intake_log, prospect, prospect_activity
from ils_intake.db.types import utcnow
from ils_intake.intake_log import service as intake_log_service
from ils_intake.keys import service as keys_service
from ils_intake.problems import BadRequest
from ils_intake.properties import repository as properties
from tests.builders import INTAKE, Tenant, make_prospect_payload

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("cli_env")


def _json(*args: str) -> Any:
    result = runner.invoke(app, ["intake", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _fails(*args: str) -> str:
    result = runner.invoke(app, ["intake", *args])
    assert result.exit_code == 1, result.output
    return " ".join(result.output.split())


def _import_property(engine: Engine, tenant: Tenant, property_id: str) -> None:
    now = utcnow()
    with transaction(engine) as conn:
        properties.insert_property(
            conn,
            {
                "id": property_id,
                "organization_id": tenant.organization_id,
                "name": "Birch Hall",
                "timezone": "America/Chicago",
                "created_at": now,
                "updated_at": now,
            },
        )


def _reject_for_a_missing_property(
    client: TestClient, tenant: Tenant, key: str | None = None
) -> tuple[str, str]:
    """Post to a property not imported yet; the 400's entry id and the property id."""
    missing = str(uuid.uuid4())
    payload = make_prospect_payload(tenant, propertyId=missing, preferredFloorPlanId=None)
    assert client.post(INTAKE, json=payload, headers=tenant.headers(key)).status_code == 400
    [entry] = _json("list", "--limit", "1")
    assert entry["status"] == 400
    return entry["id"], missing


def test_rejected_submission_is_replayed_after_its_property_is_imported(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    entry_id, missing = _reject_for_a_missing_property(client, tenant)
    shown = _json("show", entry_id)
    assert shown["errors"] == [{"field": "propertyId", "message": "is not a property of this key"}]
    assert shown["prospectId"] is None
    assert json.loads(shown["body"])["propertyId"] == missing
    assert shown["bodyEncoding"] == "utf-8"

    _import_property(engine, tenant, missing)
    replayed = _json("replay", entry_id)
    assert replayed["status"] == 200
    assert replayed["replayOf"] == entry_id
    with engine.connect() as conn:
        created = conn.execute(
            select(prospect).where(prospect.c.id == replayed["prospectId"])
        ).one()
        new_entry = conn.execute(select(intake_log).where(intake_log.c.id == replayed["id"])).one()
    assert (created.property_id, created.source) == (missing, "Zillow")
    assert (new_entry.status, new_entry.replay_of) == (200, entry_id)
    assert new_entry.api_key_id == tenant.ils_key_id
    assert _json("show", entry_id)["replayedBy"] == [
        {"id": replayed["id"], "status": 200, "prospectId": replayed["prospectId"]}
    ]
    assert _json("show", replayed["id"])["replayOf"] == entry_id


def test_replay_still_failing_is_logged_and_linked(client: TestClient, tenant: Tenant) -> None:
    entry_id, _ = _reject_for_a_missing_property(client, tenant)
    replayed = _json("replay", entry_id)
    assert replayed["status"] == 400
    assert replayed["errors"][0]["field"] == "propertyId"
    again = _json("replay", entry_id)  # nothing was kept, so it may be tried again
    text = runner.invoke(app, ["intake", "replay", entry_id]).stdout
    assert "status    400" in text
    assert f"(replay of {entry_id})" in text
    replays = {r["id"] for r in _json("show", entry_id)["replayedBy"]}
    assert {replayed["id"], again["id"]} < replays


def test_replay_acts_as_a_rotated_key_but_refuses_a_revoked_one(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    rotated_entry, missing = _reject_for_a_missing_property(client, tenant)
    revoked_entry, _ = _reject_for_a_missing_property(client, tenant, tenant.property_ils_key)
    _import_property(engine, tenant, missing)
    with transaction(engine) as conn:
        keys_service.rotate_key(conn, tenant.ils_key_id, grace=timedelta(0))
        keys = keys_service.list_keys(conn)
        scoped_key_id = next(k["id"] for k in keys if k["vendor"] == "Apartments.com")
        keys_service.revoke_key(conn, scoped_key_id)

    replayed = _json("replay", rotated_entry)  # the key has expired by rotation
    assert replayed["status"] == 200
    with engine.connect() as conn:
        created = conn.execute(
            select(prospect).where(prospect.c.id == replayed["prospectId"])
        ).one()
    assert (created.api_key_id, created.source) == (tenant.ils_key_id, "Zillow")
    assert "revoked" in _fails("replay", revoked_entry)


def test_kept_leads_are_not_replayed(client: TestClient, tenant: Tenant, engine: Engine) -> None:
    payload = make_prospect_payload(tenant)
    created = client.post(INTAKE, json=payload, headers=tenant.headers()).json()["id"]
    assert client.post(INTAKE, json=payload, headers=tenant.headers()).status_code == 409
    entries = {e["status"]: e["id"] for e in _json("list")}
    assert f"created prospect {created}" in _fails("replay", entries[200])
    assert "re-inquiry" in _fails("replay", entries[409])

    entry_id, missing = _reject_for_a_missing_property(client, tenant)
    _import_property(engine, tenant, missing)
    replayed = _json("replay", entry_id)
    assert f"already replayed as {replayed['id']}" in _fails("replay", entry_id)
    with engine.connect() as conn:
        assert len(conn.execute(select(prospect.c.id)).all()) == 2


def test_purge_clears_old_bodies_and_keeps_every_outcome(
    client: TestClient, tenant: Tenant, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        payload = make_prospect_payload(tenant, phoneNumber=None, emailAddress=f"p{n}@x.org")
        client.post(INTAKE, json=payload, headers=tenant.headers())
    client.post(INTAKE, json={"nBeds": "x"}, headers=tenant.headers())
    entries = _json("list")
    ages = dict(zip((e["id"] for e in entries), [100, 40, 10, 0], strict=True))
    with transaction(engine) as conn:
        for entry_id, days in ages.items():
            conn.execute(
                update(intake_log)
                .where(intake_log.c.id == entry_id)
                .values(received_at=utcnow() - timedelta(days=days, minutes=1))
            )

    assert _json("purge", "--dry-run")["bodies"] == 1
    assert _json("purge")["bodies"] == 1  # the 90-day default
    monkeypatch.setenv("ILS_INTAKE_INTAKE_RETENTION_DAYS", "30")
    get_settings.cache_clear()
    assert _json("purge")["bodies"] == 1
    assert _json("purge", "--older-than", "5d")["bodies"] == 1
    assert _json("purge", "--older-than", "5d")["bodies"] == 0
    text = runner.invoke(app, ["intake", "purge", "--older-than", "120", "--dry-run"]).stdout
    assert "would clear 0 bodies older than 120d" in text

    after = {e["id"]: e for e in _json("list")}
    assert set(after) == set(ages)
    assert [after[i]["bodyKept"] for i in ages] == [False, False, False, True]
    assert [after[i]["status"] for i in ages] == [e["status"] for e in entries]
    oldest = next(iter(ages))
    assert _json("show", oldest)["body"] is None
    rejected = next(i for i, e in after.items() if e["status"] == 400)
    assert "purged" in _fails("replay", rejected)


def test_list_filters_by_status_time_key_and_limit(client: TestClient, tenant: Tenant) -> None:
    client.post(INTAKE, json=make_prospect_payload(tenant), headers=tenant.headers())
    client.post(INTAKE, json={"nBeds": "x"}, headers=tenant.headers())
    scoped = make_prospect_payload(tenant, emailAddress="s@x.org", phoneNumber=None)
    client.post(INTAKE, json=scoped, headers=tenant.headers(tenant.property_ils_key))

    assert len(_json("list")) == 3
    assert [e["status"] for e in _json("list", "--status", "400")] == [400]
    assert len(_json("list", "--limit", "2")) == 2
    assert _json("list", "--since", "1h") == _json("list")
    assert _json("list", "--since", "2100-01-01") == []
    assert [e["vendor"] for e in _json("list", "--key", tenant.ils_key_id)] == ["Zillow"] * 2
    assert "is not a UUID" in _fails("list", "--key", "nope")
    text = runner.invoke(app, ["intake", "list", "--status", "400"])
    assert text.exit_code == 0
    assert "nBeds" in text.stdout


def test_show_gives_non_utf8_bodies_as_base64(client: TestClient, tenant: Tenant) -> None:
    raw = b'{"firstName": "Bj\xf6rn"}'
    headers = tenant.headers()
    assert client.post(INTAKE, content=raw, headers=headers).status_code == 400
    [entry] = _json("list")
    shown = _json("show", entry["id"])
    assert shown["bodyEncoding"] == "base64"
    assert base64.b64decode(shown["body"]) == raw
    text = runner.invoke(app, ["intake", "show", entry["id"]])
    assert "body (base64)" in text.stdout


def test_unknown_or_malformed_entry_ids_exit_1() -> None:
    assert "does not exist" in _fails("show", str(uuid.uuid4()))
    assert "is not a UUID" in _fails("replay", "nope")
    assert runner.invoke(app, ["intake", "purge", "--older-than", "soon"]).exit_code == 2


def test_show_never_sends_a_bodys_control_characters_to_the_terminal(
    client: TestClient, tenant: Tenant
) -> None:
    hostile = '{"firstName": "\x1b]0;owned\x07\x1b[2J\u202eevil\x9b1m"}'.encode()
    assert client.post(INTAKE, content=hostile, headers=tenant.headers()).status_code == 400
    [entry] = _json("list")
    for output in (
        runner.invoke(app, ["intake", "show", entry["id"]]).stdout,
        runner.invoke(app, ["intake", "show", entry["id"], "--json"]).stdout,
    ):
        assert not any(ch in output for ch in "\x1b\x07\u202e\x9b"), repr(output)
        assert "owned" in output
        assert "\\u001b" in output


def test_simultaneous_replays_of_one_entry_keep_the_lead_once(
    client: TestClient, tenant: Tenant, engine: Engine
) -> None:
    entry_id, missing = _reject_for_a_missing_property(client, tenant)
    _import_property(engine, tenant, missing)
    second: dict[str, Any] = {}

    def replay_meanwhile() -> None:
        try:
            with transaction(engine) as conn:
                second["result"] = intake_log_service.replay(conn, entry_id)
        except BadRequest as exc:
            second["refused"] = exc.detail

    with transaction(engine) as conn:
        first = intake_log_service.replay(conn, entry_id)
        thread = threading.Thread(target=replay_meanwhile)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive()  # waiting for the first replay to commit
    thread.join(timeout=10)
    assert first["status"] == 200
    assert f"already replayed as {first['id']}" in second.get("refused", ""), second
    with engine.connect() as conn:
        assert conn.execute(select(prospect_activity.c.id)).all() == []
