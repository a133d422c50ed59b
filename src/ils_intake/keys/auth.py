"""Key authentication as FastAPI dependencies, and the OpenAPI security schemes they declare."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request, Security
from fastapi.security import APIKeyHeader

from ils_intake.db.engine import transaction
from ils_intake.http import engine_of
from ils_intake.keys.service import Principal, authenticate
from ils_intake.keys.tokens import KeyKind

ILS_KEY_SCHEME = "IlsApiKey"
# The intake route reads its key itself (see prospects/intake.py); this declares the scheme.
ils_key_header = APIKeyHeader(
    name="x-api-key",
    scheme_name=ILS_KEY_SCHEME,
    description="The dedicated ILS key (`ils_...`) issued to your listing service.",
    auto_error=False,
)
standard_key_header = APIKeyHeader(
    name="x-api-key",
    scheme_name="ApiKey",
    description="Your organization's standard API key (`fk_...`).",
    auto_error=False,
)


def standard_principal(
    request: Request, raw_key: Annotated[str | None, Security(standard_key_header)]
) -> Principal:
    """The organization a `/v1` request reads as; ILS keys are refused here."""
    with transaction(engine_of(request), write=False) as conn:
        return authenticate(conn, raw_key, kind=KeyKind.STANDARD)


StandardPrincipal = Annotated[Principal, Security(standard_principal)]
