"""Migrations build exactly the schema the code declares, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from ils_intake.db import migrate
from ils_intake.db.tables import metadata


def test_migrated_schema_matches_the_tables(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_upgrade_is_idempotent(engine: Engine) -> None:
    migrate.upgrade(engine)
    names = set(inspect(engine).get_table_names())
    assert {"prospect", "api_key", "intake_log", "prospect_activity", "unit"} <= names


def test_duplicate_contacts_are_unique_indexes(engine: Engine) -> None:
    indexes = inspect(engine).get_indexes("prospect")
    unique = {tuple(ix["column_names"]) for ix in indexes if ix["unique"]}
    assert {("property_id", "phone_e164"), ("property_id", "email_normalized")} <= unique
