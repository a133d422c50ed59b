"""The command line, in process over both databases, and as a newcomer runs it: a fresh
directory, `migrate`, `demo --json`, `serve`, and the seed's example request over loopback.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from ils_intake.cli import app
from ils_intake.demo import FLOOR_PLAN_ID, PROPERTY_ID

runner = CliRunner()
CLI = [sys.executable, "-m", "ils_intake"]


def _invoke_json(*args: str) -> object:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.usefixtures("cli_env")
def test_keys_lifecycle_through_the_cli() -> None:
    org = _invoke_json("orgs", "create", "Acme Residential")
    assert isinstance(org, dict)
    ils = _invoke_json("keys", "create", "--kind", "ils", "--vendor", "Zillow", "--org", org["id"])
    assert isinstance(ils, dict)
    assert set(ils) >= {"id", "key"}
    assert ils["key"].startswith("ils_")
    std = _invoke_json("keys", "create", "--kind", "standard", "--org", org["id"])
    assert isinstance(std, dict)
    assert std["key"].startswith("fk_")
    rotated = _invoke_json("keys", "rotate", ils["id"], "--grace", "1h")
    assert isinstance(rotated, dict)
    assert rotated["key"].startswith("ils_")
    assert rotated["replaces"] == ils["id"]
    _invoke_json("keys", "revoke", std["id"])
    listed = _invoke_json("keys", "list")
    assert isinstance(listed, list)
    status = {k["id"]: k["status"] for k in listed}
    assert status == {ils["id"]: "rotating", std["id"]: "revoked", rotated["id"]: "active"}
    assert ils["key"] not in json.dumps(listed)


@pytest.mark.usefixtures("cli_env")
def test_cli_errors_are_clear_and_exit_1() -> None:
    result = runner.invoke(app, ["keys", "create", "--kind", "standard", "--org", "nope"])
    assert result.exit_code == 1
    assert "not a UUID" in result.output
    result = runner.invoke(app, ["keys", "revoke", "00000000-0000-4000-8000-000000000000"])
    assert result.exit_code == 1
    assert "does not exist" in result.output
    result = runner.invoke(app, ["keys", "rotate", "x", "--grace", "soon"])
    assert result.exit_code == 2


@pytest.mark.usefixtures("cli_env")
def test_demo_is_idempotent_and_prints_keys() -> None:
    first = _invoke_json("demo")
    second = _invoke_json("demo")
    assert isinstance(first, dict)
    assert isinstance(second, dict)
    assert set(first) == {"ilsApiKey", "apiKey", "organizationId", "propertyId", "floorPlanId"}
    assert first["propertyId"] == PROPERTY_ID
    assert first["floorPlanId"] == FLOOR_PLAN_ID
    assert first["organizationId"] == second["organizationId"]
    assert first["ilsApiKey"].startswith("ils_")
    assert first["apiKey"].startswith("fk_")
    orgs = _invoke_json("orgs", "list")
    assert isinstance(orgs, list)
    assert len(orgs) == 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=True
    )


@pytest.mark.slow
def test_newcomer_flow_on_the_sqlite_default(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ILS_INTAKE_")}
    _run(["migrate"], tmp_path, env)
    assert (tmp_path / "ils-intake.db").exists()
    keys = json.loads(_run(["demo", "--json"], tmp_path, env).stdout)
    seed_text = _run(["demo"], tmp_path, env).stdout
    assert "curl --location --request POST" in seed_text

    port = _free_port()
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        seed_body = {
            "propertyId": "9e539f48-1c18-41a9-8718-1d4ed029f8b5",
            "firstName": "Bob",
            "lastName": "Smith",
            "phoneNumber": "5553211234",
            "emailAddress": "bob@fakemail.com",
            "nBeds": 3,
            "nBaths": 2,
            "moveInDate": "2026-04-15",
            "preferredUnit": "2205D",
            "preferredFloorPlanId": "e513b162-14b5-4808-a016-32ae1abbe9a2",
            "message": "Introductory message",
        }
        headers = {"x-api-key": keys["ilsApiKey"]}
        url = f"{base}/external-api/ils-prospects"
        created = httpx.post(url, json=seed_body, headers=headers, timeout=10)
        assert created.status_code == 200
        assert {k: created.json()[k] for k in seed_body} == seed_body
        again = httpx.post(url, json=seed_body, headers=headers, timeout=10)
        assert again.status_code == 409
        assert again.json()["existingProspectId"] == created.json()["id"]
    finally:
        server.terminate()
        server.wait(timeout=30)
