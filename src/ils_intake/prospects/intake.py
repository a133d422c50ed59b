"""`POST /external-api/ils-prospects`: the ILS vendors' door.

The route reads the body (bounded) on the event loop, then does authentication, validation,
the insert and the intake log in one call and one transaction (see http.run_in_transaction).
"""

from __future__ import annotations

import time
from datetime import timedelta
from functools import partial
from typing import Any

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection, Engine

from ils_intake import metrics
from ils_intake.config import Settings
from ils_intake.db.engine import transaction
from ils_intake.http import (
    dumps,
    engine_of,
    read_body_within,
    run_in_transaction,
    run_on_db_threads,
    settings_of,
)
from ils_intake.idempotency import service as idempotency
from ils_intake.keys.auth import ILS_KEY_SCHEME
from ils_intake.keys.service import authenticate
from ils_intake.keys.tokens import KeyKind
from ils_intake.logs import get_logger
from ils_intake.problems import (
    PROBLEM_JSON,
    FieldError,
    InvalidPayload,
    Unauthorized,
    openapi_problem,
)
from ils_intake.prospects import service
from ils_intake.prospects.schemas import ProspectCreate, ProspectCreated

router = APIRouter(tags=["ILS intake"])
log = get_logger("ils_intake.intake")
Received = tuple[service.Outcome, str]  # the outcome and the key's vendor, for the metrics


def _request_schema() -> dict[str, Any]:
    """The model's schema plus the rule a model cannot state: a phone number or an email."""
    schema = ProspectCreate.model_json_schema(by_alias=True)
    schema["anyOf"] = [
        {"required": [name], "properties": {name: {"type": "string"}}}
        for name in ("phoneNumber", "emailAddress")
    ]
    return schema


_IDEMPOTENCY_RULE = "must be 1-255 printable ASCII characters"
_IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "1-255 printable ASCII characters; a retry with the same key and body "
    "gets the first answer again (kept 24 hours).",
    "schema": {"type": "string", "pattern": idempotency.KEY_PATTERN},
}
_REQUEST_BODY = {
    "required": True,
    "content": {"application/json": {"schema": _request_schema()}},
}


@router.post(
    "/external-api/ils-prospects",
    summary="Create a prospect from an ILS lead",
    response_model=ProspectCreated,
    responses={
        200: {"description": "Prospect created."},
        400: openapi_problem("Invalid payload: every problem, each naming its field."),
        401: openapi_problem("Missing, unknown, revoked or expired key, or not an ILS key."),
        409: openapi_problem(
            "Duplicate: the property already has this person (`existingProspectId`, "
            "`matchedOn`); the inquiry is kept as a REINQUIRY activity. Or: a request with "
            "this Idempotency-Key is still running."
        ),
        413: openapi_problem("Body over 64 KiB."),
        415: openapi_problem("Content-Type is not application/json."),
        422: openapi_problem("Idempotency-Key already used with a different body."),
        429: openapi_problem("Rate limit exceeded; see Retry-After."),
        503: openapi_problem("Database unavailable; see Retry-After."),
    },
    openapi_extra={
        "requestBody": _REQUEST_BODY,
        "security": [{ILS_KEY_SCHEME: []}],
        "parameters": [_IDEMPOTENCY_KEY],
    },
)
async def create_ils_prospect(request: Request) -> Response:
    # The headers are read here rather than declared as FastAPI parameters: solving them cost a
    # twelfth of an intake's CPU. The OpenAPI document states them through openapi_extra.
    api_key = request.headers.get("x-api-key")
    idempotency_key = request.headers.get("idempotency-key")
    if idempotency_key is not None and not idempotency.valid_key(idempotency_key):
        raise InvalidPayload([FieldError(field="Idempotency-Key", message=_IDEMPOTENCY_RULE)])
    started = time.perf_counter()
    settings = settings_of(request)
    body = await read_body_within(request, settings.max_body_bytes)
    submission = service.Submission(
        body=body,
        content_type=request.headers.get("content-type"),
        request_id=request.state.request_id,
    )
    try:
        if idempotency_key is None or body is None:  # an oversized body is refused the same
            outcome, vendor = await run_in_transaction(
                request, partial(_receive, api_key, submission)
            )
            sent = dumps(outcome.body)
        else:
            answer = await run_on_db_threads(
                request,
                _receive_once,
                engine_of(request),
                settings,
                api_key,
                submission,
                idempotency_key,
            )
            if isinstance(answer, idempotency.Replay):
                structlog.contextvars.bind_contextvars(replayed=True)
                return _response(answer.status, answer.body, {"Idempotent-Replayed": "true"})
            (outcome, vendor), sent = answer
    except Unauthorized:
        metrics.UNAUTHENTICATED.inc()
        raise
    metrics.record_intake(outcome.status, outcome.errors, vendor, time.perf_counter() - started)
    # one log line a request: the access line carries the outcome's prospect id
    structlog.contextvars.bind_contextvars(prospect_id=outcome.prospect_id)
    return _response(outcome.status, sent)


def _response(status: int, body: bytes, headers: dict[str, str] | None = None) -> Response:
    media_type = "application/json" if status == 200 else PROBLEM_JSON
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def _receive(api_key: str | None, submission: service.Submission, conn: Connection) -> Received:
    principal = authenticate(conn, api_key, kind=KeyKind.ILS)
    return service.receive(conn, principal, submission), principal.vendor or ""


def _receive_once(
    engine: Engine,
    settings: Settings,
    api_key: str | None,
    submission: service.Submission,
    key: str,
) -> tuple[Received, bytes] | idempotency.Replay:
    """The intake under an Idempotency-Key: claim it, then process and store the answer at once.

    Unauthenticated requests never reach the claim, so they are never stored.
    """
    assert submission.body is not None
    with transaction(engine) as conn:
        principal = authenticate(conn, api_key, kind=KeyKind.ILS)
        claim = idempotency.claim(
            conn,
            api_key_id=principal.key_id,
            key=key,
            body_fingerprint=idempotency.fingerprint(submission.body),
            ttl=timedelta(hours=settings.idempotency_ttl_hours),
            lease=timedelta(seconds=settings.idempotency_lease_seconds),
        )
    if isinstance(claim, idempotency.Replay):
        return claim
    try:
        with transaction(engine) as conn:
            outcome = service.receive(conn, principal, submission)
            sent = dumps(outcome.body)
            idempotency.finish(conn, claim, status=outcome.status, body=sent)
    except BaseException:
        _release_quietly(engine, claim)
        raise
    return (outcome, principal.vendor or ""), sent


def _release_quietly(engine: Engine, claim: idempotency.Claim) -> None:
    try:
        with transaction(engine) as conn:
            idempotency.release(conn, claim)
    except Exception:  # the database is likely down: the claim's lease frees the key later
        log.warning("idempotency claim not released", error="release failed")
