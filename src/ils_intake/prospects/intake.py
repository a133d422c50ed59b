"""`POST /external-api/ils-prospects`: the ILS vendors' door.

The route reads the body (bounded) on the event loop, then does authentication, validation,
the insert and the intake log in one call and one transaction (see http.run_in_transaction).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Request, Security
from fastapi.responses import Response
from sqlalchemy import Connection

from ils_intake import metrics
from ils_intake.http import dumps, read_body_within, run_in_transaction, settings_of
from ils_intake.keys.auth import ils_key_header
from ils_intake.keys.service import authenticate
from ils_intake.keys.tokens import KeyKind
from ils_intake.logs import get_logger
from ils_intake.problems import PROBLEM_JSON, Unauthorized, openapi_problem
from ils_intake.prospects import service
from ils_intake.prospects.schemas import ProspectCreate, ProspectCreated

router = APIRouter(tags=["ILS intake"])
log = get_logger("ils_intake.intake")

_REQUEST_BODY = {
    "required": True,
    "content": {"application/json": {"schema": ProspectCreate.model_json_schema(by_alias=True)}},
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
            "`matchedOn`); the inquiry is kept as a REINQUIRY activity."
        ),
        413: openapi_problem("Body over 64 KiB."),
        415: openapi_problem("Content-Type is not application/json."),
        503: openapi_problem("Database unavailable; see Retry-After."),
    },
    openapi_extra={"requestBody": _REQUEST_BODY},
)
async def create_ils_prospect(
    request: Request, api_key: Annotated[str | None, Security(ils_key_header)]
) -> Response:
    body = await read_body_within(request, settings_of(request).max_body_bytes)
    submission = service.Submission(
        body=body,
        content_type=request.headers.get("content-type"),
        request_id=request.state.request_id,
    )
    try:
        outcome = await run_in_transaction(request, partial(_receive, api_key, submission))
    except Unauthorized:
        metrics.UNAUTHENTICATED.inc()
        raise
    metrics.INTAKE_OUTCOMES.labels(status=str(outcome.status)).inc()
    log.info("intake", status=outcome.status, prospect_id=outcome.prospect_id)
    media_type = "application/json" if outcome.status == 200 else PROBLEM_JSON
    return Response(dumps(outcome.body), status_code=outcome.status, media_type=media_type)


def _receive(api_key: str | None, submission: service.Submission, conn: Connection) -> Any:
    principal = authenticate(conn, api_key, kind=KeyKind.ILS)
    return service.receive(conn, principal, submission)
