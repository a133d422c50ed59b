"""The outermost layer of our own, one pass per request: oversized headers refused (431), the
request id, the request metrics, one access log line, and the last-resort conversion of an
escaped exception into a 503 (database unavailable) or a bare 500 problem.

uvicorn's default parser here (httptools) sets no head-size limit of its own, so the check here
is the one that holds (a 1 MB header gets the 431). Under uvicorn's h11 parser, its own 16 KiB
limit answers a plain 400 first for heads beyond that.
"""

from __future__ import annotations

import re
import time
import uuid

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ils_intake import observability
from ils_intake.db.engine import is_unavailable
from ils_intake.logs import get_logger
from ils_intake.problems import problem_body, render

_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._\-]{1,64}")
log = get_logger("ils_intake.http")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, retry_after_seconds: int, max_header_bytes: int) -> None:
        self.app = app
        self.retry_after = str(retry_after_seconds)
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id, header_bytes = _inspect_headers(scope)
        scope.setdefault("state", {})["request_id"] = request_id
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

        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            if header_bytes > self.max_header_bytes:
                limit_kib = self.max_header_bytes // 1024
                body = problem_body(431, f"the request headers exceed {limit_kib} KiB together")
                await render(body)(scope, receive, send_with_id)
            else:
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
            seconds = time.perf_counter() - started
            observability.observe_request(scope, status, seconds)
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                duration_ms=round(seconds * 1000, 2),
            )
            structlog.contextvars.clear_contextvars()


def _inspect_headers(scope: Scope) -> tuple[str, int]:
    """The request id to use (the client's when it is safe, else a new one), and the size of
    the headers, in one pass over them."""
    request_id = None
    size = 0
    for name, value in scope["headers"]:
        size += len(name) + len(value) + 4
        if name == b"x-request-id" and request_id is None:
            candidate = value.decode("latin-1")
            if _SAFE_REQUEST_ID.fullmatch(candidate):
                request_id = candidate
    return request_id or uuid.uuid4().hex, size
