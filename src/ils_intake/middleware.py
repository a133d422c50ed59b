"""The outermost layer of our own: request id, one access log line, and the last-resort
conversion of an escaped exception into a 503 (database unavailable) or a bare 500 problem.
"""

from __future__ import annotations

import re
import time
import uuid

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ils_intake.db.engine import is_unavailable
from ils_intake.logs import get_logger
from ils_intake.problems import problem_body, render

_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._\-]{1,64}")
log = get_logger("ils_intake.http")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, retry_after_seconds: int) -> None:
        self.app = app
        self.retry_after = str(retry_after_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            if response_started:
                raise
            if is_unavailable(exc):
                log.warning("database unavailable", error=type(exc).__name__)
                response = render(
                    problem_body(503, "the database is unavailable; retry later"),
                    {"Retry-After": self.retry_after},
                )
            else:
                log.exception("unhandled error")
                response = render(problem_body(500, "an internal error occurred"))
            await response(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
            structlog.contextvars.unbind_contextvars("request_id")


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate: str = value.decode("latin-1")
            if _SAFE_REQUEST_ID.fullmatch(candidate):
                return candidate
    return uuid.uuid4().hex
