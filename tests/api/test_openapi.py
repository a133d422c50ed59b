"""The OpenAPI document describes what the endpoint really does."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.builders import INTAKE


def test_intake_is_documented_with_key_scheme_and_problem_responses(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["IlsApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "x-api-key",
        "description": schemes["IlsApiKey"]["description"],
    }
    post = schema["paths"][INTAKE]["post"]
    assert post["security"] == [{"IlsApiKey": []}]
    for status in ["400", "401", "409", "413", "415", "422", "429", "503"]:
        content = post["responses"][status]["content"]
        assert content == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    created = post["responses"]["200"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/ProspectCreated"}
    # FastAPI's own 422 validation answer is never sent: 422 means only a reused Idempotency-Key
    assert "Idempotency-Key" in post["responses"]["422"]["description"]
    (header,) = [p for p in post["parameters"] if p["name"] == "Idempotency-Key"]
    assert header["in"] == "header"
    assert header["required"] is False


def test_request_body_schema_matches_the_field_rules(client: TestClient) -> None:
    post = client.get("/openapi.json").json()["paths"][INTAKE]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert body["additionalProperties"] is False
    assert body["required"] == ["propertyId", "firstName", "lastName"]
    props = body["properties"]
    assert props["nBeds"]["anyOf"][0] == {
        "type": "number",
        "minimum": 0,
        "maximum": 15,
        "multipleOf": 1,
    }
    assert props["moveInDate"]["anyOf"][0]["format"] == "date"
    assert props["propertyId"]["format"] == "uuid"


def test_docs_page_is_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
