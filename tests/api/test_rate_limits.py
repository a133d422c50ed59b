"""Rate limits per API key and failed authentications per address: 429 problems with Retry-After
and the IETF RateLimit headers; counted in the process, or in Redis shared by every instance;
failing open to per-process counting when Redis is down."""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
import redis.asyncio as aioredis
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from ils_intake.app import create_app
from ils_intake.config import Settings
from ils_intake.ratelimit import MemoryStore, Rate
from tests.builders import INTAKE, Tenant, make_prospect_payload

REDIS_URL = os.environ.get("ILS_INTAKE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_REDIS = os.environ.get("ILS_INTAKE_REQUIRE_REDIS") == "1"
STATE = re.compile(r'^"per-key";r=(\d+);t=(\d+)$')


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test alone, its keys deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        if REQUIRE_REDIS:
            pytest.fail(f"Redis unreachable at {REDIS_URL}: {exc}", pytrace=False)
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {exc}")
    prefix = f"ils-intake-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def _client(settings: Settings, **overrides: Any) -> TestClient:
    return TestClient(
        create_app(settings.model_copy(update=overrides)), raise_server_exceptions=False
    )


def _post(client: TestClient, tenant: Tenant, n: int, key: str | None = None) -> Any:
    payload = make_prospect_payload(tenant, emailAddress=f"p{n}@x.org", phoneNumber=None)
    return client.post(INTAKE, json=payload, headers=tenant.headers(key))


def _assert_429(response: Any, policy: str, quota: int) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 429
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= 3600
    assert response.headers["ratelimit-policy"] == f'"{policy}";q={quota};w=3600'
    assert response.headers["ratelimit"] == f'"{policy}";r=0;t={retry_after}'


def test_rate_parses_the_documented_forms() -> None:
    assert Rate.parse("600/minute") == Rate(600, 60)
    assert Rate.parse(" 5 / second ") == Rate(5, 1)
    assert Rate.parse("1/day") == Rate(1, 86400)
    with pytest.raises(ValueError, match="not a rate"):
        Rate.parse("600 per minute")
    assert Rate(60, 60).window(125.2) == (2, 55)


def test_default_limit_is_600_per_minute() -> None:
    assert Settings(_env_file=None).rate_limit == "600/minute"  # type: ignore[call-arg]


def test_responses_carry_ratelimit_headers_and_the_excess_gets_429(
    settings: Settings,
    tenant: Tenant,
) -> None:
    with _client(settings, rate_limit="3/hour") as client:
        remaining = []
        for n in range(3):
            response = _post(client, tenant, n)
            assert response.status_code == 200
            assert response.headers["ratelimit-policy"] == '"per-key";q=3;w=3600'
            match = STATE.match(response.headers["ratelimit"])
            assert match is not None
            remaining.append(int(match[1]))
        assert remaining == [2, 1, 0]
        before = REGISTRY.get_sample_value("ils_intake_rate_limited_total", {"reason": "api_key"})
        _assert_429(_post(client, tenant, 3), "per-key", 3)
        after = REGISTRY.get_sample_value("ils_intake_rate_limited_total", {"reason": "api_key"})
        assert (after or 0) - (before or 0) == 1
        # another key has its own allowance
        assert _post(client, tenant, 4, tenant.property_ils_key).status_code == 200


def test_operational_routes_are_not_limited(
    settings: Settings,
) -> None:
    with _client(settings, rate_limit="1/hour", auth_failure_limit="1/hour") as client:
        for _ in range(3):
            response = client.get("/healthz", headers={"x-api-key": "ils_x"})
            assert response.status_code == 200
            assert "ratelimit" not in response.headers


def test_failed_authentications_throttle_the_address(
    settings: Settings,
    tenant: Tenant,
) -> None:
    with _client(settings, auth_failure_limit="3/hour") as client:
        for n in range(3):
            assert _post(client, tenant, n, "ils_guessed_key").status_code == 401
        _assert_429(_post(client, tenant, 3, "ils_guessed_key"), "auth-failures", 3)
        # the address is blocked, whatever key it presents next
        _assert_429(_post(client, tenant, 4), "auth-failures", 3)


def test_redis_shares_the_counters_between_instances(
    settings: Settings,
    tenant: Tenant,
    redis_prefix: str,
) -> None:
    shared = {"rate_limit": "3/hour", "redis_url": REDIS_URL, "redis_prefix": redis_prefix}
    with _client(settings, **shared) as one, _client(settings, **shared) as two:
        assert _post(one, tenant, 0).status_code == 200
        assert _post(two, tenant, 1).status_code == 200
        assert _post(one, tenant, 2).status_code == 200
        _assert_429(_post(two, tenant, 3), "per-key", 3)
    keys = redis.Redis.from_url(REDIS_URL).keys(f"{redis_prefix}:*")
    assert keys
    assert all(tenant.ils_key.encode() not in key for key in keys)


def test_redis_counts_failed_authentications_across_instances(
    settings: Settings,
    tenant: Tenant,
    redis_prefix: str,
) -> None:
    shared = {"auth_failure_limit": "2/hour", "redis_url": REDIS_URL, "redis_prefix": redis_prefix}
    with _client(settings, **shared) as one, _client(settings, **shared) as two:
        assert _post(one, tenant, 0, "ils_wrong").status_code == 401
        assert _post(two, tenant, 1, "ils_wrong").status_code == 401
        _assert_429(_post(one, tenant, 2), "auth-failures", 2)


def test_redis_down_fails_open_to_per_process_limits(
    settings: Settings,
    tenant: Tenant,
    capsys: pytest.CaptureFixture[str],
) -> None:
    errors = "ils_intake_rate_limit_store_errors_total"
    before = REGISTRY.get_sample_value(errors) or 0
    down = {"rate_limit": "2/hour", "redis_url": "redis://127.0.0.1:1/0", "redis_timeout": 0.2}
    with _client(settings, **down) as client:
        assert _post(client, tenant, 0).status_code == 200
        assert _post(client, tenant, 1).status_code == 200
        _assert_429(_post(client, tenant, 2), "per-key", 2)
    assert (REGISTRY.get_sample_value(errors) or 0) > before
    logs = capsys.readouterr().err
    assert logs.count("rate limit store unavailable") == 1  # once per retry period, not per call


def test_memory_store_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MemoryStore, "_PRUNE_AT", 3)
    store = MemoryStore()

    async def flood() -> tuple[int, int]:
        for n in range(10):
            await store.hit_and_peek(f"k{n}", "peek", 60)
        return await store.hit_and_peek("k9", "peek", 60)

    assert asyncio.run(flood())[0] <= 3
    assert len(store._counts) <= 3


def test_an_accepted_request_costs_one_redis_round_trip(
    settings: Settings, tenant: Tenant, redis_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    execute = aioredis.Redis.execute_command

    async def counted(self: aioredis.Redis, *args: Any, **options: Any) -> Any:
        calls.append(str(args[0]))
        return await execute(self, *args, **options)

    monkeypatch.setattr(aioredis.Redis, "execute_command", counted)
    shared = {"redis_url": REDIS_URL, "redis_prefix": redis_prefix}
    with _client(settings, **shared) as client:
        _post(client, tenant, 0)  # the first call may load the script: NOSCRIPT, LOAD, EVALSHA
        calls.clear()
        for n in range(1, 6):
            assert _post(client, tenant, n).status_code == 200
    assert calls == ["EVALSHA"] * 5
