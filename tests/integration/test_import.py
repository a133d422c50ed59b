"""`ils-intake import`: the documented example files, idempotence, all-or-nothing, every row rule
and the organization boundary, on both databases.
"""

from __future__ import annotations

import copy
import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from ils_intake.cli import app
from ils_intake.db.engine import transaction
from ils_intake.db.tables import floor_plan, property_, unit
from ils_intake.organizations import service as organizations_service
from ils_intake.properties import service as properties_service

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
EXAMPLE = json.loads((EXAMPLES / "portfolio.json").read_text())
MAPLE, HARBOR = (p["id"] for p in EXAMPLE["properties"])
PLAN_1BED, PLAN_2BED, STUDIO = (f["id"] for f in EXAMPLE["floorPlans"])
UNKNOWN = "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b"
ALL_CREATED = {
    "properties": {"created": 2, "updated": 0, "unchanged": 0},
    "floorPlans": {"created": 3, "updated": 0, "unchanged": 0},
    "units": {"created": 6, "updated": 0, "unchanged": 0},
}
ALL_UNCHANGED = {
    "properties": {"created": 0, "updated": 0, "unchanged": 2},
    "floorPlans": {"created": 0, "updated": 0, "unchanged": 3},
    "units": {"created": 0, "updated": 0, "unchanged": 6},
}

pytestmark = pytest.mark.usefixtures("cli_env")


def _org(engine: Engine, name: str = "Acme Residential") -> str:
    with transaction(engine) as conn:
        return str(organizations_service.create_organization(conn, name)["id"])


def _import(path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["import", str(path), "--json", *args])
    return result.exit_code, json.loads(result.stdout)


def _write(tmp_path: Path, doc: dict[str, Any], name: str = "portfolio.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def _changed(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    doc = copy.deepcopy(EXAMPLE)
    change(doc)
    return doc


def _rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Everything imported, timestamps included, in a comparable form."""
    with transaction(engine, write=False) as conn:
        return {
            table.name: [tuple(r) for r in conn.execute(select(table).order_by(table.c.id))]
            for table in (property_, floor_plan, unit)
        }


def _count(engine: Engine) -> int:
    with transaction(engine, write=False) as conn:
        return sum(
            conn.scalar(select(func.count()).select_from(t)) or 0
            for t in (property_, floor_plan, unit)
        )


def test_example_files_import_the_same_rows(engine: Engine) -> None:
    org = _org(engine)
    code, report = _import(EXAMPLES / "portfolio.json", "--org", org)
    assert code == 0, report
    assert report == {"valid": True, "dryRun": False, "organizationId": org, **ALL_CREATED}
    # the CSV describes exactly the same rows: importing it over the JSON changes nothing
    code, report = _import(EXAMPLES / "portfolio.csv", "--org", org)
    assert code == 0, report
    assert report == {"valid": True, "dryRun": False, "organizationId": org, **ALL_UNCHANGED}
    with transaction(engine, write=False) as conn:
        maple = conn.execute(select(property_).where(property_.c.id == MAPLE)).one()
        plan = conn.execute(select(floor_plan).where(floor_plan.c.id == PLAN_2BED)).one()
        penthouse = conn.execute(select(unit).where(unit.c.number == "PH-1")).one()
    assert (maple.organization_id, maple.timezone, maple.postal_code) == (
        org,
        "America/Chicago",
        "78701",
    )
    assert (plan.beds, plan.baths) == (2, 2.5)
    assert (penthouse.property_id, penthouse.floor_plan_id, penthouse.number_key) == (
        MAPLE,
        None,
        "ph-1",
    )


def test_csv_then_json_gives_the_same_rows(engine: Engine) -> None:
    org = _org(engine)
    assert _import(EXAMPLES / "portfolio.csv", "--org", org)[1]["units"]["created"] == 6
    assert _import(EXAMPLES / "portfolio.json", "--org", org)[1] == {
        "valid": True,
        "dryRun": False,
        "organizationId": org,
        **ALL_UNCHANGED,
    }


def test_reimport_changes_nothing_not_even_timestamps(engine: Engine) -> None:
    org = _org(engine)
    _import(EXAMPLES / "portfolio.json", "--org", org)
    before = _rows(engine)
    code, report = _import(EXAMPLES / "portfolio.json", "--org", org)
    assert code == 0
    assert {k: report[k] for k in ALL_UNCHANGED} == ALL_UNCHANGED
    assert _rows(engine) == before


def test_a_changed_row_updates_that_row_only(engine: Engine, tmp_path: Path) -> None:
    org = _org(engine)
    _import(EXAMPLES / "portfolio.json", "--org", org)
    before = _rows(engine)

    def change(doc: dict[str, Any]) -> None:
        doc["properties"][1]["name"] = "Harbor View"
        del doc["properties"][1]["addressLine1"]  # an absent optional field clears it
        doc["units"][0]["number"] = "101B"

    code, report = _import(_write(tmp_path, _changed(change)), "--org", org)
    assert code == 0, report
    assert report["properties"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert report["floorPlans"] == {"created": 0, "updated": 0, "unchanged": 3}
    assert report["units"] == {"created": 0, "updated": 1, "unchanged": 5}
    after = _rows(engine)
    changed_ids = {HARBOR, EXAMPLE["units"][0]["id"]}
    for table in before:
        for old, new in zip(before[table], after[table], strict=True):
            assert (old == new) == (old[0] not in changed_ids)
    with transaction(engine, write=False) as conn:
        harbor = conn.execute(select(property_).where(property_.c.id == HARBOR)).one()
        renamed = conn.execute(select(unit).where(unit.c.id == EXAMPLE["units"][0]["id"])).one()
    assert (harbor.name, harbor.address_line1) == ("Harbor View", None)
    assert harbor.updated_at > harbor.created_at
    assert (renamed.number, renamed.number_key) == ("101B", "101b")


def test_ids_are_stored_lower_case(engine: Engine, tmp_path: Path) -> None:
    org = _org(engine)

    def shout(doc: dict[str, Any]) -> None:
        for rows in doc.values():
            for row in rows:
                for name in ("id", "propertyId", "floorPlanId"):
                    if name in row:
                        row[name] = row[name].upper()

    code, _ = _import(_write(tmp_path, _changed(shout)), "--org", org.upper())
    assert code == 0
    assert _import(EXAMPLES / "portfolio.json", "--org", org)[1] == {
        "valid": True,
        "dryRun": False,
        "organizationId": org,
        **ALL_UNCHANGED,
    }


def test_one_bad_row_means_nothing_is_written(engine: Engine, tmp_path: Path) -> None:
    org = _org(engine)
    doc = _changed(lambda d: d["units"][5].update(number="x" * 33))
    result = runner.invoke(app, ["import", str(_write(tmp_path, doc)), "--org", org])
    assert result.exit_code == 1
    assert "$.units[5]" in result.stdout
    assert "nothing was written" in result.stderr
    assert _count(engine) == 0


def test_a_bad_row_after_written_batches_rolls_everything_back(
    engine: Engine, tmp_path: Path
) -> None:
    org = _org(engine)
    units = [
        {"id": f"00000000-0000-4000-8000-{n:012d}", "propertyId": MAPLE, "number": f"A{n}"}
        for n in range(2500)
    ]
    units[-1]["number"] = "A0"  # a duplicate in the last batch, after two were written
    doc = _changed(lambda d: d["units"].extend(units))
    code, report = _import(_write(tmp_path, doc), "--org", org)
    assert code == 1
    assert report["errors"] == [
        {
            "location": "$.units[2505]",
            "field": "number",
            "message": "is used by another unit of this property in the file (case-insensitively)",
        }
    ]
    assert _count(engine) == 0


def test_a_large_file_in_several_batches_is_idempotent(engine: Engine, tmp_path: Path) -> None:
    org = _org(engine)
    units = [
        {"id": f"00000000-0000-4000-8000-{n:012d}", "propertyId": HARBOR, "number": f"{n}"}
        for n in range(2500)
    ]
    path = _write(tmp_path, _changed(lambda d: d["units"].extend(units)))
    assert _import(path, "--org", org)[1]["units"]["created"] == 2506
    assert _import(path, "--org", org)[1]["units"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 2506,
    }


def test_dry_run_reports_and_writes_nothing(engine: Engine) -> None:
    org = _org(engine)
    code, report = _import(EXAMPLES / "portfolio.csv", "--org", org, "--dry-run")
    assert code == 0
    assert report == {"valid": True, "dryRun": True, "organizationId": org, **ALL_CREATED}
    assert _count(engine) == 0


def _set(kind: str, index: int, **values: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc[kind][index].update(values)

    return change


def _drop(kind: str, index: int, name: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        del doc[kind][index][name]

    return change


INVALID_ROWS = {
    "required name": (_drop("properties", 0, "name"), "$.properties[0]", "name", "is required"),
    "required timezone": (
        _drop("properties", 1, "timezone"),
        "$.properties[1]",
        "timezone",
        "is required",
    ),
    "required unit number": (_drop("units", 2, "number"), "$.units[2]", "number", "is required"),
    "required propertyId": (
        _drop("floorPlans", 0, "propertyId"),
        "$.floorPlans[0]",
        "propertyId",
        "is required",
    ),
    "id not a UUID": (_set("units", 1, id="unit-102"), "$.units[1]", "id", "must be a UUID"),
    "propertyId not a UUID": (
        _set("floorPlans", 2, propertyId=12),
        "$.floorPlans[2]",
        "propertyId",
        "must be a UUID",
    ),
    "unknown time zone": (
        _set("properties", 0, timezone="America/Gotham"),
        "$.properties[0]",
        "timezone",
        "must be an IANA time zone",
    ),
    "abbreviation is no zone": (
        _set("properties", 0, timezone="CDT"),
        "$.properties[0]",
        "timezone",
        "must be an IANA time zone",
    ),
    "beds not whole": (
        _set("floorPlans", 0, beds=1.5),
        "$.floorPlans[0]",
        "beds",
        "must be a whole number from 0 to 15",
    ),
    "beds over 15": (
        _set("floorPlans", 0, beds=16),
        "$.floorPlans[0]",
        "beds",
        "must be a whole number from 0 to 15",
    ),
    "beds negative": (
        _set("floorPlans", 0, beds=-1),
        "$.floorPlans[0]",
        "beds",
        "must be a whole number from 0 to 15",
    ),
    "beds as a string": (
        _set("floorPlans", 0, beds="2"),
        "$.floorPlans[0]",
        "beds",
        "must be a whole number from 0 to 15",
    ),
    "beds as a boolean": (
        _set("floorPlans", 0, beds=True),
        "$.floorPlans[0]",
        "beds",
        "must be a whole number from 0 to 15",
    ),
    "baths off the half steps": (
        _set("floorPlans", 1, baths=2.25),
        "$.floorPlans[1]",
        "baths",
        "must be a number from 0 to 15 in steps of 0.5",
    ),
    "baths over 15": (
        _set("floorPlans", 1, baths=15.5),
        "$.floorPlans[1]",
        "baths",
        "must be a number from 0 to 15 in steps of 0.5",
    ),
    "unit number too long": (
        _set("units", 3, number="x" * 33),
        "$.units[3]",
        "number",
        "must be text of 1-32 characters",
    ),
    "unit number blank": (
        _set("units", 3, number="   "),
        "$.units[3]",
        "number",
        "must be text of 1-32 characters",
    ),
    "unit number repeated in another case": (
        _set("units", 3, number="201a"),
        "$.units[3]",
        "number",
        "is used by another unit of this property in the file",
    ),
    "name with a control character": (
        _set("properties", 0, name="Maple\nCourt"),
        "$.properties[0]",
        "name",
        "must be text of 1-200 characters without control characters",
    ),
    "id twice": (
        _set("units", 5, id=EXAMPLE["units"][4]["id"]),
        "$.units[5]",
        "id",
        "appears more than once in the file",
    ),
    "unknown field": (
        _set("floorPlans", 0, bedrooms=1),
        "$.floorPlans[0]",
        "bedrooms",
        "is not a field of a floorPlan",
    ),
    "floor plan of an unknown property": (
        lambda d: d["floorPlans"].append(
            {"id": UNKNOWN, "propertyId": "0b5a3c2d-1e4f-4a6b-8c7d-9e0f1a2b3c4d", "name": "x"}
        ),
        "$.floorPlans[3]",
        "propertyId",
        "is not a property of this file or of the organization",
    ),
    "unit of an unknown property": (
        _set("units", 0, propertyId="0b5a3c2d-1e4f-4a6b-8c7d-9e0f1a2b3c4d"),
        "$.units[0]",
        "propertyId",
        "is not a property of this file or of the organization",
    ),
    "unit on another property's floor plan": (
        _set("units", 4, floorPlanId=PLAN_1BED),
        "$.units[4]",
        "floorPlanId",
        "is not a floor plan of the unit's property",
    ),
    "unit on an unknown floor plan": (
        _set("units", 4, floorPlanId=UNKNOWN),
        "$.units[4]",
        "floorPlanId",
        "is not a floor plan of the unit's property",
    ),
    "unknown member": (
        lambda d: d.update(buildings=[]),
        "$",
        "buildings",
        "is not a member of a portfolio",
    ),
    "an array that is not one": (
        lambda d: d.update(units={}),
        "$.units",
        "",
        "must be an array",
    ),
    "a row that is not an object": (
        lambda d: d["units"].append("101"),
        "$.units[6]",
        "",
        "must be an object",
    ),
}


@pytest.mark.parametrize(
    ("change", "location", "field", "message"),
    list(INVALID_ROWS.values()),
    ids=list(INVALID_ROWS),
)
def test_each_rule_names_the_row_and_field(
    engine: Engine,
    tmp_path: Path,
    change: Callable[[dict[str, Any]], None],
    location: str,
    field: str,
    message: str,
) -> None:
    org = _org(engine)
    code, report = _import(_write(tmp_path, _changed(change)), "--org", org)
    assert code == 1
    assert report["valid"] is False
    assert report["errorCount"] == len(report["errors"]) == 1, report["errors"]
    error = report["errors"][0]
    assert (error["location"], error["field"]) == (location, field)
    assert error["message"].startswith(message)
    assert _count(engine) == 0


def test_a_unit_number_may_repeat_across_properties(engine: Engine, tmp_path: Path) -> None:
    org = _org(engine)
    doc = _changed(_set("units", 4, number="101"))  # Maple Court has a 101 too
    assert _import(_write(tmp_path, doc), "--org", org)[0] == 0


def test_every_problem_is_reported_at_once(engine: Engine, tmp_path: Path) -> None:
    org = _org(engine)

    def change(doc: dict[str, Any]) -> None:
        doc["properties"][0].update(timezone="Nowhere", name="")
        doc["units"][5].update(number="")

    code, report = _import(_write(tmp_path, _changed(change)), "--org", org)
    assert code == 1
    found = {(e["location"], e["field"]) for e in report["errors"]}
    assert found == {
        ("$.properties[0]", "timezone"),
        ("$.properties[0]", "name"),
        ("$.units[5]", "number"),
    }


def test_the_report_is_a_table_without_json(engine: Engine, tmp_path: Path) -> None:
    org = _org(engine)
    path = _write(tmp_path, _changed(_set("floorPlans", 0, beds=16)))
    result = runner.invoke(app, ["import", str(path), "--org", org])
    assert result.exit_code == 1
    assert "The file was not imported" in result.stdout
    assert "$.floorPlans[0]" in result.stdout
    assert "beds" in result.stdout


def _csv(tmp_path: Path, change: Callable[[list[dict[str, str]]], None]) -> Path:
    with (EXAMPLES / "portfolio.csv").open(newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    change(rows)
    header += [name for name in rows[0] if name not in header]
    path = tmp_path / "portfolio.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("index", "cells", "field", "message"),
    [
        (2, {"beds": "2.5"}, "beds", "must be a whole number"),
        (2, {"beds": "1e1"}, "beds", "must be a whole number"),
        (3, {"baths": "two"}, "baths", "must be a number from 0 to 15"),
        (4, {"number": "101"}, "number", "is not a field of a floorPlan"),
        (10, {"type": "building"}, "type", "must be property, floorPlan, unit"),
    ],
)
def test_csv_rows_are_located_by_spreadsheet_row(
    engine: Engine, tmp_path: Path, index: int, cells: dict[str, str], field: str, message: str
) -> None:
    """Row 1 is the header, so the file's first record is row 2."""
    org = _org(engine)
    path = _csv(tmp_path, lambda rows: rows[index].update(cells))
    code, report = _import(path, "--org", org)
    assert code == 1
    [error] = report["errors"]
    assert (error["location"], error["field"]) == (f"row {index + 2}", field)
    assert error["message"].startswith(message)


def test_csv_unknown_columns_and_extra_cells_are_refused(engine: Engine, tmp_path: Path) -> None:
    org = _org(engine)
    code, report = _import(_csv(tmp_path, lambda rows: rows[0].update(bedrooms="1")), "--org", org)
    assert code == 1
    assert [(e["location"], e["field"]) for e in report["errors"]] == [("row 1", "bedrooms")]
    ragged = tmp_path / "ragged.csv"
    text = (EXAMPLES / "portfolio.csv").read_text().splitlines()
    text[3] += ",surplus"
    ragged.write_text("\n".join(text) + "\n")
    code, report = _import(ragged, "--org", org)
    assert code == 1
    assert [(e["location"], e["message"]) for e in report["errors"]] == [
        ("row 4", "has more cells than the header")
    ]


def test_csv_whole_numbers_written_with_a_point_are_accepted(
    engine: Engine, tmp_path: Path
) -> None:
    org = _org(engine)
    path = _csv(tmp_path, lambda rows: rows[2].update(beds="1.0", baths=" 1 "))
    code, report = _import(path, "--org", org)
    assert code == 0, report


def test_the_organization_can_come_from_the_file(engine: Engine, tmp_path: Path) -> None:
    org = _org(engine)
    path = _write(tmp_path, _changed(lambda d: d.update(organizationId=org)))
    code, report = _import(path)
    assert code == 0
    assert report["organizationId"] == org
    csv_path = _csv(tmp_path, lambda rows: rows[0].update(organizationId=org))
    assert _import(csv_path)[1]["properties"]["unchanged"] == 2
    unset = _write(tmp_path, _changed(lambda d: d.update(organizationId=None)))
    assert _import(unset, "--org", org)[0] == 0  # null means absent


@pytest.mark.parametrize(
    ("in_file", "option", "message"),
    [
        (None, None, "is required: pass --org or put organizationId in the file"),
        ("not-a-uuid", None, "must be a UUID"),
        (None, "not-a-uuid", "must be a UUID"),
        ("OTHER", "ORG", "differs from --org"),
        (None, "0b5a3c2d-1e4f-4a6b-8c7d-9e0f1a2b3c4d", "is not an organization"),
    ],
)
def test_the_organization_must_be_given_and_exist(
    engine: Engine, tmp_path: Path, in_file: str | None, option: str | None, message: str
) -> None:
    org, other = _org(engine), _org(engine, "Other Co")
    names = {"ORG": org, "OTHER": other}
    doc = copy.deepcopy(EXAMPLE)
    if in_file is not None:
        doc["organizationId"] = names.get(in_file, in_file)
    args = ["--org", names.get(option, option)] if option else []
    code, report = _import(_write(tmp_path, doc), *args)
    assert code == 1
    [error] = report["errors"]
    assert error["field"] == "organizationId"
    assert message in error["message"]
    assert _count(engine) == 0


def test_another_organizations_ids_are_refused(engine: Engine, tmp_path: Path) -> None:
    owner, intruder = _org(engine), _org(engine, "Other Co")
    _import(EXAMPLES / "portfolio.json", "--org", owner)
    before = _rows(engine)
    code, report = _import(EXAMPLES / "portfolio.json", "--org", intruder)
    assert code == 1
    messages = {(e["location"], e["field"], e["message"]) for e in report["errors"]}
    assert ("$.properties[0]", "id", "is a property of another organization") in messages
    assert ("$.floorPlans[0]", "id", "is a floor plan of another organization") in messages
    assert ("$.units[0]", "id", "is a unit of another organization") in messages
    assert report["errorCount"] == 2 + 3 + 6
    # referring to the owner's property from a file of another organization is refused too
    units_only = {"units": [{"id": "0b5a3c2d-1e4f-4a6b-8c7d-9e0f1a2b3c4d", **_unit_of(MAPLE)}]}
    code, report = _import(_write(tmp_path, units_only), "--org", intruder)
    assert code == 1
    assert report["errors"][0]["message"] == (
        "is not a property of this file or of the organization"
    )
    assert _rows(engine) == before


def _unit_of(property_id: str) -> dict[str, str]:
    return {"propertyId": property_id, "number": "999"}


def test_stored_rules_apply_to_later_files(engine: Engine, tmp_path: Path) -> None:
    org = _org(engine)
    _import(EXAMPLES / "portfolio.json", "--org", org)
    new_id = "0b5a3c2d-1e4f-4a6b-8c7d-9e0f1a2b3c4d"

    # a unit for a stored property and floor plan: fine
    fine = {"units": [{"id": new_id, "propertyId": MAPLE, "floorPlanId": PLAN_2BED, "number": "7"}]}
    assert _import(_write(tmp_path, fine), "--org", org)[1]["units"]["created"] == 1

    # a stored unit's number, in another case, for a new unit: refused
    taken = {"units": [{"id": "1c6b4d3e-2f5a-4b7c-9d8e-0f1a2b3c4d5e", **_unit_of(MAPLE)}]}
    taken["units"][0]["number"] = "ph-1"
    code, report = _import(_write(tmp_path, taken), "--org", org)
    assert code == 1
    assert report["errors"][0]["field"] == "number"
    assert report["errors"][0]["message"].startswith("is already the number of unit")

    # ... unless the file renumbered that unit in an earlier row
    penthouse = next(u for u in EXAMPLE["units"] if u["number"] == "PH-1")
    taken["units"].insert(0, {**penthouse, "number": "PH-2"})
    code, report = _import(_write(tmp_path, taken), "--org", org)
    assert code == 0, report

    # a stored unit cannot move to another property
    moved = {"units": [{"id": new_id, "propertyId": HARBOR, "number": "7"}]}
    code, report = _import(_write(tmp_path, moved), "--org", org)
    assert code == 1
    assert report["errors"][0]["field"] == "propertyId"
    assert report["errors"][0]["message"].startswith("cannot change")


def test_unreadable_files_are_reported(engine: Engine, tmp_path: Path) -> None:
    org = _org(engine)
    broken = tmp_path / "broken.json"
    broken.write_text('{"properties": [')
    code, report = _import(broken, "--org", org)
    assert code == 1
    assert report["errors"][0]["message"].startswith("not valid JSON")
    listing = tmp_path / "list.json"
    listing.write_text("[]")
    assert _import(listing, "--org", org)[1]["errors"][0]["message"] == (
        "the file must hold one JSON object"
    )
    no_type = tmp_path / "no-type.csv"
    no_type.write_text("id,name\n")
    assert _import(no_type, "--org", org)[1]["errors"][0]["field"] == "type"


def test_other_extensions_are_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.xlsx"
    path.write_text("")
    result = runner.invoke(app, ["import", str(path)])
    assert result.exit_code == 2
    assert "use a .json or .csv file" in result.output


def test_errors_beyond_the_report_limit_are_counted(engine: Engine, tmp_path: Path) -> None:
    org = _org(engine)
    _import(EXAMPLES / "portfolio.json", "--org", org)
    extra = properties_service.MAX_REPORTED_ERRORS + 5
    units = [{"id": "bad", "propertyId": MAPLE, "number": f"Z{n}"} for n in range(extra)]
    code, report = _import(_write(tmp_path, {"units": units}), "--org", org)
    assert code == 1
    assert report["errorCount"] == extra
    assert len(report["errors"]) == properties_service.MAX_REPORTED_ERRORS
