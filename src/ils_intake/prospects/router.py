"""`/v1/prospects`: the organization reads its prospects and their activities."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ils_intake.keys.auth import StandardPrincipal
from ils_intake.listing import ListParams, read_item, read_page
from ils_intake.prospects import service
from ils_intake.prospects.fields import activity_json, prospect_json
from ils_intake.prospects.schemas import Activity, Prospect
from ils_intake.v1 import item_responses, list_responses

router = APIRouter(prefix="/v1/prospects", tags=["organization API"])


@router.get("", response_model=list[Prospect], responses=list_responses(), summary="List prospects")
def list_prospects(request: Request, principal: StandardPrincipal, params: ListParams) -> Response:
    org = principal.organization_id
    return read_page(request, lambda conn: service.list_prospects(conn, org, params), prospect_json)


@router.get(
    "/{prospectId}", response_model=Prospect, responses=item_responses(), summary="Get a prospect"
)
def get_prospect(request: Request, principal: StandardPrincipal, prospectId: str) -> Response:
    org = principal.organization_id
    return read_item(
        request, lambda conn: service.get_prospect(conn, org, prospectId), prospect_json
    )


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
    org = principal.organization_id
    return read_page(
        request,
        lambda conn: service.list_activities(conn, org, prospectId, params),
        activity_json,
    )
