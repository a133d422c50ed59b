"""Fifty simultaneous posts under one Idempotency-Key create one prospect, on both databases:
the (api key, Idempotency-Key) primary key lets one request claim it, the rest replay or get 409.
"""

from __future__ import annotations

import asyncio
import json

import httpx
from sqlalchemy import Engine, func, select

from ils_intake.app import create_app
from ils_intake.config import Settings
from ils_intake.db.tables import idempotency_record, intake_log, prospect
from tests.builders import INTAKE, Tenant, make_prospect_payload

SIMULTANEOUS = 50


async def _post_all(
    settings: Settings, body: bytes, headers: dict[str, str]
) -> list[httpx.Response]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        start = asyncio.Event()

        async def post() -> httpx.Response:
            await start.wait()
            return await client.post(INTAKE, content=body, headers=headers)

        tasks = [asyncio.create_task(post()) for _ in range(SIMULTANEOUS)]
        await asyncio.sleep(0)
        start.set()
        responses = await asyncio.gather(*tasks)
    app.state.engine.dispose()
    return responses


def test_simultaneous_posts_with_one_key_create_one_prospect(
    settings: Settings, engine: Engine, tenant: Tenant
) -> None:
    body = json.dumps(make_prospect_payload(tenant)).encode()
    headers = tenant.headers() | {"Idempotency-Key": "burst-1"}
    responses = asyncio.run(_post_all(settings, body, headers))

    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {200, 409}, statuses
    originals = [r for r in responses if "idempotent-replayed" not in r.headers]
    replays = [r for r in responses if r.headers.get("idempotent-replayed") == "true"]
    in_flight = [r for r in originals if r.status_code == 409]
    assert [r.status_code for r in originals if r.status_code == 200] == [200]
    assert len(originals) + len(replays) == SIMULTANEOUS
    created = next(r for r in originals if r.status_code == 200)
    assert all(r.content == created.content for r in replays)
    assert all("still being processed" in r.json()["detail"] for r in in_flight)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(prospect)) == 1
        assert conn.scalar(select(func.count()).select_from(intake_log)) == 1
        record = conn.execute(select(idempotency_record)).one()
    assert (record.status, record.response_body) == (200, created.content)
