"""The intake rules: validate a vendor's submission, create the prospect or record a re-inquiry,
and log the outcome in the same transaction, so no acknowledged lead exists without its record.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, select

from ils_intake import jsonbody
from ils_intake.db.paging import ListQuery, fetch_one, fetch_page
from ils_intake.db.tables import prospect, prospect_activity
from ils_intake.db.types import AnyRow, utcnow
from ils_intake.ids import canonical_uuid
from ils_intake.keys.service import Principal
from ils_intake.lookups import Lookups
from ils_intake.problems import (
    FieldError,
    IntakeError,
    InvalidPayload,
    PayloadTooLarge,
    problem_body,
)
from ils_intake.prospects import normalize, repository
from ils_intake.prospects.fields import ACTIVITY_FIELDS, PROSPECT_COLUMNS, PROSPECT_FIELDS
from ils_intake.prospects.schemas import FIELD_RULES, ProspectCreate
from ils_intake.wire import iso_z, json_number

REINQUIRY = "REINQUIRY"
CONTACT_REQUIRED = FieldError(
    field="phoneNumber", message="phoneNumber or emailAddress is required"
)
_FIELD_ORDER = {name: index for index, name in enumerate(FIELD_RULES)}
_MATCH_ATTEMPTS = 3
# Where a key may post, by (database, key, property, unit, floor plan): grants never change
# for a key, and a unit or floor plan added later is matched within LOOKUP_TTL_SECONDS.
_targets: Lookups[tuple[str, str, str, str | None, str | None], AnyRow] = Lookups()


@dataclass(frozen=True, slots=True)
class Submission:
    """What arrived: the raw body (None when refused unread for its size) and its headers;
    `replay_of` names the intake log entry an operator's replay runs again."""

    body: bytes | None
    content_type: str | None
    request_id: str | None = None
    replay_of: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int
    body: dict[str, Any]
    prospect_id: str | None = None
    errors: list[FieldError] | None = None
    log_id: str | None = None  # the intake_log entry that recorded this outcome


def receive(conn: Connection, principal: Principal, submission: Submission) -> Outcome:
    """Run one authenticated submission through the rules and log its outcome."""
    now = utcnow()
    try:
        outcome = _process(conn, principal, submission, now)
    except IntakeError as exc:
        body = problem_body(exc.status, exc.detail, errors=exc.errors, **exc.extra)
        outcome = Outcome(exc.status, body, errors=exc.errors)
    log_id = str(uuid.uuid4())
    repository.insert_intake_log(
        conn,
        {
            "id": log_id,
            "api_key_id": principal.key_id,
            "received_at": now,
            "status": outcome.status,
            "errors": [e.model_dump() for e in outcome.errors] if outcome.errors else None,
            "prospect_id": outcome.prospect_id,
            "content_type": (submission.content_type or "")[:200] or None,
            "body": submission.body,
            "request_id": submission.request_id,
            "replay_of": submission.replay_of,
        },
    )
    return replace(outcome, log_id=log_id)


def _process(
    conn: Connection, principal: Principal, submission: Submission, now: datetime
) -> Outcome:
    if submission.body is None:
        raise PayloadTooLarge("the body is larger than the 64 KiB a prospect may take")
    jsonbody.require_json(submission.content_type)
    data = jsonbody.decode_object(submission.body)
    payload, target = _validate(conn, principal, data)
    return _create(conn, principal, payload, target, data, now)


def _validate(
    conn: Connection, principal: Principal, data: dict[str, Any]
) -> tuple[ProspectCreate, AnyRow]:
    """All of a payload's problems at once: field rules, contact, property grant, floor plan."""
    payload: ProspectCreate | None = None
    # Unknown names are found here, not by the model: a name may be any JSON string, even one
    # the validation library cannot decode, and it must still come back as a field error.
    errors = [
        FieldError(field=jsonbody.shown_field(name), message="is not a known field")
        for name in data
        if name not in FIELD_RULES
    ]
    try:
        payload = ProspectCreate.model_validate(
            data if not errors else {k: v for k, v in data.items() if k in FIELD_RULES}
        )
    except ValidationError as exc:
        errors += [_field_error(error) for error in exc.errors()]
    if data.get("phoneNumber") is None and data.get("emailAddress") is None:
        errors.append(CONTACT_REQUIRED)

    failed = {error.field for error in errors}
    property_id = _valid_uuid(data.get("propertyId"))
    plan_id = _valid_uuid(data.get("preferredFloorPlanId"))
    target = None
    if property_id is not None:
        unit_number = payload.preferred_unit.lower() if payload and payload.preferred_unit else None
        floor_plan_id = plan_id if "preferredFloorPlanId" not in failed else None
        target = _targets.get(
            (str(conn.engine.url), principal.key_id, property_id, unit_number, floor_plan_id),
            lambda: repository.find_target(
                conn,
                property_id=property_id,
                organization_id=principal.organization_id,
                key_id=principal.key_id,
                all_properties=principal.all_properties,
                unit_number=unit_number,
                floor_plan_id=floor_plan_id,
            ),
        )
        if target is None:
            errors.append(FieldError(field="propertyId", message="is not a property of this key"))
        elif plan_id is not None and target._mapping.get("floor_plan_id") is None:
            errors.append(
                FieldError(
                    field="preferredFloorPlanId", message="is not a floor plan of this property"
                )
            )
    if errors or payload is None or target is None:
        errors.sort(key=lambda e: _FIELD_ORDER.get(e.field, len(_FIELD_ORDER)))
        raise InvalidPayload(errors)
    return payload, target


def _create(
    conn: Connection,
    principal: Principal,
    payload: ProspectCreate,
    target: AnyRow,
    data: dict[str, Any],
    now: datetime,
) -> Outcome:
    phone = normalize.phone_e164(payload.phone_number) if payload.phone_number else None
    email = normalize.email_key(payload.email_address) if payload.email_address else None
    prospect_id = str(uuid.uuid4())
    source = principal.vendor or ""
    values = {
        "id": prospect_id,
        "organization_id": principal.organization_id,
        "property_id": payload.property_id,
        "first_name": payload.first_name,
        "last_name": payload.last_name,
        "phone_number": payload.phone_number,
        "phone_e164": phone,
        "email_address": payload.email_address,
        "email_normalized": email,
        "n_beds": payload.n_beds,
        "n_baths": payload.n_baths,
        "move_in_date": payload.move_in_date,
        "preferred_unit": payload.preferred_unit,
        "unit_id": target._mapping.get("unit_id"),
        "preferred_floor_plan_id": payload.preferred_floor_plan_id,
        "message": payload.message,
        "source": source,
        "api_key_id": principal.key_id,
        "created_at": now,
        "updated_at": now,
    }
    for _ in range(_MATCH_ATTEMPTS):
        if repository.insert_prospect(conn, values):
            return Outcome(200, created_body(payload, prospect_id, source, now), prospect_id)
        matches = repository.find_matches(
            conn, property_id=payload.property_id, phone_e164=phone, email_key=email
        )
        if matches:
            break
    else:  # a conflict whose row vanished three times: not a duplicate we can name
        raise RuntimeError("prospect insert conflicted but no matching prospect was found")

    existing, matched_on = _best_match(matches, phone=phone, email=email)
    repository.insert_activity(
        conn,
        {
            "id": str(uuid.uuid4()),
            "prospect_id": existing,
            "type": REINQUIRY,
            "source": source,
            "api_key_id": principal.key_id,
            "payload": data,
            "created_at": now,
        },
    )
    body = problem_body(
        409,
        "this person is already a prospect of this property; the inquiry was added to it",
        existingProspectId=existing,
        matchedOn=matched_on,
    )
    return Outcome(409, body, existing)


def _best_match(
    matches: Sequence[AnyRow], *, phone: str | None, email: str | None
) -> tuple[str, list[str]]:
    """The prospect matching on most contacts, the oldest first among equals."""
    best_id, best_fields = "", list[str]()
    for row in matches:
        fields = []
        if email is not None and row.email_normalized == email:
            fields.append("emailAddress")
        if phone is not None and row.phone_e164 == phone:
            fields.append("phoneNumber")
        if len(fields) > len(best_fields):
            best_id, best_fields = row.id, fields
    return best_id, best_fields


def created_body(
    payload: ProspectCreate, prospect_id: str, source: str, created_at: datetime
) -> dict[str, Any]:
    return {
        "id": prospect_id,
        "propertyId": payload.property_id,
        "firstName": payload.first_name,
        "lastName": payload.last_name,
        "phoneNumber": payload.phone_number,
        "emailAddress": payload.email_address,
        "nBeds": payload.n_beds,
        "nBaths": json_number(payload.n_baths),
        "moveInDate": payload.move_in_date.isoformat() if payload.move_in_date else None,
        "preferredUnit": payload.preferred_unit,
        "preferredFloorPlanId": payload.preferred_floor_plan_id,
        "message": payload.message,
        "source": source,
        "createdAt": iso_z(created_at),
    }


def _valid_uuid(value: Any) -> str | None:
    return canonical_uuid(value) if isinstance(value, str) else None


def _field_error(error: Any) -> FieldError:
    loc = error.get("loc") or ("body",)
    field = jsonbody.shown_field(str(loc[0]))
    if error["type"] == "missing":
        return FieldError(field=field, message="is required")
    if error["type"] == "extra_forbidden":
        return FieldError(field=field, message="is not a known field")
    return FieldError(field=field, message=FIELD_RULES.get(field, "is invalid"))


def list_prospects(
    conn: Connection, organization_id: str, params: ListQuery
) -> tuple[Sequence[AnyRow], int]:
    """A page of the organization's prospects, newest first unless sorted otherwise."""
    return fetch_page(
        conn,
        select(*PROSPECT_COLUMNS),
        scope=[prospect.c.organization_id == organization_id],
        fields=PROSPECT_FIELDS,
        params=params,
        default_order=[prospect.c.created_at.desc()],
    )


def get_prospect(conn: Connection, organization_id: str, prospect_id: str) -> AnyRow:
    return fetch_one(
        conn,
        select(*PROSPECT_COLUMNS),
        id_column=prospect.c.id,
        raw_id=prospect_id,
        scope=[prospect.c.organization_id == organization_id],
        what="prospect",
    )


def list_activities(
    conn: Connection, organization_id: str, prospect_id: str, params: ListQuery
) -> tuple[Sequence[AnyRow], int]:
    """A page of one prospect's activities (its re-inquiries), oldest first."""
    owner = get_prospect(conn, organization_id, prospect_id)
    return fetch_page(
        conn,
        select(prospect_activity),
        scope=[prospect_activity.c.prospect_id == owner.id],
        fields=ACTIVITY_FIELDS,
        params=params,
        default_order=[prospect_activity.c.created_at.asc()],
    )
