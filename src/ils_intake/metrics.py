"""Prometheus counters of the intake, exposed at /metrics."""

from __future__ import annotations

from prometheus_client import Counter

INTAKE_OUTCOMES = Counter(
    "ils_intake_submissions_total",
    "Authenticated ILS submissions by HTTP status",
    ["status"],
)
UNAUTHENTICATED = Counter(
    "ils_intake_unauthenticated_total",
    "ILS submissions refused for a missing, unknown or wrong key (counted, never stored)",
)
