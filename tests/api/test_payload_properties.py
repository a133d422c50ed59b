"""Property tests of the payload rules: any valid payload is accepted and echoed as sent
(trimmed); one corrupted field gives exactly that field's error, whatever the rest holds."""

from __future__ import annotations

import itertools
import uuid
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import INTAKE, Tenant

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_serial = itertools.count()

_letters = st.characters(categories=["L", "M", "Nd"], max_codepoint=0x2FFF)
names = st.builds(
    lambda core, left, right: left + core + right,
    st.text(_letters, min_size=1, max_size=40).filter(lambda s: s.strip() == s),
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(["", " ", "\t"]),
)
phone_shapes = st.sampled_from(
    [
        "212555{:04d}",
        "(212) 555-{:04d}",
        "212.555.{:04d}",
        "+1 212 555 {:04d}",
        "+44 20 7946 {:04d}",
    ]
)
optional = {
    "nBeds": st.none() | st.integers(0, 15),
    "nBaths": st.none() | st.integers(0, 30).map(lambda n: n / 2),
    "moveInDate": st.none() | st.dates(date(2000, 1, 1), date(2100, 12, 31)).map(date.isoformat),
    "preferredUnit": st.none() | st.text(_letters, min_size=1, max_size=32),
    # line breaks and tabs are allowed in a message; other control characters are not
    "message": st.none()
    | st.from_regex(r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]{0,300}", fullmatch=True),
}
CORRUPTIONS: list[tuple[str, Any]] = [
    ("propertyId", "not-a-uuid"),
    ("propertyId", 42),
    ("firstName", ""),
    ("firstName", "   "),
    ("firstName", "x" * 101),
    ("lastName", "Smi\x07th"),
    ("lastName", ["Smith"]),
    ("phoneNumber", "12"),
    ("phoneNumber", "call me"),
    ("phoneNumber", 5553211234),
    ("emailAddress", "no-at-sign"),
    ("emailAddress", "a@"),
    ("nBeds", 16),
    ("nBeds", -1),
    ("nBeds", 2.5),
    ("nBeds", True),
    ("nBeds", "3"),
    ("nBaths", 0.25),
    ("nBaths", 15.5),
    ("nBaths", "2"),
    ("moveInDate", "2026-02-30"),
    ("moveInDate", "1999-12-31"),
    ("moveInDate", "04/15/2026"),
    ("moveInDate", 20260415),
    ("preferredUnit", ""),
    ("preferredUnit", "u" * 33),
    ("preferredFloorPlanId", "nope"),
    ("preferredFloorPlanId", str(uuid.UUID(int=7))),
    ("message", "m" * 5001),
    ("message", 12),
]


@st.composite
def valid_payloads(draw: st.DrawFn, tenant: Tenant) -> dict[str, Any]:
    """A valid payload whose contacts are new, so it creates a prospect."""
    n = next(_serial)
    payload: dict[str, Any] = {
        "propertyId": draw(st.sampled_from([tenant.property_id, tenant.property_id.upper()])),
        "firstName": draw(names),
        "lastName": draw(names),
        "phoneNumber": draw(phone_shapes).format(n),
        "emailAddress": f"lead.{n}@example.org",
        "preferredFloorPlanId": draw(st.none() | st.just(tenant.floor_plan_id)),
    }
    for field, strategy in optional.items():
        payload[field] = draw(strategy)
    return payload


def test_valid_payloads_are_accepted_and_echoed(client: TestClient, tenant: Tenant) -> None:
    @EXAMPLES
    @given(payload=valid_payloads(tenant))
    def accepted(payload: dict[str, Any]) -> None:
        response = client.post(INTAKE, json=payload, headers=tenant.headers())
        assert response.status_code == 200, response.text
        body = response.json()
        for field, sent in payload.items():
            expected = sent.strip() if isinstance(sent, str) else sent
            if field == "propertyId":
                expected = sent.lower()
            assert body[field] == expected, field

    accepted()


def test_one_corrupted_field_gives_exactly_its_error(client: TestClient, tenant: Tenant) -> None:
    @EXAMPLES
    @given(payload=valid_payloads(tenant), corruption=st.sampled_from(CORRUPTIONS))
    def rejected(payload: dict[str, Any], corruption: tuple[str, Any]) -> None:
        field, bad = corruption
        response = client.post(INTAKE, json=payload | {field: bad}, headers=tenant.headers())
        assert response.status_code == 400, response.text
        assert [e["field"] for e in response.json()["errors"]] == [field]

    rejected()
