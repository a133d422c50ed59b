"""Helpers shared by the routers: the app's engine and settings, bounded body reads, JSON."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from sqlalchemy import Engine

from ils_intake.config import Settings


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


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
