"""`/v1/properties`: the organization reads its properties, floor plans and units."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ils_intake.keys.auth import StandardPrincipal
from ils_intake.listing import ListParams, read_item, read_page
from ils_intake.properties import reads
from ils_intake.properties.fields import floor_plan_json, property_json, unit_json
from ils_intake.properties.schemas import FloorPlan, Property, Unit
from ils_intake.v1 import item_responses, list_responses

router = APIRouter(prefix="/v1/properties", tags=["organization API"])


@router.get(
    "", response_model=list[Property], responses=list_responses(), summary="List properties"
)
def list_properties(request: Request, principal: StandardPrincipal, params: ListParams) -> Response:
    org = principal.organization_id
    return read_page(request, lambda conn: reads.list_properties(conn, org, params), property_json)


@router.get(
    "/{propertyId}", response_model=Property, responses=item_responses(), summary="Get a property"
)
def get_property(request: Request, principal: StandardPrincipal, propertyId: str) -> Response:
    org = principal.organization_id
    return read_item(request, lambda conn: reads.get_property(conn, org, propertyId), property_json)


@router.get(
    "/{propertyId}/floorPlans",
    response_model=list[FloorPlan],
    responses=list_responses(),
    summary="List a property's floor plans",
)
def list_floor_plans(
    request: Request,
    principal: StandardPrincipal,
    propertyId: str,
    params: ListParams,
) -> Response:
    org = principal.organization_id
    return read_page(
        request,
        lambda conn: reads.list_floor_plans(conn, org, propertyId, params),
        floor_plan_json,
    )


@router.get(
    "/{propertyId}/units",
    response_model=list[Unit],
    responses=list_responses(),
    summary="List a property's units",
)
def list_units(
    request: Request,
    principal: StandardPrincipal,
    propertyId: str,
    params: ListParams,
) -> Response:
    org = principal.organization_id
    return read_page(
        request, lambda conn: reads.list_units(conn, org, propertyId, params), unit_json
    )
