"""Fixtures for FQL tests: one small prospect-like table, loaded into SQLite and PostgreSQL.

Every database test runs on both backends, because the point of FQL is that one filter means
the same rows everywhere. PostgreSQL cases use a fresh database on the local server
(ILS_INTAKE_TEST_POSTGRES_URL overrides the admin URL) and are skipped when it cannot be
reached, unless ILS_INTAKE_REQUIRE_POSTGRES=1 makes that a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from sqlalchemy import URL, Engine, create_engine, make_url, select, text
from sqlalchemy.exc import OperationalError

from ils_intake.fql import FqlField, compile_filter, compile_sort

from .dataset import FIELDS, ROWS, metadata, prospects

POSTGRES_ADMIN: URL = make_url(
    os.environ.get("ILS_INTAKE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
).set(drivername="postgresql+psycopg")
BACKENDS = {"sqlite": "sqlite_engine", "postgresql": "postgres_engine"}


def _load(engine: Engine) -> Engine:
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(prospects.insert(), ROWS)
    return engine


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("fql") / "fql.sqlite3"
    engine = create_engine(f"sqlite+pysqlite:///{path}")
    yield _load(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    """A throw-away database on the local server, dropped at the end of the session."""
    admin = create_engine(
        POSTGRES_ADMIN, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with admin.connect():
            pass
    except OperationalError as exc:
        admin.dispose()
        if os.environ.get("ILS_INTAKE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but not reachable: {exc}")
        pytest.skip(f"PostgreSQL is not reachable: {exc}")
    name = f"ils_intake_fql_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(POSTGRES_ADMIN.set(database=name))
    try:
        yield _load(engine)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each database test once per backend."""
    backend: Engine = request.getfixturevalue(BACKENDS[request.param])
    return backend


@pytest.fixture(scope="session")
def fields() -> Mapping[str, FqlField]:
    return FIELDS


@pytest.fixture(scope="session")
def select_ids(engine: Engine) -> Callable[[str], set[int]]:
    """Run a filter on the test table and return the matching ids."""

    def run(filter_text: str) -> set[int]:
        query = select(prospects.c.id).where(compile_filter(filter_text, FIELDS))
        with engine.connect() as conn:
            return set(conn.scalars(query))

    return run


@pytest.fixture(scope="session")
def sorted_ids(engine: Engine) -> Callable[[str], list[int]]:
    """Run a sort on the test table, ties broken by id, and return the ids in order."""

    def run(sort_text: str) -> list[int]:
        query = select(prospects.c.id).order_by(*compile_sort(sort_text, FIELDS), prospects.c.id)
        with engine.connect() as conn:
            return list(conn.scalars(query))

    return run
