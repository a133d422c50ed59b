"""The settings that bound how long an unreachable PostgreSQL can hold a request."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ils_intake.config import Settings
from ils_intake.db.engine import postgres_connect_args


def test_connect_timeout_is_whole_seconds_rounded_up() -> None:
    args = postgres_connect_args(Settings(db_connect_timeout=2.5, db_network_timeout=4))
    assert args["connect_timeout"] == 3
    assert args["tcp_user_timeout"] == 4000
    assert args["keepalives"] == 1


def test_connect_timeout_below_libpqs_floor_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(db_connect_timeout=1)


def test_default_worst_case_to_a_503_is_a_few_seconds() -> None:
    defaults = Settings()
    assert defaults.db_pool_timeout + defaults.db_connect_timeout <= 6
