"""An unreachable database is a quick 503 problem with Retry-After, `/readyz` says not ready, and
the service heals by itself once the database is back, with no stale pooled connection failing
the first requests after it. PostgreSQL is cut through a fault-injecting proxy; SQLite, which has
no network to lose, is held locked by another writer.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from ils_intake.app import create_app
from ils_intake.config import Settings
from tests.builders import INTAKE, Tenant, make_prospect_payload
from tests.faults.proxy import FaultProxy, Mode

pytestmark = pytest.mark.slow

MARGIN = 1.5  # seconds of slack over a configured timeout, for a loaded 2-core machine


def _person(tenant: Tenant, n: int) -> dict[str, Any]:
    return make_prospect_payload(tenant, phoneNumber=f"212555{n:04d}", emailAddress=f"p{n}@x.org")


def _assert_unavailable(response: httpx.Response, settings: Settings) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == str(settings.retry_after_seconds)
    assert response.json()["status"] == 503
    for internal in ("psycopg", "Traceback", "SELECT", "127.0.0.1"):
        assert internal not in response.text


def _timed(call: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.fixture
def proxied(settings: Settings, engine: Engine) -> Iterator[tuple[FaultProxy, Settings]]:  # noqa: ARG001
    with FaultProxy(settings.database_url) as proxy:
        yield (
            proxy,
            settings.model_copy(update={"database_url": proxy.url, "retry_after_seconds": 7}),
        )


@pytest.mark.parametrize("backend", ["postgresql"])
@pytest.mark.parametrize("mode", [Mode.REFUSE, Mode.BLACKHOLE])
def test_unreachable_database_is_a_bounded_503_and_heals(
    proxied: tuple[FaultProxy, Settings], tenant: Tenant, mode: Mode
) -> None:
    proxy, settings = proxied
    bound = (0 if mode is Mode.REFUSE else settings.db_connect_timeout) + MARGIN
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.post(INTAKE, json=_person(tenant, 1), headers=tenant.headers()).is_success
        assert client.get("/readyz").json() == {"status": "ready"}

        proxy.set_mode(mode)
        response, elapsed = _timed(
            lambda: client.post(INTAKE, json=_person(tenant, 2), headers=tenant.headers())
        )
        _assert_unavailable(response, settings)
        assert elapsed < bound
        response, elapsed = _timed(lambda: client.get("/readyz"))
        _assert_unavailable(response, settings)
        assert elapsed < bound
        assert client.get("/healthz").status_code == 200  # alive, just not ready

        proxy.set_mode(Mode.FORWARD)
        retried = client.post(INTAKE, json=_person(tenant, 2), headers=tenant.headers())
        assert retried.status_code == 200, retried.text
        assert client.get("/readyz").status_code == 200


@pytest.mark.parametrize("backend", ["postgresql"])
def test_connections_cut_while_idle_do_not_fail_the_next_request(
    proxied: tuple[FaultProxy, Settings], tenant: Tenant
) -> None:
    proxy, settings = proxied
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.post(INTAKE, json=_person(tenant, 1), headers=tenant.headers()).is_success
        proxy.set_mode(Mode.REFUSE)  # the database restarts while nobody is asking
        proxy.set_mode(Mode.FORWARD)
        for n in range(2, 5):
            response = client.post(INTAKE, json=_person(tenant, n), headers=tenant.headers())
            assert response.status_code == 200, response.text


@pytest.mark.parametrize("backend", ["postgresql"])
def test_outage_under_concurrency_is_bounded_by_pool_and_connect_timeouts(
    proxied: tuple[FaultProxy, Settings], tenant: Tenant
) -> None:
    proxy, base = proxied
    settings = base.model_copy(update={"db_pool_size": 2, "db_pool_timeout": 1.0})
    bound = settings.db_pool_timeout + settings.db_connect_timeout + MARGIN

    async def burst() -> list[tuple[int, float]]:
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

            async def post(n: int) -> tuple[int, float]:
                started = time.monotonic()
                response = await client.post(
                    INTAKE, json=_person(tenant, n), headers=tenant.headers()
                )
                return response.status_code, time.monotonic() - started

            assert (await post(0))[0] == 200
            proxy.set_mode(Mode.BLACKHOLE)
            results = await asyncio.gather(*(post(n) for n in range(1, 7)))
            proxy.set_mode(Mode.FORWARD)
            assert (await post(7))[0] == 200
        app.state.engine.dispose()
        return results

    results = asyncio.run(burst())
    assert [status for status, _ in results] == [503] * 6
    assert max(elapsed for _, elapsed in results) < bound


@pytest.mark.parametrize("backend", ["sqlite"])
def test_locked_sqlite_is_a_bounded_503_and_clears(settings: Settings, tenant: Tenant) -> None:
    settings = settings.model_copy(update={"sqlite_busy_timeout_ms": 300})
    path = make_url(settings.database_url).database
    assert path is not None
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        holder = sqlite3.connect(path, isolation_level=None)
        try:
            holder.execute("BEGIN IMMEDIATE")
            response, elapsed = _timed(
                lambda: client.post(INTAKE, json=_person(tenant, 1), headers=tenant.headers())
            )
            _assert_unavailable(response, settings)
            assert elapsed < 0.3 + MARGIN
        finally:
            holder.rollback()
            holder.close()
        assert client.post(INTAKE, json=_person(tenant, 1), headers=tenant.headers()).is_success


@pytest.mark.parametrize("backend", ["sqlite"])
def test_readyz_is_503_when_sqlite_cannot_be_opened(settings: Settings, tmp_path: Any) -> None:
    missing = settings.model_copy(
        update={"database_url": f"sqlite:///{tmp_path / 'no-such-dir' / 'db.sqlite'}"}
    )
    with TestClient(create_app(missing), raise_server_exceptions=False) as client:
        _assert_unavailable(client.get("/readyz"), missing)
