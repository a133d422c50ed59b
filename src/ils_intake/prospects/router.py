"""`/v1/prospects`: the organization reads its prospects and their activities."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ils_intake.db.engine import transaction
from ils_intake.http import dumps, engine_of
from ils_intake.keys.auth import StandardPrincipal
from ils_intake.listing import ListParams, page_response
from ils_intake.prospects import service
from ils_intake.prospects.fields import activity_json, prospect_json
from ils_intake.prospects.schemas import Activity, Prospect
from ils_intake.v1 import item_responses, list_responses

router = APIRouter(prefix="/v1/prospects", tags=["organization API"])


@router.get("", response_model=list[Prospect], responses=list_responses(), summary="List prospects")
def list_prospects(request: Request, principal: StandardPrincipal, params: ListParams) -> Response:
    with transaction(engine_of(request), write=False) as conn:
        rows, total = service.list_prospects(conn, principal.organization_id, params)
    return page_response([prospect_json(row) for row in rows], total)


@router.get(
    "/{prospectId}", response_model=Prospect, responses=item_responses(), summary="Get a prospect"
)
def get_prospect(request: Request, principal: StandardPrincipal, prospectId: str) -> Response:
    with transaction(engine_of(request), write=False) as conn:
        row = service.get_prospect(conn, principal.organization_id, prospectId)
    return Response(dumps(prospect_json(row)), media_type="application/json")


@router.get(
    "/{prospectId}/activities",
    response_model=list[Activity],
    responses=list_responses(),
    summary="List a prospect's activities",
)
def list_activities(
    request: Request,
    principal: StandardPrincipal,
    prospectId: str,
    params: ListParams,
) -> Response:
    with transaction(engine_of(request), write=False) as conn:
        rows, total = service.list_activities(conn, principal.organization_id, prospectId, params)
    return page_response([activity_json(row) for row in rows], total)
