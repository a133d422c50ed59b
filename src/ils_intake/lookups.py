"""A short-lived memo of the hot path's lookups (a key's row, a key's target property).

Every entry lives at most `LOOKUP_TTL_SECONDS`, so a change made by the operator (a revoked or
rotated key, a new unit) reaches every worker within that time, without any signal between
processes. Only hits are kept: an unknown key or property is looked up each time, so a flood
of wrong keys cannot fill the memo, and it is bounded in size besides.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import TTLCache

LOOKUP_TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _clock() -> float:
    return time.monotonic()


class Lookups(Generic[K, V]):
    """Thread-safe: the sync routes run on a pool of worker threads."""

    def __init__(self, *, ttl: float = LOOKUP_TTL_SECONDS, maxsize: int = MAX_ENTRIES) -> None:
        # the lambda looks `_clock` up at each call, so a test can move time forward
        self._entries: TTLCache[K, V] = TTLCache(maxsize, ttl, timer=lambda: _clock())
        self._lock = threading.Lock()

    def get(self, key: K, load: Callable[[], V | None]) -> V | None:
        """The remembered value, else `load()` (remembered when not None)."""
        with self._lock:
            value = self._entries.get(key)
        if value is None:
            value = load()
            if value is not None:
                with self._lock:
                    self._entries[key] = value
        return value

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
