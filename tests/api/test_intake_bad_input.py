"""Malformed requests: always a 4xx problem, never a 5xx, and logged when authenticated."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from ils_intake.db.tables import intake_log
from tests.builders import INTAKE, Tenant, make_prospect_payload


def _post_raw(
    client: TestClient, tenant: Tenant, body: bytes, content_type: str = "application/json"
):  # type: ignore[no-untyped-def]
    headers = {"x-api-key": tenant.ils_key, "content-type": content_type}
    return client.post(INTAKE, content=body, headers=headers)


def _assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert "Traceback" not in response.text
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("body", "detail_start"),
    [
        (b'{"propertyId": "9e539f48', "the body is not valid JSON"),
        (b"", "the body is not valid JSON"),
        (b"[1, 2]", "the body must be a JSON object"),
        (b'"just a string"', "the body must be a JSON object"),
        (b"null", "the body must be a JSON object"),
        (b'{"nBeds": NaN}', "the body is not valid JSON"),
        (b'{"nBeds": Infinity}', "the body is not valid JSON"),
        (b'{"nBeds": -Infinity}', "the body is not valid JSON"),
        (b'{"firstName": "\xff\xfe"}', "the body is not valid UTF-8"),
        (b"\xef\xbb\xbf{}", "the body is not valid JSON"),
        (b'{"nBeds": ' + b"9" * 5000 + b"}", "the body is not valid JSON"),
        (b"[" * 30_000 + b"]" * 30_000, "the body is not valid JSON"),
    ],
)
def test_malformed_body_is_400(
    client: TestClient, tenant: Tenant, body: bytes, detail_start: str
) -> None:
    problem = _assert_problem(_post_raw(client, tenant, body), 400)
    assert problem["detail"].startswith(detail_start)


def test_json_error_says_where(client: TestClient, tenant: Tenant) -> None:
    problem = _assert_problem(_post_raw(client, tenant, b'{"firstName": "Bob",}'), 400)
    assert problem["detail"].endswith("at character 20")


def test_huge_exponent_is_a_field_error(client: TestClient, tenant: Tenant) -> None:
    payload = json.dumps(make_prospect_payload(tenant)).replace('"nBeds": 3', '"nBeds": 1e400')
    problem = _assert_problem(_post_raw(client, tenant, payload.encode()), 400)
    assert [e["field"] for e in problem["errors"]] == ["nBeds"]


def test_repeated_key_is_400_naming_it(client: TestClient, tenant: Tenant) -> None:
    payload = json.dumps(make_prospect_payload(tenant))[:-1] + ', "firstName": "Eve"}'
    problem = _assert_problem(_post_raw(client, tenant, payload.encode()), 400)
    assert problem["errors"] == [{"field": "firstName", "message": "appears more than once"}]


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800", "\\udfff"])
def test_nul_and_lone_surrogates_are_field_errors(
    client: TestClient, tenant: Tenant, escape: str
) -> None:
    payload = json.dumps(make_prospect_payload(tenant, lastName="SmithX")).replace("X", escape)
    problem = _assert_problem(_post_raw(client, tenant, payload.encode()), 400)
    assert [e["field"] for e in problem["errors"]] == ["lastName"]


def test_surrogate_in_unknown_field_name_is_echoed_safely(
    client: TestClient, tenant: Tenant
) -> None:
    payload = json.dumps(make_prospect_payload(tenant))[:-1] + ', "bad\\ud800": 1}'
    problem = _assert_problem(_post_raw(client, tenant, payload.encode()), 400)
    assert problem["errors"][0]["message"] == "is not a known field"


def test_long_unknown_field_name_is_echoed_shortened(client: TestClient, tenant: Tenant) -> None:
    payload = make_prospect_payload(tenant) | {"z" * 5000: 1}
    problem = _assert_problem(client.post(INTAKE, json=payload, headers=tenant.headers()), 400)
    assert len(problem["errors"][0]["field"]) <= 103


def test_one_mebibyte_body_is_413(client: TestClient, tenant: Tenant, engine: Engine) -> None:
    payload = make_prospect_payload(tenant, message="m" * (1024 * 1024))
    problem = _assert_problem(client.post(INTAKE, json=payload, headers=tenant.headers()), 413)
    assert "64 KiB" in problem["detail"]
    with engine.connect() as conn:
        log = conn.execute(select(intake_log)).one()
    assert (log.status, log.body) == (413, None)


def test_body_just_over_64_kib_without_length_header_is_413(
    client: TestClient, tenant: Tenant
) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"message": "'
        for _ in range(70):
            yield b"m" * 1024
        yield b'"}'

    response = client.post(INTAKE, content=chunks(), headers=tenant.headers())
    _assert_problem(response, 413)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=latin-1"],
)
def test_non_json_content_type_is_415(
    client: TestClient, tenant: Tenant, content_type: str
) -> None:
    body = json.dumps(make_prospect_payload(tenant)).encode()
    _assert_problem(_post_raw(client, tenant, body, content_type), 415)


def test_get_on_the_intake_path_is_405_problem(client: TestClient, tenant: Tenant) -> None:
    response = client.get(INTAKE, headers=tenant.headers())
    _assert_problem(response, 405)
    assert response.headers["allow"] == "POST"


def test_unknown_path_is_404_problem(client: TestClient) -> None:
    _assert_problem(client.get("/no/such/path"), 404)
