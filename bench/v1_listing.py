"""Benchmark: `GET /v1/prospects` with FQL filters over 1,000,000 prospects on PostgreSQL.

Creates a fresh database, migrates it, bulk-loads one organization's prospects with
generate_series, serves the API with one worker on loopback, and times each filter through HTTP.
The baseline, in the same run, is the bare SQL of the same page and count run straight on
psycopg; the ratio shows what the HTTP, auth, FQL and JSON layers add.

    .venv/bin/python bench/v1_listing.py [--rows 1000000] [--requests 200]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql

from ils_intake.config import Settings
from ils_intake.db import migrate
from ils_intake.db.engine import build_engine, transaction
from ils_intake.db.tables import prospect
from ils_intake.fql import compile_filter
from ils_intake.keys import service as keys_service
from ils_intake.keys.tokens import KeyKind
from ils_intake.organizations import service as organizations_service
from ils_intake.prospects.fields import PROSPECT_COLUMNS, PROSPECT_FIELDS

ADMIN = os.environ.get("ILS_INTAKE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
PROPERTIES = 20
VENDORS = ["Zillow", "Apartments.com", "Rent.com", "Zumper", "HotPads"]

LOAD_SQL = """
INSERT INTO prospect (id, organization_id, property_id, first_name, last_name, phone_number,
  phone_e164, email_address, email_normalized, n_beds, n_baths, move_in_date, preferred_unit,
  message, source, api_key_id, created_at, updated_at)
SELECT gen_random_uuid()::text, %(org)s, (%(props)s::text[])[1 + i %% {props}],
  'First' || (i %% 500), 'Last' || (i %% 2000),
  '555' || lpad(i::text, 7, '0'), '+1555' || lpad(i::text, 7, '0'),
  'p' || i || '@example.com', 'p' || i || '@example.com',
  i %% 4, (i %% 3) + 1, date '2026-01-01' + (i %% 300), NULL, 'hello',
  (%(vendors)s::text[])[1 + i %% {vendors}], %(key)s,
  %(now)s - make_interval(secs => i * 31.5), %(now)s - make_interval(secs => i * 31.5)
FROM generate_series(1, %(rows)s) AS i
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _setup(url: str, rows: int) -> tuple[str, list[str], str]:
    engine = build_engine(Settings(database_url=url))
    migrate.upgrade(engine)
    with transaction(engine) as conn:
        org = organizations_service.create_organization(conn, "Bench Residential")["id"]
        now = datetime.now(UTC)
        property_ids = [str(uuid.uuid4()) for _ in range(PROPERTIES)]
        for index, property_id in enumerate(property_ids):
            conn.exec_driver_sql(
                "INSERT INTO property (id, organization_id, name, timezone, created_at, updated_at)"
                " VALUES (%s, %s, %s, 'America/Chicago', %s, %s)",
                (property_id, org, f"Property {index}", now, now),
            )
        ils = keys_service.create_key(conn, kind=KeyKind.ILS, organization_id=org, vendor="Bench")
        std = keys_service.create_key(conn, kind=KeyKind.STANDARD, organization_id=org)
    engine.dispose()
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            LOAD_SQL.format(props=PROPERTIES, vendors=len(VENDORS)),
            {
                "org": org,
                "props": property_ids,
                "vendors": VENDORS,
                "key": ils.id,
                "now": datetime.now(UTC),
                "rows": rows,
            },
        )
        conn.execute("VACUUM ANALYZE prospect")
    print(f"loaded {rows:,} prospects in {time.perf_counter() - started:.1f} s")
    return org, property_ids, std.key


def _raw_sql(org: str, expression: str) -> tuple[str, str]:
    """The page query and the count query the endpoint runs, as literal SQL for psycopg."""
    condition = [prospect.c.organization_id == org]
    if expression:
        condition.append(compile_filter(expression, PROSPECT_FIELDS))
    page = (
        select(*PROSPECT_COLUMNS)
        .where(*condition)
        .order_by(prospect.c.created_at.desc(), prospect.c.id)
        .limit(10)
    )
    count = select(func.count()).select_from(prospect).where(*condition)
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    compile_kwargs = {"literal_binds": True}
    return (
        str(page.compile(dialect=dialect, compile_kwargs=compile_kwargs)),
        str(count.compile(dialect=dialect, compile_kwargs=compile_kwargs)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    name = f"ils_intake_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = ADMIN.rsplit("/", 1)[0] + f"/{name}"
    server = None
    try:
        org, property_ids, key = _setup(url, args.rows)
        week = (datetime.now(UTC) - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")
        month = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y-%m-%d")
        filters = {
            "last 7 days": f'createdAt >= "{week}"',
            "one property, 30 days": f'propertyId = "{property_ids[3]}" and createdAt >= "{month}"',
            "one source, 30 days": f'source = "Zillow" and createdAt >= "{month}"',
            "last name": 'lastName = "Last42"',
            "last name or source, 7 days": (
                f'(lastName = "Last7" or source = "Zumper") and createdAt >= "{week}"'
            ),
            "unfiltered": "",
        }
        port = _free_port()
        env = dict(os.environ, ILS_INTAKE_DATABASE_URL=url, ILS_INTAKE_LOG_LEVEL="WARNING")
        server = subprocess.Popen(
            [sys.executable, "-m", "ils_intake", "serve", "--port", str(port)], env=env
        )
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, headers={"x-api-key": key}, timeout=30) as client:
            for _ in range(100):
                try:
                    client.get("/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            print(f"\n{args.requests} sequential requests per filter, 1 worker, limit 10\n")
            header = (
                f"{'filter':30} {'total':>9} {'p50 ms':>8} {'p95 ms':>8}"
                f" {'SQL p95':>8} {'ratio':>6}"
            )
            print(header)
            print("-" * len(header))
            with psycopg.connect(url) as raw:
                for label, expression in filters.items():
                    params = {"filter": expression} if expression else {}
                    http_ms: list[float] = []
                    total = "?"
                    for _ in range(args.requests):
                        started = time.perf_counter()
                        response = client.get("/v1/prospects", params=params)
                        http_ms.append((time.perf_counter() - started) * 1000)
                        assert response.status_code == 200, response.text
                        total = response.headers["x-total-count"]
                    page_sql, count_sql = _raw_sql(org, expression)
                    sql_ms: list[float] = []
                    for _ in range(args.requests):
                        started = time.perf_counter()
                        raw.execute(count_sql).fetchone()
                        raw.execute(page_sql).fetchall()
                        sql_ms.append((time.perf_counter() - started) * 1000)
                    p95, sql_p95 = _percentile(http_ms, 95), _percentile(sql_ms, 95)
                    print(
                        f"{label:30} {total:>9} {statistics.median(http_ms):8.1f} {p95:8.1f}"
                        f" {sql_p95:8.1f} {p95 / sql_p95:6.2f}"
                    )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with psycopg.connect(ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
