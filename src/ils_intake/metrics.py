"""Prometheus metrics, exposed at /metrics.

Labels stay low-cardinality: route templates (never raw paths), known methods, known field
names, and vendors (bounded by the key table). Under several worker processes they are
aggregated through prometheus-client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR).
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from ils_intake.problems import FieldError
from ils_intake.prospects.schemas import FIELD_RULES

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNKNOWN_FIELD = "(unknown field)"

INTAKE_OUTCOMES = Counter(
    "ils_intake_submissions_total",
    "Authenticated ILS submissions by vendor and HTTP status",
    ["vendor", "status"],
)
UNAUTHENTICATED = Counter(
    "ils_intake_unauthenticated_total",
    "ILS submissions refused for a missing, unknown or wrong key (counted, never stored)",
)
PROSPECTS_CREATED = Counter(
    "ils_intake_prospects_created_total", "Prospects created, by vendor", ["vendor"]
)
DUPLICATES = Counter(
    "ils_intake_duplicates_total",
    "Submissions that matched an existing prospect (kept as a REINQUIRY), by vendor",
    ["vendor"],
)
REJECTED_FIELDS = Counter(
    "ils_intake_rejected_fields_total",
    "Field errors in rejected submissions, by field and vendor",
    ["field", "vendor"],
)
INTAKE_LATENCY = Histogram(
    "ils_intake_submission_duration_seconds",
    "Time to process an authenticated submission, by vendor",
    ["vendor"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
HTTP_REQUESTS = Counter(
    "ils_intake_http_requests_total",
    "HTTP requests by method, route template and status",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "ils_intake_http_request_duration_seconds",
    "HTTP request latency by method and route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
RATE_LIMITED = Counter(
    "ils_intake_rate_limited_total",
    "Requests refused with 429, by reason (api_key or auth_failures)",
    ["reason"],
)
RATE_LIMIT_STORE_ERRORS = Counter(
    "ils_intake_rate_limit_store_errors_total",
    "Redis calls of the rate limiter that failed (it then counts in-process)",
)


def record_intake(
    status: int, errors: list[FieldError] | None, vendor: str, seconds: float
) -> None:
    INTAKE_OUTCOMES.labels(vendor=vendor, status=str(status)).inc()
    INTAKE_LATENCY.labels(vendor=vendor).observe(seconds)
    if status == 200:
        PROSPECTS_CREATED.labels(vendor=vendor).inc()
    elif status == 409:
        DUPLICATES.labels(vendor=vendor).inc()
    for error in errors or ():
        field = error.field if error.field in FIELD_RULES else UNKNOWN_FIELD
        REJECTED_FIELDS.labels(field=field, vendor=vendor).inc()


def exposition() -> tuple[bytes, str]:
    """The metrics text: this process's, or every worker's under multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
