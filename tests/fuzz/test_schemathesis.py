"""Schemathesis against the live OpenAPI document of the ASGI app: positive and negative data,
authenticated with a real ILS key, every check on; zero failures is the bar.

Positive bodies are aimed at the tenant's property and floor plan, so most of them create a
prospect or match one. Some rules cannot be said in JSON Schema (a *possible* phone number,
an address email-validator accepts, text that is not only spaces), so a schema-valid body may
still get a 400 naming its field; and generated Idempotency-Keys repeat across bodies, which
is a 422 by contract. So positive data acceptance allows 400 and 422 besides its defaults.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import Case, GenerationMode
from sqlalchemy import Engine

from ils_intake.app import create_app
from ils_intake.config import Settings
from tests.builders import Tenant

MAX_EXAMPLES = 60
CHECKS: dict[str, Any] = {
    "enabled": True,
    "positive_data_acceptance": {
        "expected-statuses": ["2xx", "400", "401", "409", "413", "422", "429"],
    },
}


def _fuzz(settings: Settings, tenant: Tenant, mode: GenerationMode) -> None:
    app = create_app(settings.model_copy(update={"auth_failure_limit": "1000000/hour"}))
    config = schemathesis.Config.from_dict({"checks": CHECKS})
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    headers = {"x-api-key": tenant.ils_key}

    @given(case=schema.as_strategy(mode))
    @hypothesis_settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Case) -> None:
        if mode is GenerationMode.POSITIVE and isinstance(case.body, dict):
            case.body["propertyId"] = tenant.property_id
            if case.body.get("preferredFloorPlanId") is not None:
                case.body["preferredFloorPlanId"] = tenant.floor_plan_id
        case.call_and_validate(headers=headers)

    check()


def test_positive_data(settings: Settings, engine: Engine, tenant: Tenant) -> None:  # noqa: ARG001
    _fuzz(settings, tenant, GenerationMode.POSITIVE)


def test_negative_data(settings: Settings, engine: Engine, tenant: Tenant) -> None:  # noqa: ARG001
    _fuzz(settings, tenant, GenerationMode.NEGATIVE)
