"""The error hierarchy and the one place that renders RFC 9457 problem JSON.

Services raise these; handlers in `app.py` turn them, validation errors, database outages and
anything unexpected into `application/problem+json` bodies that carry no internals.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

PROBLEM_JSON = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(description="the request's own camelCase field name")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, as every error of this service is rendered."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] | None = None


class IntakeError(Exception):
    """An error with an HTTP meaning; `extra` members are added to the problem body."""

    status: int = 500

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra


class InvalidPayload(IntakeError):
    status = 400

    def __init__(self, errors: list[FieldError]) -> None:
        count = len(errors)
        detail = "1 field is invalid" if count == 1 else f"{count} fields are invalid"
        super().__init__(detail, errors=errors)


class BadRequest(IntakeError):
    status = 400


class Unauthorized(IntakeError):
    status = 401

    def __init__(self, detail: str = "a valid API key is required in x-api-key") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'ApiKey header="x-api-key"'})


class NotFound(IntakeError):
    status = 404


class Conflict(IntakeError):
    status = 409


class PayloadTooLarge(IntakeError):
    status = 413


class UnsupportedMediaType(IntakeError):
    status = 415


class ServiceUnavailable(IntakeError):
    status = 503


def problem_body(
    status: int,
    detail: str | None = None,
    *,
    errors: list[FieldError] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
    }
    if detail is not None:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = [e.model_dump() for e in errors]
    body.update(extra)
    return body


def render(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, separators=(",", ":")).encode(),
        status_code=body["status"],
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def render_error(exc: IntakeError) -> Response:
    body = problem_body(exc.status, exc.detail, errors=exc.errors, **exc.extra)
    return render(body, exc.headers)


def openapi_problem(description: str) -> dict[str, Any]:
    """An OpenAPI `responses` entry for a problem JSON answer."""
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
