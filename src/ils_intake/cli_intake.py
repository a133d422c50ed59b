"""`ils-intake intake ...`: review the intake log, replay a rejected submission, purge old bodies.

Nothing here runs on a schedule: operators run `intake purge` from cron (see the operations doc).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ils_intake.cli_support import (
    JsonOption,
    duration_text,
    out,
    parse_duration,
    print_json,
    run,
)
from ils_intake.config import get_settings
from ils_intake.db.types import utcnow
from ils_intake.intake_log import service

intake_app = typer.Typer(
    help="Review the intake log: list, show and replay submissions; purge old bodies.",
    no_args_is_help=True,
)

EntryId = Annotated[str, typer.Argument(help="Id of the intake log entry.")]

# C0 (bar tab and newline), DEL, C1, and the bidirectional overrides that can reorder a line.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """Text a vendor sent, made safe for the operator's terminal: control characters become
    visible escapes (an escape sequence in a body must not drive the terminal) and Rich markup
    is escaped."""
    return escape(_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def parse_since(text: str) -> datetime:
    """An ISO 8601 date or time (UTC unless it says otherwise), or an age such as 24h."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            return utcnow() - parse_duration(text, bare_unit="h")
        except typer.BadParameter:
            raise typer.BadParameter(
                f"{text!r} is neither an ISO 8601 time (2026-12-01T09:00Z) nor an age (24h, 7d)"
            ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@intake_app.command("list")
def list_command(
    status: Annotated[int | None, typer.Option(help="Only this outcome, e.g. 400.")] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only entries since this ISO 8601 time, or this long ago (24h, 7d)."),
    ] = None,
    key: Annotated[str | None, typer.Option("--key", help="Only this API key's (key id).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = (
        service.DEFAULT_LIMIT
    ),
    as_json: JsonOption = False,
) -> None:
    """List intake log entries, newest first."""
    after = parse_since(since) if since is not None else None
    entries = run(
        lambda conn: service.list_entries(
            conn, status=status, since=after, key_id=key, limit=limit
        ),
        write=False,
    )
    if as_json:
        print_json(entries)
        return
    table = Table("id", "received (UTC)", "status", "vendor", "prospect", "fields", "replay of")
    for entry in entries:
        table.add_row(
            entry["id"],
            entry["receivedAt"][:19].replace("T", " "),
            str(entry["status"]),
            shown(entry["vendor"] or ""),
            entry["prospectId"] or "",
            shown(", ".join(error["field"] for error in entry["errors"])),
            entry["replayOf"] or "",
        )
    out.print(table)


@intake_app.command("show")
def show_command(entry_id: EntryId, as_json: JsonOption = False) -> None:
    """Show one entry: outcome, field errors, prospect, replays and the body as received."""
    entry = run(lambda conn: service.show_entry(conn, entry_id), write=False)
    if as_json:
        print_json(entry)
        return
    for label, name in [
        ("id", "id"),
        ("received", "receivedAt"),
        ("status", "status"),
        ("key", "apiKeyId"),
        ("vendor", "vendor"),
        ("prospect", "prospectId"),
        ("request id", "requestId"),
        ("replay of", "replayOf"),
        ("content type", "contentType"),
    ]:
        out.print(f"{label:<13} {shown(str(entry[name] or '-'))}")
    for error in entry["errors"]:
        out.print(f"error         {shown(error['field'])}: {shown(error['message'])}")
    for replayed in entry["replayedBy"]:
        out.print(
            f"replayed as   {replayed['id']} ({replayed['status']}"
            + (f", prospect {replayed['prospectId']})" if replayed["prospectId"] else ")")
        )
    if entry["body"] is None:
        out.print("body          - (refused unread, or purged)")
    else:
        out.print(f"body ({entry['bodyEncoding']}):")
        out.print(shown(entry["body"]))


@intake_app.command("replay")
def replay_command(entry_id: EntryId, as_json: JsonOption = False) -> None:
    """Run a rejected submission again, as the key that sent it, and link the outcome."""
    result = run(lambda conn: service.replay(conn, entry_id), write=True)
    if as_json:
        print_json(result)
        return
    out.print(f"status    {result['status']}")
    out.print(f"prospect  {result['prospectId'] or '-'}")
    out.print(f"entry     {result['id']} (replay of {result['replayOf']})")
    for error in result["errors"]:
        out.print(f"error     {shown(error['field'])}: {shown(error['message'])}")


@intake_app.command("purge")
def purge_command(
    older_than: Annotated[
        str | None,
        typer.Option(
            help="Clear bodies older than this (90d, 12h; a bare number is days). "
            "Default: ILS_INTAKE_INTAKE_RETENTION_DAYS (90)."
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Only count what would be cleared.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Clear the bodies of old entries; their outcomes, errors and prospect ids stay."""
    age = (
        parse_duration(older_than, bare_unit="d")
        if older_than is not None
        else timedelta(days=get_settings().intake_retention_days)
    )
    count = run(
        lambda conn: service.purge_bodies(conn, older_than=age, dry_run=dry_run), write=True
    )
    if as_json:
        print_json(
            {"olderThanSeconds": int(age.total_seconds()), "bodies": count, "dryRun": dry_run}
        )
        return
    verb = "would clear" if dry_run else "cleared"
    out.print(f"{verb} {count} bodies older than {duration_text(age)}")
