"""From an empty database to leads read back: an operator onboards an organization with the
command line and the example portfolio, a vendor posts a lead, the organization reads it
through `/v1`, and the operator exports it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ils_intake.cli import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
PORTFOLIO = json.loads((EXAMPLES / "portfolio.json").read_text())


def _cli(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _lines(*args: str) -> list[Any]:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.usefixtures("cli_env")
def test_example_portfolio_to_leads_read_through_v1(client: TestClient) -> None:
    assert _cli("orgs", "list") == []
    org = _cli("orgs", "create", "Acme Residential")["id"]
    imported = _cli("import", str(EXAMPLES / "portfolio.json"), "--org", org)
    assert imported["units"]["created"] == 6
    ils = _cli("keys", "create", "--kind", "ils", "--vendor", "Zillow", "--org", org)["key"]
    standard = _cli("keys", "create", "--kind", "standard", "--org", org)["key"]

    maple = PORTFOLIO["properties"][0]
    two_bed = PORTFOLIO["floorPlans"][1]
    unit_201a = next(u for u in PORTFOLIO["units"] if u["number"] == "201A")
    lead = {
        "propertyId": maple["id"],
        "firstName": "Bob",
        "lastName": "Smith",
        "phoneNumber": "5553211234",
        "emailAddress": "bob@fakemail.com",
        "nBeds": 2,
        "nBaths": 2.5,
        "moveInDate": "2026-04-15",
        "preferredUnit": "201a",
        "preferredFloorPlanId": two_bed["id"],
        "message": "Is 201A still available?",
    }
    posted = client.post("/external-api/ils-prospects", json=lead, headers={"x-api-key": ils})
    assert posted.status_code == 200, posted.text

    headers = {"x-api-key": standard}
    listed = client.get("/v1/prospects", headers=headers)
    assert listed.headers["x-total-count"] == "1"
    [prospect] = listed.json()
    assert prospect["id"] == posted.json()["id"]
    assert {k: prospect[k] for k in lead} == lead
    assert (prospect["organizationId"], prospect["source"]) == (org, "Zillow")
    assert prospect["unitId"] == unit_201a["id"]  # matched case-insensitively to the import

    properties = client.get("/v1/properties", headers=headers).json()
    assert {p["id"] for p in properties} == {p["id"] for p in PORTFOLIO["properties"]}
    units = client.get(f"/v1/properties/{maple['id']}/units", headers=headers).json()
    assert sorted(u["number"] for u in units) == ["101", "102", "201A", "PH-1"]
    plans = client.get(f"/v1/properties/{maple['id']}/floorPlans", headers=headers).json()
    assert {(p["id"], p["beds"], p["baths"]) for p in plans} == {
        (f["id"], f["beds"], f["baths"]) for f in PORTFOLIO["floorPlans"][:2]
    }

    exported = _lines("prospects", "export", "--format", "jsonl", "--org", org)
    assert exported == [prospect]
