"""The FastAPI application: `create_app(settings)` wires routers, error handlers and the engine.

Nothing connects at import time; the engine is created here and disposed at shutdown, so tests
build apps over other databases simply by passing other settings.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from starlette.exceptions import HTTPException
from starlette.responses import Response

from ils_intake import __version__, logs, observability, ratelimit
from ils_intake.config import Settings, get_settings
from ils_intake.db.engine import build_engine
from ils_intake.keys.auth import ILS_KEY_SCHEME, ils_key_header
from ils_intake.middleware import RequestContextMiddleware
from ils_intake.problems import (
    FieldError,
    IntakeError,
    InvalidPayload,
    Problem,
    problem_body,
    render,
    render_error,
)
from ils_intake.properties import router as properties_router
from ils_intake.prospects import intake
from ils_intake.prospects import router as prospects_router

DESCRIPTION = """\
Receives rental leads ("prospects") from Internet Listing Services and serves them to the
organizations that manage the properties. Every error is RFC 9457 problem JSON.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    logs.configure(settings.log_level, json=settings.log_json)
    engine = build_engine(settings)
    counters = ratelimit.build_store(settings)
    # Threads for the intake's database work (see Settings.intake_threads). SQLite takes one
    # writer at a time, so one thread serves it best: no lock hand-offs between threads.
    sqlite = engine.dialect.name == "sqlite"
    db_threads = ThreadPoolExecutor(
        1 if sqlite else min(settings.intake_threads, settings.db_pool_size),
        thread_name_prefix="intake-db",
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await counters.aclose()
        db_threads.shutdown()
        engine.dispose()

    app = FastAPI(
        title="ils-intake",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.db_threads = db_threads
    app.include_router(intake.router)
    app.include_router(prospects_router.router)
    app.include_router(properties_router.router)
    _add_operational_routes(app)
    _add_error_handlers(app)
    app.add_middleware(
        ratelimit.RateLimitMiddleware,
        store=counters,
        key_rate=ratelimit.Rate.parse(settings.rate_limit),
        auth_rate=ratelimit.Rate.parse(settings.auth_failure_limit),
        prefix=settings.redis_prefix,
    )
    app.add_middleware(  # outermost of ours: sees every request and every final status
        RequestContextMiddleware,
        retry_after_seconds=settings.retry_after_seconds,
        max_header_bytes=settings.max_header_bytes,
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _add_operational_routes(app: FastAPI) -> None:
    @app.get("/healthz", tags=["operations"], summary="The process is alive")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    observability.add_routes(app)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(IntakeError)
    async def on_intake_error(_request: Request, exc: IntakeError) -> Response:
        return render_error(exc)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_request: Request, exc: RequestValidationError) -> Response:
        errors = [
            FieldError(field=str(error["loc"][-1]), message=error["msg"]) for error in exc.errors()
        ]
        return render_error(InvalidPayload(errors))

    @app.exception_handler(HTTPException)
    async def on_http_error(_request: Request, exc: HTTPException) -> Response:
        headers = dict(exc.headers) if exc.headers else None
        return render(problem_body(exc.status_code, str(exc.detail)), headers)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated schema, with the Problem model every error response refers to."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        schemes[ILS_KEY_SCHEME] = ils_key_header.model.model_dump(
            mode="json", by_alias=True, exclude_none=True
        )
        components = schema["components"].setdefault("schemas", {})
        problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem.pop("$defs", {}))
        components["Problem"] = problem
        app.openapi_schema = schema
    return app.openapi_schema
