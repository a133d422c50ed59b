"""The idempotency rules (CONTRACT section 5), on the database alone so every worker agrees.

A request with an `Idempotency-Key` first claims (api key, Idempotency-Key) with an insert in a
transaction of its own, then processes and stores its answer in the same transaction as the
prospect. So a stored answer always describes committed work, and a crash before the commit
leaves only an unfinished claim, which a retry may take over once its lease has run out.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from ils_intake.db.types import utcnow
from ils_intake.idempotency import repository
from ils_intake.problems import Conflict, IntakeError

KEY_PATTERN = r"^[\x20-\x7e]{1,255}$"
_KEY = re.compile(KEY_PATTERN)
_CLAIM_ATTEMPTS = 3
_PURGE_EVERY_SECONDS = 600.0
_next_purge = 0.0


class KeyReusedWithAnotherBody(IntakeError):
    status = 422


@dataclass(frozen=True, slots=True)
class Claim:
    """This request owns the key: it must process, then `finish`."""

    api_key_id: str
    key: str
    claimed_at: datetime


@dataclass(frozen=True, slots=True)
class Replay:
    """The key was used before with this body: answer exactly what was answered then."""

    status: int
    body: bytes


def valid_key(key: str) -> bool:
    return _KEY.fullmatch(key) is not None


def fingerprint(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def claim(
    conn: Connection,
    *,
    api_key_id: str,
    key: str,
    body_fingerprint: str,
    ttl: timedelta,
    lease: timedelta,
) -> Claim | Replay:
    """Own the key, or learn what its first use answered; 409 while that one still runs."""
    now = utcnow()
    _purge_now_and_then(conn, now - ttl)
    for _ in range(_CLAIM_ATTEMPTS):
        values = {
            "api_key_id": api_key_id,
            "idempotency_key": key,
            "fingerprint": body_fingerprint,
            "created_at": now,
        }
        if repository.insert_claim(conn, values):
            return Claim(api_key_id, key, now)
        row = repository.find_record(conn, api_key_id, key)
        if row is None:  # released or purged between our insert and our read: try again
            continue
        expired = row.created_at <= now - ttl
        abandoned = row.status is None and row.created_at <= now - lease
        if expired or abandoned:
            if repository.take_over(
                conn,
                api_key_id,
                key,
                seen_created_at=row.created_at,
                fingerprint=body_fingerprint,
                now=now,
            ):
                return Claim(api_key_id, key, now)
            continue
        if row.fingerprint != body_fingerprint:
            raise KeyReusedWithAnotherBody(
                "this Idempotency-Key was already used with a different body"
            )
        if row.status is None:
            raise Conflict(
                "a request with this Idempotency-Key is still being processed; retry later",
                headers={"Retry-After": "1"},
            )
        return Replay(row.status, row.response_body)
    raise Conflict("this Idempotency-Key is contended; retry later", headers={"Retry-After": "1"})


def finish(conn: Connection, owned: Claim, *, status: int, body: bytes) -> None:
    """Store the answer beside the work it describes; fail the work if the claim was lost."""
    if not repository.store_response(
        conn, owned.api_key_id, owned.key, claimed_at=owned.claimed_at, status=status, body=body
    ):
        raise Conflict(
            "this Idempotency-Key was taken over by a retry; its answer stands",
            headers={"Retry-After": "1"},
        )


def release(conn: Connection, owned: Claim) -> None:
    """Drop an unfinished claim after a failure, so a retry need not wait for the lease."""
    repository.delete_claim(conn, owned.api_key_id, owned.key, claimed_at=owned.claimed_at)


def purge_expired(conn: Connection, cutoff: datetime) -> int:
    return repository.delete_older_than(conn, cutoff)


def _purge_now_and_then(conn: Connection, cutoff: datetime) -> None:
    """Keep the table to a day of records without a scheduler: one purge per process per 10 min."""
    global _next_purge
    if time.monotonic() >= _next_purge:
        _next_purge = time.monotonic() + _PURGE_EVERY_SECONDS
        purge_expired(conn, cutoff)
