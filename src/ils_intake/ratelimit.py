"""Rate limits: requests per API key, and failed authentications per client address.

Fixed windows aligned to the clock, counted in Redis when `ILS_INTAKE_REDIS_URL` is set (shared
by every worker and machine) or in the process otherwise. A request costs one Redis round trip:
one Lua script adds to the key's counter and reads the address's failure count; only a 401
costs a second one, after its answer has been sent. If Redis fails, the limiter counts in the
process for a few seconds, logs a warning and counts the error: it fails open to per-process
limits, never to a 500.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as aioredis
from redis.exceptions import RedisError
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ils_intake import metrics
from ils_intake.config import Settings
from ils_intake.logs import get_logger
from ils_intake.problems import problem_body, render

EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
KEY_POLICY = "per-key"
AUTH_POLICY = "auth-failures"
REDIS_RETRY_SECONDS = 5.0
_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"\s*([1-9][0-9]*)\s*/\s*(second|minute|hour|day)\s*")
log = get_logger("ils_intake.ratelimit")

# Add one to KEYS[1] (expiring with its window) and read KEYS[2], atomically, in one round trip.
_HIT_AND_PEEK = """
local n = 0
if KEYS[1] ~= '' then
  n = redis.call('INCR', KEYS[1])
  if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
end
return {n, tonumber(redis.call('GET', KEYS[2]) or '0')}
"""
_ADD = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
"""


@dataclass(frozen=True, slots=True)
class Rate:
    amount: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """`600/minute` -> Rate(600, 60)."""
        match = _RATE.fullmatch(text)
        if match is None:
            raise ValueError(f"not a rate like 600/minute: {text!r}")
        return cls(int(match[1]), _PERIODS[match[2]])

    def window(self, now: float) -> tuple[int, int]:
        """The current window's number and the whole seconds until it ends (at least 1)."""
        return int(now // self.seconds), max(1, math.ceil(self.seconds - now % self.seconds))


class CounterStore(Protocol):
    async def hit_and_peek(self, hit: str | None, peek: str, ttl: int) -> tuple[int, int]:
        """Add one to `hit` (when given) and read `peek`; counters live `ttl` seconds."""

    async def add(self, key: str, ttl: int) -> None: ...

    async def aclose(self) -> None: ...


class MemoryStore:
    """Counters of this process only: the default, and the fallback while Redis fails."""

    # Bounded memory: expired windows are dropped at this size, and if a flood of distinct keys
    # still fills it, every count restarts (failing open briefly rather than growing).
    _PRUNE_AT = 100_000

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, float]] = {}

    def _get(self, key: str, now: float) -> int:
        count, expires = self._counts.get(key, (0, 0.0))
        return count if expires > now else 0

    def _incr(self, key: str, ttl: int, now: float) -> int:
        if len(self._counts) >= self._PRUNE_AT:
            self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            if len(self._counts) >= self._PRUNE_AT:
                self._counts = {}
        count, expires = self._counts.get(key, (0, 0.0))
        if expires <= now:
            count, expires = 0, now + ttl
        self._counts[key] = (count + 1, expires)
        return count + 1

    async def hit_and_peek(self, hit: str | None, peek: str, ttl: int) -> tuple[int, int]:
        now = time.monotonic()
        count = self._incr(hit, ttl, now) if hit is not None else 0
        return count, self._get(peek, now)

    async def add(self, key: str, ttl: int) -> None:
        self._incr(key, ttl, time.monotonic())

    async def aclose(self) -> None:
        self._counts.clear()


class RedisStore:
    """Counters shared by every process that uses the same Redis and prefix."""

    def __init__(self, url: str, *, timeout: float) -> None:
        self._redis = aioredis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self._hit_and_peek = self._redis.register_script(_HIT_AND_PEEK)
        self._add = self._redis.register_script(_ADD)

    async def hit_and_peek(self, hit: str | None, peek: str, ttl: int) -> tuple[int, int]:
        count, failures = await self._hit_and_peek(keys=[hit or "", peek], args=[ttl * 1000])
        return int(count), int(failures)

    async def add(self, key: str, ttl: int) -> None:
        await self._add(keys=[key], args=[ttl * 1000])

    async def aclose(self) -> None:
        await self._redis.aclose()


class FailOpenStore:
    """Redis first; on a Redis error, this process's counters for a few seconds, then retry."""

    def __init__(self, primary: CounterStore, fallback: MemoryStore) -> None:
        self._primary = primary
        self._fallback = fallback
        self._retry_at = 0.0

    def _store(self) -> CounterStore:
        return self._primary if time.monotonic() >= self._retry_at else self._fallback

    def _failed(self, exc: Exception) -> None:
        metrics.RATE_LIMIT_STORE_ERRORS.inc()
        if time.monotonic() >= self._retry_at:
            log.warning(
                "rate limit store unavailable; counting in this process",
                error=type(exc).__name__,
                retry_in_seconds=REDIS_RETRY_SECONDS,
            )
        self._retry_at = time.monotonic() + REDIS_RETRY_SECONDS

    async def hit_and_peek(self, hit: str | None, peek: str, ttl: int) -> tuple[int, int]:
        store = self._store()
        try:
            return await store.hit_and_peek(hit, peek, ttl)
        except (RedisError, OSError, TimeoutError) as exc:
            self._failed(exc)
            return await self._fallback.hit_and_peek(hit, peek, ttl)

    async def add(self, key: str, ttl: int) -> None:
        store = self._store()
        try:
            await store.add(key, ttl)
        except (RedisError, OSError, TimeoutError) as exc:
            self._failed(exc)
            await self._fallback.add(key, ttl)

    async def aclose(self) -> None:
        await self._primary.aclose()
        await self._fallback.aclose()


def build_store(settings: Settings) -> CounterStore:
    if settings.redis_url:
        return FailOpenStore(
            RedisStore(settings.redis_url, timeout=settings.redis_timeout), MemoryStore()
        )
    return MemoryStore()


class RateLimitMiddleware:
    """429 problems with Retry-After; RateLimit-Policy and RateLimit headers on keyed requests.

    The header syntax follows draft-ietf-httpapi-ratelimit-headers (structured fields):
    `RateLimit-Policy: "per-key";q=600;w=60` and `RateLimit: "per-key";r=599;t=42`.
    """

    def __init__(
        self, app: ASGIApp, *, store: CounterStore, key_rate: Rate, auth_rate: Rate, prefix: str
    ) -> None:
        self.app = app
        self.store = store
        self.key_rate = key_rate
        self.auth_rate = auth_rate
        self.prefix = prefix
        self.key_policy = f'"{KEY_POLICY}";q={key_rate.amount};w={key_rate.seconds}'

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        now = time.time()
        address = scope["client"][0] if scope.get("client") else "unknown"
        auth_window, auth_reset = self.auth_rate.window(now)
        failures_key = f"{self.prefix}:auth:{address}:{auth_window}"
        raw_key = _header(scope, b"x-api-key")
        key_window, key_reset = self.key_rate.window(now)
        counter = (
            f"{self.prefix}:key:{_digest(raw_key)}:{key_window}" if raw_key is not None else None
        )
        count, failures = await self.store.hit_and_peek(
            counter, failures_key, self.key_rate.seconds
        )
        if failures >= self.auth_rate.amount:
            metrics.RATE_LIMITED.labels(reason="auth_failures").inc()
            detail = "too many failed authentications from this address"
            await self._refuse(
                scope, receive, send, AUTH_POLICY, self.auth_rate, auth_reset, detail
            )
            return
        if counter is not None and count > self.key_rate.amount:
            metrics.RATE_LIMITED.labels(reason="api_key").inc()
            detail = "the rate limit of this API key is exceeded"
            await self._refuse(scope, receive, send, KEY_POLICY, self.key_rate, key_reset, detail)
            return

        status = 0
        remaining = max(0, self.key_rate.amount - count)

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if counter is not None:
                    headers = MutableHeaders(scope=message)
                    headers["RateLimit-Policy"] = self.key_policy
                    headers["RateLimit"] = f'"{KEY_POLICY}";r={remaining};t={key_reset}'
            await send(message)

        await self.app(scope, receive, send_with_headers)
        if status == 401:
            await self.store.add(failures_key, self.auth_rate.seconds)

    async def _refuse(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        name: str,
        rate: Rate,
        reset: int,
        detail: str,
    ) -> None:
        headers = {
            "Retry-After": str(reset),
            "RateLimit-Policy": f'"{name}";q={rate.amount};w={rate.seconds}',
            "RateLimit": f'"{name}";r=0;t={reset}',
        }
        await render(problem_body(429, detail), headers)(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _digest(raw_key: str) -> str:
    """Counters are named by a hash: Redis never sees a key."""
    return hashlib.sha256(raw_key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
