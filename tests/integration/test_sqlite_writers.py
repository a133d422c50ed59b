"""SQLite writers of one process queue on our lock, not on SQLite's sleeping busy handler."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import text

from ils_intake.config import Settings
from ils_intake.db.engine import build_engine, transaction


def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path: Path) -> None:
    # With no busy timeout, SQLite itself would refuse the second BEGIN IMMEDIATE at once.
    engine = build_engine(
        Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", sqlite_busy_timeout_ms=0)
    )
    with transaction(engine) as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    first_holds, errors = threading.Event(), list[BaseException]()

    def second_writer() -> None:
        try:
            with transaction(engine) as conn:
                conn.execute(text("INSERT INTO t VALUES (2)"))
        except BaseException as exc:  # recorded for the assertion below
            errors.append(exc)

    with transaction(engine) as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        thread = threading.Thread(target=second_writer)
        thread.start()
        first_holds.wait(0.2)  # the second writer is now queued behind this transaction
    thread.join(5)
    with transaction(engine, write=False) as conn:
        assert conn.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 2]
    assert errors == []
    engine.dispose()
