"""The `ils-intake` command line: serve, migrate, seed the demo, onboard organizations and keys."""

from __future__ import annotations

from typing import Annotated, Any

import typer
import uvicorn
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from ils_intake import cli_import, cli_prospects, demo
from ils_intake.cli_intake import intake_app
from ils_intake.cli_support import JsonOption, err, out, parse_duration, print_json, run
from ils_intake.config import get_settings
from ils_intake.db import migrate as migrations
from ils_intake.db.engine import build_engine
from ils_intake.keys import service as keys_service
from ils_intake.keys.tokens import KeyKind
from ils_intake.organizations import service as organizations_service

app = typer.Typer(
    help="ils-intake: receive rental leads from Internet Listing Services.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
keys_app = typer.Typer(help="Create, list, revoke and rotate API keys.", no_args_is_help=True)
orgs_app = typer.Typer(help="Onboard organizations (management companies).", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(orgs_app, name="orgs")
app.add_typer(intake_app, name="intake")

# uvicorn options of `serve`; the benchmark's raw baseline is served with the same ones.
SERVER_OPTIONS: dict[str, Any] = {
    "access_log": False,
    "log_level": "warning",
    "timeout_graceful_shutdown": 30,
}


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to bind.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Serve the API (ILS intake and the /v1 organization API)."""
    uvicorn.run(
        "ils_intake.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **SERVER_OPTIONS,
    )


@app.command()
def migrate() -> None:
    """Create or upgrade the schema of the configured database."""
    engine = build_engine(get_settings())
    try:
        migrations.upgrade(engine)
    except SQLAlchemyError as exc:
        err.print(f"[red]migration failed:[/red] {type(exc).__name__}: {str(exc).splitlines()[0]}")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    err.print("schema is up to date")


@app.command("demo")
def demo_command(
    as_json: JsonOption = False,
    base_url: Annotated[str, typer.Option(help="Base URL used in the printed curl.")] = (
        "http://127.0.0.1:8000"
    ),
) -> None:
    """Seed the demo organization (idempotent) and print a fresh ILS key and standard key."""
    keys = run(demo.seed, write=True)
    if as_json:
        print_json(keys.as_json())
        return
    out.print(f"organization  {keys.organization_id}")
    out.print(f"property      {keys.property_id}  (floor plan {keys.floor_plan_id}, unit 2205D)")
    out.print(f"ILS key       {keys.ils_api_key}")
    out.print(f"standard key  {keys.api_key}")
    out.print("\nThe seed's example request, ready to paste once the server runs:\n")
    out.print(demo.example_curl(keys.ils_api_key, base_url), soft_wrap=True, highlight=False)


@keys_app.command("create")
def keys_create(
    kind: Annotated[KeyKind, typer.Option(help="ils: posts prospects; standard: reads /v1.")],
    org: Annotated[str, typer.Option("--org", help="Organization id the key belongs to.")],
    vendor: Annotated[
        str | None, typer.Option(help="ILS keys: the lead source, e.g. Zillow.")
    ] = None,
    properties: Annotated[
        list[str] | None,
        typer.Option("--property", help="ILS keys: grant only this property (repeatable)."),
    ] = None,
    label: Annotated[str | None, typer.Option(help="A note for the key listing.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Create a key. It is shown once: only its SHA-256 hash is stored."""
    issued = run(
        lambda conn: keys_service.create_key(
            conn,
            kind=kind,
            organization_id=org,
            vendor=vendor,
            property_ids=properties or [],
            label=label,
        ),
        write=True,
    )
    _report_issued(issued, as_json)


@keys_app.command("list")
def keys_list(
    org: Annotated[str | None, typer.Option("--org", help="Only this organization's.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List keys (prefix and status only: the keys themselves are not stored)."""
    rows = run(lambda conn: keys_service.list_keys(conn, organization_id=org), write=False)
    if as_json:
        print_json(rows)
        return
    table = Table("kind", "prefix", "vendor", "properties", "status", "created", "expires")
    table.add_column("id", no_wrap=True, min_width=36)
    for row in rows:
        granted = row["properties"]
        table.add_row(
            row["kind"],
            row["prefix"] + "...",
            row["vendor"] or "",
            granted if isinstance(granted, str) else ", ".join(granted),
            row["status"],
            str(row["createdAt"])[:19],
            str(row["expiresAt"] or "")[:19],
            row["id"],
        )
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="Id of the key.")], as_json: JsonOption = False
) -> None:
    """Revoke a key: every worker refuses it within 5 seconds."""
    run(lambda conn: keys_service.revoke_key(conn, key_id), write=True)
    if as_json:
        print_json({"id": key_id, "status": "revoked"})
    else:
        out.print(f"key {key_id} revoked")


@keys_app.command("rotate")
def keys_rotate(
    key_id: Annotated[str, typer.Argument(help="Id of the key.")],
    grace: Annotated[
        str, typer.Option(help="How long the old key keeps working: 24h, 30m, 90s, 2d or 0.")
    ] = "24h",
    as_json: JsonOption = False,
) -> None:
    """Issue a successor with the same grant; the old key expires after the grace period."""
    period = parse_duration(grace, bare_unit="h")
    issued = run(lambda conn: keys_service.rotate_key(conn, key_id, grace=period), write=True)
    _report_issued(issued, as_json, replaces=key_id)


def _report_issued(
    issued: keys_service.IssuedKey, as_json: bool, *, replaces: str | None = None
) -> None:
    record = {
        "id": issued.id,
        "key": issued.key,
        "kind": issued.kind.value,
        "organizationId": issued.organization_id,
        "vendor": issued.vendor,
        "propertyIds": issued.property_ids or "all",
    }
    if replaces:
        record["replaces"] = replaces
    if as_json:
        print_json(record)
        return
    out.print(f"key id  {issued.id}")
    out.print(f"key     {issued.key}")
    err.print("Store the key now: it cannot be shown again.")


@orgs_app.command("create")
def orgs_create(
    name: Annotated[str, typer.Argument(help="The organization's name.")],
    as_json: JsonOption = False,
) -> None:
    """Create an organization."""
    created = run(lambda conn: organizations_service.create_organization(conn, name), write=True)
    if as_json:
        print_json({"id": created["id"], "name": created["name"]})
    else:
        out.print(f"organization {created['id']} created")


@orgs_app.command("list")
def orgs_list(as_json: JsonOption = False) -> None:
    """List organizations."""
    rows = run(organizations_service.list_organizations, write=False)
    if as_json:
        print_json([{"id": r["id"], "name": r["name"], "createdAt": r["created_at"]} for r in rows])
        return
    table = Table("name", "created")
    table.add_column("id", no_wrap=True, min_width=36)
    for row in rows:
        table.add_row(row["name"], str(row["created_at"])[:19], row["id"])
    out.print(table)


app.command("import")(cli_import.import_portfolio)
app.add_typer(cli_prospects.app, name="prospects")
