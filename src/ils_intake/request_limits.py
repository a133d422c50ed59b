"""Refuse oversized request headers with a 431 problem before any route or key lookup runs.

uvicorn's default parser here (httptools) sets no head-size limit of its own, so this is the one
that holds (a 1 MB header gets the 431). Under uvicorn's h11 parser, its own 16 KiB limit answers
a plain 400 first for heads beyond that.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from ils_intake.problems import problem_body, render


class HeaderSizeLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_header_bytes: int) -> None:
        self.app = app
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = sum(len(name) + len(value) + 4 for name, value in scope["headers"])
            if size > self.max_header_bytes:
                limit_kib = self.max_header_bytes // 1024
                response = render(
                    problem_body(431, f"the request headers exceed {limit_kib} KiB together")
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
