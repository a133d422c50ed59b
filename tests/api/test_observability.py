"""/readyz follows the database; /metrics counts by route template, vendor and field."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from ils_intake.app import create_app
from ils_intake.config import Settings
from tests.builders import INTAKE, Tenant, make_prospect_payload


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_ready_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A loopback port that accepts connections and never says a word."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def _unreachable_url(backend: str, tmp_path: Path, port: int) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}"
    return f"postgresql://postgres@127.0.0.1:{port}/nothing"


def test_not_ready_when_the_database_is_unreachable(
    backend: str, tmp_path: Path, silent_server: int
) -> None:
    url = _unreachable_url(backend, tmp_path, silent_server)
    settings = Settings(database_url=url, readiness_timeout=0.5, db_connect_timeout=5)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        started = time.monotonic()
        response = client.get("/readyz")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert elapsed < 2.0  # bounded by readiness_timeout, not by the driver's connect timeout


def test_metrics_count_by_route_template_vendor_and_field(
    client: TestClient, tenant: Tenant
) -> None:
    route = {"method": "POST", "route": INTAKE}
    before = {
        "ok": _sample("ils_intake_http_requests_total", **route, status="200"),
        "bad": _sample("ils_intake_http_requests_total", **route, status="400"),
        "created": _sample("ils_intake_prospects_created_total", vendor="Zillow"),
        "dupes": _sample("ils_intake_duplicates_total", vendor="Zillow"),
        "beds": _sample("ils_intake_rejected_fields_total", field="nBeds", vendor="Zillow"),
        "unknown": _sample(
            "ils_intake_rejected_fields_total", field="(unknown field)", vendor="Zillow"
        ),
        "timed": _sample("ils_intake_http_request_duration_seconds_count", **route),
        "vendor_timed": _sample("ils_intake_submission_duration_seconds_count", vendor="Zillow"),
        "unmatched": _sample(
            "ils_intake_http_requests_total", method="GET", route="(unmatched)", status="404"
        ),
    }
    payload = make_prospect_payload(tenant)
    client.post(INTAKE, json=payload, headers=tenant.headers())
    client.post(INTAKE, json=payload, headers=tenant.headers())
    client.post(INTAKE, json=payload | {"nBeds": 99, "x-secret-1": 1}, headers=tenant.headers())
    client.get("/prospects/5d8e/raw-path-never-a-label")

    text = client.get("/metrics").text
    assert _sample("ils_intake_http_requests_total", **route, status="200") == before["ok"] + 1
    assert _sample("ils_intake_http_requests_total", **route, status="400") == before["bad"] + 1
    assert _sample("ils_intake_prospects_created_total", vendor="Zillow") == before["created"] + 1
    assert _sample("ils_intake_duplicates_total", vendor="Zillow") == before["dupes"] + 1
    assert (
        _sample("ils_intake_rejected_fields_total", field="nBeds", vendor="Zillow")
        == before["beds"] + 1
    )
    assert (
        _sample("ils_intake_rejected_fields_total", field="(unknown field)", vendor="Zillow")
        == before["unknown"] + 1
    )
    assert _sample("ils_intake_http_request_duration_seconds_count", **route) == before["timed"] + 3
    assert (
        _sample("ils_intake_submission_duration_seconds_count", vendor="Zillow")
        == before["vendor_timed"] + 3
    )
    assert (
        _sample("ils_intake_http_requests_total", method="GET", route="(unmatched)", status="404")
        == before["unmatched"] + 1
    )
    assert "raw-path-never-a-label" not in text
    assert "x-secret-1" not in text
    labels = f'le="0.005",method="POST",route="{INTAKE}"'
    bucket = f"ils_intake_http_request_duration_seconds_bucket{{{labels}}}"
    assert bucket in text


def test_metrics_are_aggregated_across_worker_processes(tmp_path: Path) -> None:
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    worker = "from ils_intake import metrics\nmetrics.record_intake(200, None, 'Zillow', 0.01)\n"
    for _ in range(2):
        subprocess.run([sys.executable, "-c", worker], env=env, check=True, timeout=60)
    reader = "from ils_intake import metrics\nprint(metrics.exposition()[0].decode())\n"
    text = subprocess.run(
        [sys.executable, "-c", reader],
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    assert 'ils_intake_prospects_created_total{vendor="Zillow"} 2.0' in text


def test_no_contact_or_key_in_logs_of_failures(
    settings: Settings,
    tenant: Tenant,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = create_app(settings.model_copy(update={"auth_failure_limit": "1/hour"}))
    with TestClient(app, raise_server_exceptions=False) as client:
        payload = make_prospect_payload(tenant, emailAddress="Hidden.Person@x.org")
        headers = tenant.headers() | {"Idempotency-Key": "k-1"}
        client.post(INTAKE, json=payload, headers=headers)
        client.post(INTAKE, json=payload | {"nBeds": 1}, headers=headers)  # 422
        client.post(INTAKE, json=payload, headers=tenant.headers("ils_leaked_secret"))
        client.post(INTAKE, json=payload, headers=tenant.headers("ils_leaked_secret"))  # 429
    logs = capsys.readouterr().err.lower()
    assert '"status": 429' in logs
    for secret in [tenant.ils_key, "ils_leaked_secret", "hidden.person", "3211234"]:
        assert secret.lower() not in logs, secret
