"""OpenAPI pieces shared by the `/v1` routers."""

from __future__ import annotations

from typing import Any

from ils_intake.problems import openapi_problem

TOTAL_COUNT = {
    "x-total-count": {"description": "items matching, across pages", "schema": {"type": "integer"}}
}


def list_responses() -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": "A bare JSON array; the total in x-total-count.",
            "headers": TOTAL_COUNT,
        },
        400: openapi_problem("Bad page, limit, sort or filter (the error says where)."),
        401: openapi_problem("Missing, unknown, revoked or expired key, or not a standard key."),
        404: openapi_problem("No such resource in this organization."),
        503: openapi_problem("Database unavailable; see Retry-After."),
    }


def item_responses() -> dict[int | str, dict[str, Any]]:
    return {
        401: openapi_problem("Missing, unknown, revoked or expired key, or not a standard key."),
        404: openapi_problem("No such resource in this organization."),
        503: openapi_problem("Database unavailable; see Retry-After."),
    }
