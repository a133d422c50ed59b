"""Engine construction and the one transaction helper every caller goes through.

SQLite runs in WAL mode with a busy timeout, and write transactions start with BEGIN IMMEDIATE
so that two writers queue on the lock instead of failing at upgrade time. Within one process the
writers also queue on a lock of our own first: SQLite's busy handler waits by sleeping (up to
100 ms a try), which under load turned a 1 ms insert into a p99 of a second.

PostgreSQL goes through psycopg 3 with a bounded pool, a connect timeout and a TCP user timeout, so
an outage turns into a quick 503; a pooled connection the server closed is replaced on checkout,
so none outlives an outage to fail the first requests after it.
"""

from __future__ import annotations

import math
import select
import threading
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InvalidatePoolError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from ils_intake.config import Settings

# Errors that mean "the database cannot serve right now" rather than "this request is wrong".
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    PoolTimeoutError,
    psycopg.OperationalError,  # includes ConnectionTimeout, AdminShutdown, QueryCanceled
    psycopg.InterfaceError,
)
# One write lock per SQLite engine: SQLite takes one writer at a time anyway.
_sqlite_write_locks: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


def normalize_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and pin the driver we measured and test with."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def build_engine(settings: Settings) -> Engine:
    url = normalize_url(settings.database_url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url, settings.sqlite_busy_timeout_ms)
    engine = create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=0,
        pool_timeout=settings.db_pool_timeout,
        pool_recycle=1800,
        hide_parameters=True,  # exceptions and logs never carry a prospect's contact details
        connect_args=postgres_connect_args(settings),
    )
    event.listen(engine, "checkout", _refuse_closed_connection)
    return engine


def postgres_connect_args(settings: Settings) -> dict[str, Any]:
    """libpq takes whole seconds and treats less than 2 as 2: round up, never below."""
    network_ms = round(settings.db_network_timeout * 1000)
    return {
        "connect_timeout": max(2, math.ceil(settings.db_connect_timeout)),
        # A connection whose packets go unacknowledged (a partition, a vanished host) is
        # dropped by the kernel after this long instead of hanging a request for minutes.
        "tcp_user_timeout": network_ms,
        "keepalives": 1,
        "keepalives_idle": max(1, network_ms // 1000),
        "keepalives_interval": 1,
        "keepalives_count": 3,
    }


def _refuse_closed_connection(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """An idle pooled connection with something to read was closed by the server (a restart,
    a failover, a cut link): replace it, and every older one, before a request uses it.

    A poll of the socket costs no round trip, unlike a `SELECT 1` ping on each checkout. An
    unsolicited message from a live server would be taken for a close too: that costs only a
    reconnect.
    """
    fileno = dbapi_connection.pgconn.socket if not dbapi_connection.closed else -1
    if fileno < 0:
        raise InvalidatePoolError("the connection is closed")
    poller = select.poll()
    poller.register(fileno, select.POLLIN | select.POLLERR | select.POLLHUP)
    if poller.poll(0):
        raise InvalidatePoolError("the server closed the connection")


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("write", True) else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    _sqlite_write_locks[engine] = threading.Lock()
    return engine


@contextmanager
def transaction(engine: Engine, *, write: bool = True) -> Iterator[Connection]:
    """Commit when the block succeeds, roll back on any exception: the one owner of commits."""
    lock = _sqlite_write_locks.get(engine) if write else None
    queued: AbstractContextManager[Any] = lock if lock is not None else nullcontext()
    with queued, engine.connect().execution_options(write=write) as conn, conn.begin():
        yield conn


def is_unavailable(exc: BaseException) -> bool:
    """True when an exception means the database is down, overloaded or locked, not a bug."""
    if isinstance(exc, UNAVAILABLE_ERRORS):
        return True
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        orig = exc.orig
        if isinstance(orig, UNAVAILABLE_ERRORS):
            return True
        text = str(orig).lower()
        return any(sign in text for sign in _SQLITE_UNAVAILABLE)
    return False


# SQLite's OperationalError also covers bugs such as a missing table; only these mean "busy".
_SQLITE_UNAVAILABLE = ("database is locked", "database is busy", "disk i/o error", "unable to open")
