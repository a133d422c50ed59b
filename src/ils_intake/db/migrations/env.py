"""Alembic environment: runs against the connection or URL handed over by `db.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from ils_intake.config import Settings
from ils_intake.db.engine import build_engine
from ils_intake.db.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = build_engine(Settings(database_url=context.config.get_main_option("sqlalchemy.url")))
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()
