"""Key lifecycle rules: create, list, revoke, rotate, and authenticate."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from ils_intake.db.types import AnyRow, utcnow
from ils_intake.ids import parse_id
from ils_intake.keys import repository
from ils_intake.keys.tokens import KeyKind, display_prefix, generate, hash_key
from ils_intake.lookups import Lookups
from ils_intake.organizations import repository as organizations
from ils_intake.problems import BadRequest, NotFound, Unauthorized
from ils_intake.properties import repository as properties

DEFAULT_ROTATION_GRACE = timedelta(hours=24)
# Live keys' rows by (database, hash): a revocation or rotation takes effect in every worker
# within LOOKUP_TTL_SECONDS; expiry is checked against the clock on every request.
_known_keys: Lookups[tuple[str, str], AnyRow] = Lookups()


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request is: the key's id, kind, organization and (ILS keys) vendor and grant."""

    key_id: str
    kind: KeyKind
    organization_id: str
    vendor: str | None
    all_properties: bool


@dataclass(frozen=True, slots=True)
class IssuedKey:
    id: str
    key: str  # the only time the raw key exists outside the caller's hands
    kind: KeyKind
    organization_id: str
    vendor: str | None
    property_ids: list[str]


def authenticate(conn: Connection, raw_key: str | None, *, kind: KeyKind) -> Principal:
    """Resolve a presented key; anything but a live key of the right kind is a 401."""
    if not raw_key:
        raise Unauthorized()
    key_hash = hash_key(raw_key)
    row = _known_keys.get(
        (str(conn.engine.url), key_hash), lambda: repository.find_by_hash(conn, key_hash)
    )
    if row is None or row.kind != kind or not is_active(row, utcnow()):
        raise Unauthorized("the API key is unknown, revoked, expired or not valid here")
    return _principal(row)


def _principal(row: AnyRow) -> Principal:
    return Principal(
        key_id=row.id,
        kind=KeyKind(row.kind),
        organization_id=row.organization_id,
        vendor=row.vendor,
        all_properties=row.all_properties,
    )


def is_active(row: AnyRow, now: datetime) -> bool:
    return row.revoked_at is None and (row.expires_at is None or row.expires_at > now)


def status_of(row: AnyRow, now: datetime) -> str:
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None:
        return "rotating" if row.expires_at > now else "expired"
    return "active"


def create_key(
    conn: Connection,
    *,
    kind: KeyKind,
    organization_id: str,
    vendor: str | None = None,
    property_ids: list[str] | None = None,
    label: str | None = None,
) -> IssuedKey:
    organization_id = parse_id(organization_id, "organization")
    if organizations.find_organization(conn, organization_id) is None:
        raise NotFound(f"organization {organization_id} does not exist")
    granted = sorted({parse_id(pid, "property") for pid in property_ids or []})
    if kind is KeyKind.ILS:
        vendor = (vendor or "").strip()
        if not vendor or len(vendor) > 100:
            raise BadRequest("an ILS key needs --vendor, the lead source (1-100 characters)")
        owned = properties.property_ids_of_organization(conn, organization_id, granted)
        missing = [pid for pid in granted if pid not in owned]
        if missing:
            raise NotFound(f"not properties of this organization: {', '.join(missing)}")
    elif vendor or granted:
        raise BadRequest("a standard key reads its whole organization: no --vendor or --property")
    return _issue(
        conn,
        kind=kind,
        organization_id=organization_id,
        vendor=vendor if kind is KeyKind.ILS else None,
        property_ids=granted,
        label=label,
    )


def _issue(
    conn: Connection,
    *,
    kind: KeyKind,
    organization_id: str,
    vendor: str | None,
    property_ids: list[str],
    label: str | None,
) -> IssuedKey:
    raw = generate(kind)
    key_id = str(uuid.uuid4())
    values = {
        "id": key_id,
        "kind": kind.value,
        "key_hash": hash_key(raw),
        "display_prefix": display_prefix(raw),
        "organization_id": organization_id,
        "vendor": vendor,
        "all_properties": kind is KeyKind.STANDARD or not property_ids,
        "label": label,
        "created_at": utcnow(),
    }
    repository.insert_key(conn, values, property_ids)
    return IssuedKey(key_id, raw, kind, organization_id, vendor, property_ids)


def list_keys(conn: Connection, *, organization_id: str | None = None) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "id": row.id,
            "kind": row.kind,
            "prefix": row.display_prefix,
            "organizationId": row.organization_id,
            "vendor": row.vendor,
            "properties": (
                "all" if row.all_properties else repository.granted_property_ids(conn, row.id)
            ),
            "label": row.label,
            "status": status_of(row, now),
            "createdAt": row.created_at,
            "expiresAt": row.expires_at,
            "revokedAt": row.revoked_at,
            "replacedById": row.replaced_by_id,
        }
        for row in repository.list_keys(conn, organization_id)
    ]


def revoke_key(conn: Connection, key_id: str) -> None:
    row = _existing(conn, key_id)
    if row.revoked_at is None:
        repository.mark_revoked(conn, row.id, utcnow())


def rotate_key(
    conn: Connection, key_id: str, *, grace: timedelta = DEFAULT_ROTATION_GRACE
) -> IssuedKey:
    """Issue a successor with the same grant; the old key works for `grace`, then expires."""
    row = _existing(conn, key_id)
    now = utcnow()
    if not is_active(row, now) or row.replaced_by_id is not None:
        raise BadRequest(f"key {row.id} is {status_of(row, now)}: only an active key can rotate")
    if grace < timedelta(0):
        raise BadRequest("the grace period cannot be negative")
    issued = _issue(
        conn,
        kind=KeyKind(row.kind),
        organization_id=row.organization_id,
        vendor=row.vendor,
        property_ids=[] if row.all_properties else repository.granted_property_ids(conn, row.id),
        label=row.label,
    )
    repository.mark_replaced(conn, row.id, replaced_by_id=issued.id, expires_at=now + grace)
    return issued


def _existing(conn: Connection, key_id: str) -> AnyRow:
    row = repository.find_by_id(conn, parse_id(key_id, "key"))
    if row is None:
        raise NotFound(f"key {key_id} does not exist")
    return row


def principal_of_key(conn: Connection, key_id: str) -> Principal:
    """The principal a key stood for, to replay its logged submissions: a rotated or expired key
    still names its vendor and grant, but a revoked one was withdrawn on purpose and is refused.
    """
    row = _existing(conn, key_id)
    if row.revoked_at is not None:
        raise BadRequest(f"key {row.id} is revoked: its submissions are not replayed")
    return _principal(row)
