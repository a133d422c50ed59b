"""SIGTERM drains: a request in flight when the signal arrives completes with its real status,
and the server exits cleanly once it has. The request is held in flight deterministically by a
write lock the test takes in the database and releases after signalling.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from ils_intake.config import Settings
from ils_intake.db.tables import prospect
from tests.builders import INTAKE, Tenant, make_prospect_payload
from tests.faults.server import start_server

pytestmark = pytest.mark.slow


@contextmanager
def _prospect_table_locked(database_url: str) -> Iterator[Callable[[], bool]]:
    """Hold writes to `prospect` until the block ends; yields "is a writer waiting on it?"."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        holder = sqlite3.connect(url.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            # SQLite cannot show its waiters: give the request time to reach its BEGIN IMMEDIATE.
            # Were it not in flight, SIGTERM would end the server at once and the test would fail.
            yield lambda: time.sleep(0.5) is None
        finally:
            holder.rollback()
            holder.close()
        return
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as holder, psycopg.connect(dsn, autocommit=True) as observer:
        holder.execute("LOCK TABLE prospect IN SHARE ROW EXCLUSIVE MODE")

        def waiting() -> bool:
            query = (
                "SELECT count(*) FROM pg_locks"
                " WHERE NOT granted AND relation = 'prospect'::regclass"
            )
            row = observer.execute(query).fetchone()
            return bool(row and row[0])

        yield waiting
        holder.rollback()


@pytest.mark.parametrize(("backend", "workers"), [("sqlite", 1), ("postgresql", 2)])
def test_sigterm_lets_the_request_in_flight_finish(
    settings: Settings, engine: Engine, tenant: Tenant, tmp_path: Path, workers: int
) -> None:
    server = start_server(
        settings.database_url,
        workers=workers,
        workdir=tmp_path,
        env={"ILS_INTAKE_SQLITE_BUSY_TIMEOUT_MS": "20000"},
    )
    outcome: dict[str, Any] = {}

    def post() -> None:
        try:
            outcome["response"] = httpx.post(
                f"{server.base_url}{INTAKE}",
                json=make_prospect_payload(tenant),
                headers=tenant.headers(),
                timeout=30,
            )
        except httpx.HTTPError as exc:
            outcome["error"] = repr(exc)

    request = threading.Thread(target=post)
    try:
        with _prospect_table_locked(settings.database_url) as writer_waiting:
            request.start()
            deadline = time.monotonic() + 10
            while not writer_waiting():
                assert time.monotonic() < deadline, "the request never reached the database"
                time.sleep(0.02)
            server.process.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            assert server.process.poll() is None, "the server quit with a request in flight"
            assert request.is_alive()
        request.join(timeout=20)
        assert "error" not in outcome, outcome
        response = outcome["response"]
        assert response.status_code == 200, response.text
        # uvicorn re-raises the signal once drained, so a supervisor sees why it stopped
        assert server.process.wait(timeout=20) in (0, -signal.SIGTERM)
    finally:
        server.kill()
    with engine.connect() as conn:
        stored = conn.scalar(select(prospect.c.id).where(prospect.c.id == response.json()["id"]))
    assert stored == response.json()["id"]
