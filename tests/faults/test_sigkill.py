"""SIGKILL under load loses no acknowledged lead: a client keeps a ledger of every 200 while the
server (its whole process group) is killed; after a restart each ledger entry is in the database
exactly once, with the contact it was posted with, and logged as created.
"""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, func, select

from ils_intake.config import Settings
from ils_intake.db.tables import intake_log, prospect
from tests.builders import INTAKE, Tenant, make_prospect_payload
from tests.faults.server import start_server

pytestmark = pytest.mark.slow

CLIENTS = 6
ACKNOWLEDGED_BEFORE_KILL = 60


@pytest.mark.parametrize(("backend", "workers"), [("sqlite", 1), ("postgresql", 2)])
def test_every_acknowledged_prospect_survives_sigkill(
    settings: Settings, engine: Engine, tenant: Tenant, tmp_path: Path, workers: int
) -> None:
    server = start_server(settings.database_url, workers=workers, workdir=tmp_path)
    ledger: dict[str, tuple[str, str]] = {}  # prospect id -> the contacts it was posted with
    unexpected: list[str] = []
    numbers = itertools.count()
    stop = threading.Event()

    def post_until_stopped() -> None:
        with httpx.Client(base_url=server.base_url, timeout=10) as client:
            while not stop.is_set():
                n = next(numbers)
                email, phone = f"ledger{n}@x.org", f"+4420{n:08d}"
                payload = make_prospect_payload(tenant, emailAddress=email, phoneNumber=phone)
                try:
                    response = client.post(INTAKE, json=payload, headers=tenant.headers())
                except httpx.TransportError:
                    continue  # no answer: not acknowledged, so not in the ledger
                if response.status_code == 200:
                    ledger[response.json()["id"]] = (email, phone)
                else:
                    unexpected.append(f"{response.status_code} {response.text}")

    clients = [threading.Thread(target=post_until_stopped) for _ in range(CLIENTS)]
    try:
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 30
        while len(ledger) < ACKNOWLEDGED_BEFORE_KILL:
            assert time.monotonic() < deadline, f"too few acknowledgements: {len(ledger)}"
            time.sleep(0.01)
        server.kill()  # mid-stream: requests of every client are in flight
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=15)
        server.kill()
    assert unexpected == []
    acknowledged = dict(ledger)

    restarted = start_server(settings.database_url, workers=workers, workdir=tmp_path)
    try:
        after = make_prospect_payload(tenant, emailAddress="after@x.org", phoneNumber=None)
        response = httpx.post(
            f"{restarted.base_url}{INTAKE}", json=after, headers=tenant.headers(), timeout=10
        )
        assert response.status_code == 200, response.text
    finally:
        restarted.kill()

    with engine.connect() as conn:
        stored = {
            row.id: (row.email_normalized, row.phone_e164)
            for row in conn.execute(
                select(prospect.c.id, prospect.c.email_normalized, prospect.c.phone_e164).where(
                    prospect.c.id.in_(acknowledged)
                )
            )
        }
        emails = [email for email, _ in acknowledged.values()]
        per_email = dict(
            conn.execute(
                select(prospect.c.email_normalized, func.count())
                .where(prospect.c.email_normalized.in_(emails))
                .group_by(prospect.c.email_normalized)
            ).all()
        )
        logged = set(
            conn.scalars(
                select(intake_log.c.prospect_id).where(
                    intake_log.c.status == 200, intake_log.c.prospect_id.in_(acknowledged)
                )
            )
        )
    assert stored == acknowledged
    assert per_email == dict.fromkeys(emails, 1)
    assert logged == set(acknowledged)
