"""Simultaneous posts of one new person create exactly one prospect, on both databases.

The requests run concurrently through the ASGI app: each is served on its own worker thread
with its own database connection, so the unique indexes, not the code, settle the race.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import Engine, func, select

from ils_intake.app import create_app
from ils_intake.config import Settings
from ils_intake.db.tables import prospect, prospect_activity
from tests.builders import INTAKE, Tenant, make_prospect_payload

SIMULTANEOUS = 16


async def _post_all(settings: Settings, payloads: list[dict[str, Any]], key: str) -> list[Any]:
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    headers = {"x-api-key": key}
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        start = asyncio.Event()

        async def post(payload: dict[str, Any]) -> httpx.Response:
            await start.wait()
            return await client.post(INTAKE, json=payload, headers=headers)

        tasks = [asyncio.create_task(post(p)) for p in payloads]
        await asyncio.sleep(0)
        start.set()
        responses = await asyncio.gather(*tasks)
    app.state.engine.dispose()
    return responses


def _counts(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        prospects = conn.scalar(select(func.count()).select_from(prospect))
        activities = conn.scalar(select(func.count()).select_from(prospect_activity))
    return int(prospects or 0), int(activities or 0)


def test_simultaneous_posts_of_one_person_create_one_prospect(
    settings: Settings, engine: Engine, tenant: Tenant
) -> None:
    payloads = [make_prospect_payload(tenant)] * SIMULTANEOUS
    responses = asyncio.run(_post_all(settings, payloads, tenant.ils_key))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * (SIMULTANEOUS - 1)
    created = next(r.json()["id"] for r in responses if r.status_code == 200)
    assert {r.json()["existingProspectId"] for r in responses if r.status_code == 409} == {created}
    assert _counts(engine) == (1, SIMULTANEOUS - 1)


def test_simultaneous_spellings_of_one_phone_create_one_prospect(
    settings: Settings, engine: Engine, tenant: Tenant
) -> None:
    spellings = ["5553211234", "(555) 321-1234", "+1 555 321 1234", "555.321.1234"]
    payloads = [
        make_prospect_payload(tenant, phoneNumber=spellings[i % 4], emailAddress=f"p{i}@x.org")
        for i in range(SIMULTANEOUS)
    ]
    responses = asyncio.run(_post_all(settings, payloads, tenant.ils_key))
    assert sorted(r.status_code for r in responses) == [200] + [409] * (SIMULTANEOUS - 1)
    assert _counts(engine) == (1, SIMULTANEOUS - 1)


def test_simultaneous_different_people_are_all_created(
    settings: Settings, engine: Engine, tenant: Tenant
) -> None:
    payloads = [
        make_prospect_payload(tenant, phoneNumber=f"212555{i:04d}", emailAddress=f"p{i}@x.org")
        for i in range(SIMULTANEOUS)
    ]
    responses = asyncio.run(_post_all(settings, payloads, tenant.ils_key))
    assert [r.status_code for r in responses] == [200] * SIMULTANEOUS
    assert _counts(engine) == (SIMULTANEOUS, 0)
