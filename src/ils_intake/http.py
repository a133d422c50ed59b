"""Helpers shared by the routers: the app's engine and settings, bounded body reads, JSON."""

from __future__ import annotations

import asyncio
import contextvars
import json
import time
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from ils_intake.config import Settings
from ils_intake.db.engine import transaction

T = TypeVar("T")


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def run_on_db_threads(request: Request, work: Callable[..., T], *args: Any) -> T:
    """`work(*args)`, blocking database work, on the app's database threads.

    A plain executor hands work over for less CPU than anyio's threads; the event loop stays
    free for other requests (health checks, reads) while a transaction waits on the database.
    Work that waited for a thread longer than the pool timeout is refused when its turn comes
    (a 503), never started late: in an outage the queue drains at once instead of growing.
    """
    threads: Executor = request.app.state.db_threads
    deadline = time.monotonic() + settings_of(request).db_pool_timeout

    def start() -> T:
        if time.monotonic() > deadline:
            raise PoolTimeoutError("no database thread became free in time")
        return work(*args)

    call = contextvars.copy_context().run  # the thread sees the request's log context
    return await asyncio.get_running_loop().run_in_executor(threads, call, start)


async def run_in_transaction(request: Request, work: Callable[[Connection], T]) -> T:
    """`work(conn)` in one write transaction on the app's database, on its database threads."""
    return await run_on_db_threads(request, _in_transaction, engine_of(request), work)


def _in_transaction(engine: Engine, work: Callable[[Connection], T]) -> T:
    with transaction(engine) as conn:
        return work(conn)


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def read_body_within(request: Request, limit: int) -> bytes | None:
    """The body if it is at most `limit` bytes, else None; an oversized one is never read whole."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def dumps(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
