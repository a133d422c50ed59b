"""Operational endpoints and request metrics: /readyz, /metrics, and the per-route counters.

`/healthz` says the process is alive; `/readyz` says it can serve, which here means the database
answers a trivial query within `readiness_timeout` seconds.
"""

from __future__ import annotations

import anyio
from fastapi import FastAPI, Request
from sqlalchemy import Engine, text
from starlette.responses import Response
from starlette.types import Scope

from ils_intake import metrics
from ils_intake.http import engine_of, settings_of
from ils_intake.logs import get_logger
from ils_intake.problems import openapi_problem, problem_body, render

UNMATCHED_ROUTE = "(unmatched)"
log = get_logger("ils_intake.observability")


def add_routes(app: FastAPI) -> None:
    @app.get(
        "/readyz",
        tags=["operations"],
        summary="The database answers: ready to serve",
        responses={503: openapi_problem("The database did not answer in time.")},
    )
    async def readyz(request: Request) -> Response:
        settings = settings_of(request)
        try:
            with anyio.fail_after(settings.readiness_timeout):
                # abandon the thread on timeout: a hung connect must not hold the probe
                await anyio.to_thread.run_sync(_ping, engine_of(request), abandon_on_cancel=True)
        except Exception as exc:
            log.warning("not ready", error=type(exc).__name__)
            return render(
                problem_body(503, "the database does not answer; not ready"),
                {"Retry-After": str(settings.retry_after_seconds)},
            )
        return Response(b'{"status":"ready"}', media_type="application/json")

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics", include_in_schema=False)
    def metrics_text() -> Response:
        content, media_type = metrics.exposition()
        return Response(content, media_type=media_type)


def _ping(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def observe_request(scope: Scope, status: int, seconds: float) -> None:
    """Count a finished request by method, route template and final status, and time it."""
    method = scope["method"] if scope["method"] in metrics.KNOWN_METHODS else "OTHER"
    route = getattr(scope.get("route"), "path", None) or UNMATCHED_ROUTE
    metrics.HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    metrics.HTTP_LATENCY.labels(method=method, route=route).observe(seconds)
