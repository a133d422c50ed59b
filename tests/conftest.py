"""Real databases for every storage test: SQLite in a temp file and PostgreSQL in a fresh
database of its own, both migrated once per run, with the tables emptied before each test.

PostgreSQL cases are skipped when the server cannot be reached, unless
ILS_INTAKE_REQUIRE_POSTGRES=1 (as CI sets it), in which case they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete

from ils_intake.app import create_app
from ils_intake.config import Settings
from ils_intake.db import migrate
from ils_intake.db.engine import build_engine, transaction
from ils_intake.db.tables import metadata
from tests.builders import Tenant, make_tenant

POSTGRES_ADMIN = os.environ.get(
    "ILS_INTAKE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("ILS_INTAKE_REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite", "postgresql"]


def _admin_dsn() -> str:
    return POSTGRES_ADMIN.replace("postgresql+psycopg://", "postgresql://")


def _create_postgres_database() -> str:
    name = f"ils_intake_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(_admin_dsn(), autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL unreachable at {POSTGRES_ADMIN}: {exc}"
        if REQUIRE_POSTGRES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return name


def _drop_postgres_database(name: str) -> None:
    with psycopg.connect(_admin_dsn(), autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Lazily created, migrated database URLs per backend, dropped at the end of the run."""
    created: list[str] = []

    class Lazy(dict[str, str]):
        def __missing__(self, backend: str) -> str:
            if backend == "sqlite":
                url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
            else:
                name = _create_postgres_database()
                created.append(name)
                base = _admin_dsn().rsplit("/", 1)[0]
                url = f"{base}/{name}"
            engine = build_engine(Settings(database_url=url))
            migrate.upgrade(engine)
            engine.dispose()
            self[backend] = url
            return url

    lazy = Lazy()
    yield lazy
    for name in created:
        _drop_postgres_database(name)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def settings(backend: str, database_urls: dict[str, str]) -> Settings:
    return Settings(database_url=database_urls[backend], log_json=True)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """An engine over an emptied, migrated database of the current backend."""
    engine = build_engine(settings)
    with transaction(engine) as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(delete(table))
    yield engine
    engine.dispose()


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:  # noqa: ARG001
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def tenant(engine: Engine) -> Tenant:
    """An organization with two properties, floor plans, units and keys of every kind."""
    return make_tenant(engine)


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    return tmp_path / "ils-intake.db"
