"""Settings, read once from the environment (prefix ILS_INTAKE_) or a `.env` file."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ILS_INTAKE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        default="sqlite:///ils-intake.db",
        description="SQLite file (the default) or postgresql://user@host:port/db",
    )
    db_pool_size: int = Field(default=10, ge=1, le=200, description="PostgreSQL pool per process")
    intake_threads: int = Field(
        default=4,
        ge=1,
        le=200,
        description="threads per process running the intake's PostgreSQL transactions; more "
        "only queue on the interpreter lock and stretch the tail latency",
    )
    db_connect_timeout: float = Field(
        default=3.0,
        ge=2,
        description="seconds to reach the database (whole seconds, at least 2: libpq's floor)",
    )
    db_pool_timeout: float = Field(
        default=3.0, gt=0, description="seconds to wait for a free pooled connection"
    )
    db_network_timeout: float = Field(
        default=5.0,
        ge=1,
        description="seconds sent data may go unacknowledged before the connection is dropped",
    )
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    retry_after_seconds: int = Field(default=5, ge=1, description="Retry-After sent with a 503")
    intake_retention_days: int = Field(
        default=90,
        ge=1,
        description="days intake bodies are kept; `ils-intake intake purge` clears older ones",
    )
    log_level: str = Field(default="INFO")
    log_json: bool = Field(default=True, description="JSON log lines; false for console output")
    rate_limit: str = Field(
        default="600/minute",
        pattern=r"^\s*[1-9][0-9]*\s*/\s*(second|minute|hour|day)\s*$",
        description="requests per API key and window: N/second|minute|hour|day",
    )
    auth_failure_limit: str = Field(
        default="20/minute",
        pattern=r"^\s*[1-9][0-9]*\s*/\s*(second|minute|hour|day)\s*$",
        description="401 answers per client address before it gets 429s",
    )
    redis_url: str | None = Field(
        default=None, description="shares rate-limit counters across workers and machines"
    )
    redis_prefix: str = Field(default="ils-intake", description="namespace of our Redis keys")
    redis_timeout: float = Field(default=0.25, gt=0, description="seconds per Redis call")
    idempotency_ttl_hours: float = Field(default=24, gt=0)
    idempotency_lease_seconds: float = Field(
        default=60, gt=0, description="an unfinished claim older than this may be taken over"
    )
    readiness_timeout: float = Field(
        default=2.0, gt=0, description="seconds /readyz waits for the database"
    )
    max_header_bytes: int = Field(default=8 * 1024, ge=1024, description="all headers together")


@lru_cache
def get_settings() -> Settings:
    return Settings()
