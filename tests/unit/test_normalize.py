"""Normalisation of the values prospects are matched on."""

from __future__ import annotations

import pytest

from ils_intake.ids import canonical_uuid
from ils_intake.prospects import normalize


@pytest.mark.parametrize(
    "text",
    [
        "5553211234",
        "(555) 321-1234",
        "555.321.1234",
        "+1 555 321 1234",
        "1-555-321-1234",
        "+15553211234",
        " 555 321 1234 ",
    ],
)
def test_nanp_spellings_normalise_to_one_e164(text: str) -> None:
    assert normalize.phone_e164(text) == "+15553211234"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("+44 20 7946 0958", "+442079460958"), ("+33 1 42 68 53 00", "+33142685300")],
)
def test_international_numbers_need_a_plus(text: str, expected: str) -> None:
    assert normalize.phone_e164(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "321-1234",
        "555321123",
        "55532112345",
        "+1555",
        "1-800-FLOWERS",
        "555 321 1234 x5",
        "",
        "++15553211234",
        "+" + "9" * 20,
    ],
)
def test_impossible_numbers_are_refused(text: str) -> None:
    assert normalize.phone_e164(text) is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (" Bob@FakeMail.com ", "bob@fakemail.com"),
        ("a.b+c@sub.example.org", "a.b+c@sub.example.org"),
    ],
)
def test_email_key_is_trimmed_and_lower_cased(text: str, key: str) -> None:
    assert normalize.email_key(text) == key


@pytest.mark.parametrize(
    "text", ["bob", "bob@", "@x.com", "a@b", "a b@x.com", "x@localhost", "a" * 250 + "@x.com"]
)
def test_invalid_emails_have_no_key(text: str) -> None:
    assert normalize.email_key(text) is None


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2026-04-15", True),
        ("2028-02-29", True),
        ("2027-02-29", False),
        ("2026-4-15", False),
        ("1999-12-31", False),
        ("2100-12-31", True),
        ("2101-01-01", False),
        ("2026-04-15 ", False),
    ],
)
def test_calendar_dates(text: str, valid: bool) -> None:
    assert (normalize.calendar_date(text) is not None) is valid


def test_uuid_any_case_becomes_lower_case() -> None:
    upper = "9E539F48-1C18-41A9-8718-1D4ED029F8B5"
    assert canonical_uuid(upper) == upper.lower()
    assert canonical_uuid(upper.replace("-", "")) is None
    assert canonical_uuid("{" + upper + "}") is None
