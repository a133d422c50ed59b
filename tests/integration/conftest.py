"""Command-line tests run in process against the current backend's database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ils_intake.config import Settings, get_settings


@pytest.fixture
def cli_env(settings: Settings, engine: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:  # noqa: ARG001
    """Point the command line at the emptied test database."""
    monkeypatch.setenv("ILS_INTAKE_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
