"""Reviewing the intake log: list and show entries, replay a rejected submission through the
intake pipeline once its cause is fixed, and clear old bodies while keeping every outcome.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from ils_intake.db.types import AnyRow, utcnow
from ils_intake.ids import parse_id
from ils_intake.intake_log import repository
from ils_intake.keys import service as keys_service
from ils_intake.problems import BadRequest, NotFound
from ils_intake.prospects import service as prospects_service
from ils_intake.wire import iso_z

DEFAULT_LIMIT = 50
# Outcomes that already kept the lead: a 200 created it, a 409 added it to the existing prospect.
KEPT = {200: "created prospect {}", 409: "was added to prospect {} as a re-inquiry"}


def list_entries(
    conn: Connection,
    *,
    status: int | None = None,
    since: datetime | None = None,
    key_id: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[dict[str, Any]]:
    """The newest entries first, filtered by outcome status, time and key."""
    rows = repository.list_entries(
        conn,
        status=status,
        since=since,
        key_id=parse_id(key_id, "key") if key_id is not None else None,
        limit=limit,
    )
    return [_summary(row) for row in rows]


def show_entry(conn: Connection, entry_id: str) -> dict[str, Any]:
    """One entry whole: outcome, field errors, prospect, replays, and the body as received."""
    row = _existing(conn, entry_id)
    body, encoding = body_as_text(row.body)
    replays = repository.replays_of(conn, row.id)
    return _summary(row) | {
        "contentType": row.content_type,
        "body": body,
        "bodyEncoding": encoding,
        "replayedBy": [
            {"id": r.id, "status": r.status, "prospectId": r.prospect_id} for r in replays
        ],
    }


def replay(conn: Connection, entry_id: str) -> dict[str, Any]:
    """Run a rejected submission again through the intake, as its key, and link the outcome.

    The original key may since have been rotated or expired; a revoked key is refused. Entries
    whose lead was kept (200, 409, or an earlier replay that was) are refused, so a replay never
    adds a second record of one inquiry.
    """
    row = _existing(conn, entry_id, lock=True)
    if row.status in KEPT:
        kept = KEPT[row.status].format(row.prospect_id)
        raise BadRequest(f"entry {row.id} {kept}: there is nothing to replay")
    earlier = _kept_replay(conn, row.id)
    if earlier is not None:
        raise BadRequest(
            f"entry {row.id} was already replayed as {earlier.id}, which "
            + KEPT[earlier.status].format(earlier.prospect_id)
        )
    if row.body is None:
        reason = "was refused unread" if row.status == 413 else "has had its body purged"
        raise BadRequest(f"entry {row.id} {reason}: there is no body to replay")
    principal = keys_service.principal_of_key(conn, row.api_key_id)
    submission = prospects_service.Submission(
        body=row.body, content_type=row.content_type, replay_of=row.id
    )
    outcome = prospects_service.receive(conn, principal, submission)
    return {
        "id": outcome.log_id,
        "replayOf": row.id,
        "status": outcome.status,
        "prospectId": outcome.prospect_id,
        "errors": [error.model_dump() for error in outcome.errors or []],
    }


def purge_bodies(conn: Connection, *, older_than: timedelta, dry_run: bool = False) -> int:
    """Clear the bodies of entries older than `older_than`; the outcome rows stay."""
    if older_than < timedelta(0):
        raise BadRequest("the age cannot be negative")
    cutoff = utcnow() - older_than
    if dry_run:
        return repository.count_bodies_before(conn, cutoff)
    return repository.clear_bodies_before(conn, cutoff)


def body_as_text(body: bytes | None) -> tuple[str | None, str | None]:
    """The body as UTF-8 text when it is that, else base64, with the encoding used."""
    if body is None:
        return None, None
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(body).decode("ascii"), "base64"


def _kept_replay(conn: Connection, entry_id: str) -> AnyRow | None:
    """A replay of this entry, or of one of its replays, that kept the lead."""
    pending = [entry_id]
    while pending:
        for replayed in repository.replays_of(conn, pending.pop()):
            if replayed.status in KEPT:
                return replayed
            pending.append(replayed.id)
    return None


def _summary(row: AnyRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "receivedAt": iso_z(row.received_at),
        "status": row.status,
        "apiKeyId": row.api_key_id,
        "keyPrefix": row.key_prefix,
        "vendor": row.vendor,
        "prospectId": row.prospect_id,
        "errors": row.errors or [],
        "replayOf": row.replay_of,
        "requestId": row.request_id,
        "bodyKept": bool(row.has_body),
    }


def _existing(conn: Connection, entry_id: str, *, lock: bool = False) -> AnyRow:
    row = repository.find_entry(conn, parse_id(entry_id, "entry"), lock=lock)
    if row is None:
        raise NotFound(f"intake log entry {entry_id} does not exist")
    return row
