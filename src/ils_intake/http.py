"""Helpers shared by the routers: the app's engine and settings, bounded body reads, JSON."""

from __future__ import annotations

import asyncio
import contextvars
import json
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy import Connection, Engine

from ils_intake.config import Settings
from ils_intake.db.engine import transaction

T = TypeVar("T")


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def run_in_transaction(request: Request, work: Callable[[Connection], T]) -> T:
    """`work(conn)` in one write transaction on the app's database.

    On PostgreSQL it runs on the app's database threads (a plain executor, which hands work
    over for less CPU than anyio's threads), as network waits must not stall the event loop.
    On SQLite it runs right here: its calls are in-process and take microseconds, writers
    queue on one lock anyway, and the hand-over to a thread and back cost a fifth of the CPU
    time of an intake. (So run one worker on SQLite; several are what PostgreSQL is for.)
    """
    engine = engine_of(request)
    if engine.dialect.name == "sqlite":
        return _in_transaction(engine, work)
    threads: Executor = request.app.state.db_threads
    call = contextvars.copy_context().run  # the thread sees the request's log context
    return await asyncio.get_running_loop().run_in_executor(
        threads, call, _in_transaction, engine, work
    )


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
