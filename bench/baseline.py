"""The raw baseline: the least a lead intake can do, on Starlette and asyncpg.

It checks the key by its SHA-256 hash, parses the JSON, and does one
`INSERT ... ON CONFLICT DO NOTHING` into `baseline_prospect`, a table of the prospect's shape
(same columns and unique indexes). No validation beyond required fields, no intake log, no
transaction of several statements: the ceiling the real service is compared against.
Served by uvicorn with the service's own server options (`python -m bench.baseline`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import asyncpg
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ils_intake.cli import SERVER_OPTIONS

POOL_SIZE = int(os.environ.get("ILS_INTAKE_DB_POOL_SIZE", "10"))
FIND_KEY = (
    "SELECT id, organization_id, vendor FROM api_key "
    "WHERE key_hash = $1 AND kind = 'ils' AND revoked_at IS NULL"
)
INSERT = """
INSERT INTO baseline_prospect (
    id, organization_id, property_id, first_name, last_name, phone_number, phone_e164,
    email_address, email_normalized, n_beds, n_baths, move_in_date, preferred_unit,
    preferred_floor_plan_id, message, source, api_key_id, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)
ON CONFLICT DO NOTHING RETURNING id
"""
pool: asyncpg.Pool | None = None


@asynccontextmanager
async def lifespan(_app: Starlette) -> AsyncIterator[None]:
    global pool
    pool = await asyncpg.create_pool(
        os.environ["BENCH_DATABASE_URL"], min_size=1, max_size=POOL_SIZE
    )
    yield
    await pool.close()


def problem(status: int) -> Response:
    return JSONResponse({"status": status}, status_code=status)


async def create_prospect(request: Request) -> Response:
    raw_key = request.headers.get("x-api-key")
    if not raw_key:
        return problem(401)
    try:
        data = json.loads(await request.body())
    except ValueError:
        return problem(400)
    if not isinstance(data, dict) or not all(
        isinstance(data.get(name), str) and data[name]
        for name in ("propertyId", "firstName", "lastName")
    ):
        return problem(400)
    phone, email = data.get("phoneNumber"), data.get("emailAddress")
    if (
        not isinstance(phone, str | None)
        or not isinstance(email, str | None)
        or not (phone or email)
    ):
        return problem(400)
    assert pool is not None
    async with pool.acquire() as conn:
        key = await conn.fetchrow(FIND_KEY, hashlib.sha256(raw_key.encode()).hexdigest())
        if key is None:
            return problem(401)
        prospect_id, now = str(uuid.uuid4()), datetime.now(UTC)
        inserted = await conn.fetchval(
            INSERT,
            prospect_id,
            key["organization_id"],
            data["propertyId"].lower(),
            data["firstName"],
            data.get("lastName") or "",
            phone,
            "+" + "".join(c for c in phone if c.isdigit()) if phone else None,
            email,
            email.strip().lower() if email else None,
            data.get("nBeds"),
            _baths(data.get("nBaths")),
            date.fromisoformat(data["moveInDate"]) if data.get("moveInDate") else None,
            data.get("preferredUnit"),
            data.get("preferredFloorPlanId"),
            data.get("message"),
            key["vendor"],
            key["id"],
            now,
        )
    if inserted is None:
        return problem(409)
    return JSONResponse({"id": prospect_id, **data, "createdAt": now.isoformat()})


def _baths(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


async def healthz(_request: Request) -> Response:
    return JSONResponse({"status": "ok"})


app = Starlette(
    routes=[
        Route("/external-api/ils-prospects", create_prospect, methods=["POST"]),
        Route("/healthz", healthz),
    ],
    lifespan=lifespan,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    uvicorn.run(
        "bench.baseline:app",
        host="127.0.0.1",
        port=args.port,
        workers=args.workers,
        **SERVER_OPTIONS,
    )


if __name__ == "__main__":
    main()
