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
        default=3.0, gt=0, description="seconds to reach the database"
    )
    db_pool_timeout: float = Field(
        default=5.0, gt=0, description="seconds to wait for a connection"
    )
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    retry_after_seconds: int = Field(default=5, ge=1, description="Retry-After sent with a 503")
    log_level: str = Field(default="INFO")
    log_json: bool = Field(default=True, description="JSON log lines; false for console output")


@lru_cache
def get_settings() -> Settings:
    return Settings()
