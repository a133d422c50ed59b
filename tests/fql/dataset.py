"""The FQL test table and its rows, shared by the fixtures and the table-driven tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Column, Date, Integer, MetaData, Numeric, String, Table

from ils_intake.db.types import UTCDateTime
from ils_intake.fql import FieldKind, FqlField

P1 = "0b5a6e3c-1d2f-4a5b-8c7d-9e0f1a2b3c4d"
P2 = "6f1c2d3e-4a5b-4c6d-8e7f-a0b1c2d3e4f5"
P3 = "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f"
U1 = "11111111-2222-4333-8444-555555555555"
U2 = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"

metadata = MetaData()

prospects = Table(
    "fql_prospect",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", String(100), nullable=False),
    Column("source", String(100)),
    Column("email", String(254)),
    Column("property_id", String(36), nullable=False),
    Column("unit_id", String(36)),
    Column("beds", Integer),
    Column("rent", Numeric(8, 2, asdecimal=False)),
    Column("move_in_date", Date),
    Column("created_at", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime),
)

FIELDS: Mapping[str, FqlField] = {
    "name": FqlField(prospects.c.name, FieldKind.STRING),
    "source": FqlField(prospects.c.source, FieldKind.STRING),
    "email": FqlField(prospects.c.email, FieldKind.STRING),
    "propertyId": FqlField(prospects.c.property_id, FieldKind.UUID),
    "unitId": FqlField(prospects.c.unit_id, FieldKind.UUID),
    "beds": FqlField(prospects.c.beds, FieldKind.NUMBER),
    "rent": FqlField(prospects.c.rent, FieldKind.NUMBER),
    "moveInDate": FqlField(prospects.c.move_in_date, FieldKind.DATE),
    "createdAt": FqlField(prospects.c.created_at, FieldKind.DATETIME),
    "deletedAt": FqlField(prospects.c.deleted_at, FieldKind.DATETIME),
}


def _utc(text_value: str) -> datetime:
    return datetime.fromisoformat(text_value).astimezone(UTC)


# Chosen so that each operator has rows on both sides of it, and NULLs where they matter:
# the whole-day rows sit on the edges of 2026-01-01 UTC, rows 4-7 and 9 hold LIKE and
# escaping traps.
ROWS: list[dict[str, Any]] = [
    {
        "id": 1,
        "name": "John Smith",
        "source": "Zillow",
        "email": "john@gmail.com",
        "property_id": P1,
        "unit_id": U1,
        "beds": 2,
        "rent": 1500.00,
        "move_in_date": date(2026, 2, 1),
        "created_at": _utc("2026-01-01T00:00:00+00:00"),
        "deleted_at": None,
    },
    {
        "id": 2,
        "name": "johnny Appleseed",
        "source": "Apartments.com",
        "email": "johnny@example.com",
        "property_id": P1,
        "unit_id": None,
        "beds": 1,
        "rent": 1200.50,
        "move_in_date": date(2026, 3, 15),
        "created_at": _utc("2025-12-31T23:59:59.999999+00:00"),
        "deleted_at": None,
    },
    {
        "id": 3,
        "name": "Mary Jones",
        "source": None,
        "email": None,
        "property_id": P2,
        "unit_id": U2,
        "beds": 3,
        "rent": 2100,
        "move_in_date": None,
        "created_at": _utc("2026-01-01T23:59:59+00:00"),
        "deleted_at": _utc("2026-02-01T12:00:00+00:00"),
    },
    {
        "id": 4,
        "name": "100% Real",
        "source": "zillow",
        "email": "LEADS@GMAIL.COM",
        "property_id": P2,
        "unit_id": None,
        "beds": None,
        "rent": None,
        "move_in_date": date(2026, 1, 31),
        "created_at": _utc("2026-01-02T00:00:00+00:00"),
        "deleted_at": None,
    },
    {
        "id": 5,
        "name": "1000 Real",
        "source": "Craigslist",
        "email": "x@yahoo.com",
        "property_id": P3,
        "unit_id": None,
        "beds": 0,
        "rent": 999.99,
        "move_in_date": date(2026, 1, 1),
        "created_at": datetime(2026, 1, 1, 10, tzinfo=timezone(timedelta(hours=2))),
        "deleted_at": None,
    },
    {
        "id": 6,
        "name": "a_b",
        "source": "Zillow",
        "email": "ab@gmail.com",
        "property_id": P3,
        "unit_id": U1,
        "beds": 2,
        "rent": 1500,
        "move_in_date": date(2026, 2, 1),
        "created_at": _utc("2026-01-01T12:00:00+00:00"),
        "deleted_at": None,
    },
    {
        "id": 7,
        "name": "axb",
        "source": "Zumper",
        "email": "axb@gmail.com.au",
        "property_id": P1,
        "unit_id": None,
        "beds": 1,
        "rent": 850,
        "move_in_date": date(2025, 12, 31),
        "created_at": _utc("2025-12-31T00:00:00+00:00"),
        "deleted_at": None,
    },
    {
        "id": 8,
        "name": "Zoë O'Brien/Smith",
        "source": None,
        "email": None,
        "property_id": P2,
        "unit_id": None,
        "beds": None,
        "rent": None,
        "move_in_date": None,
        "created_at": _utc("2024-06-15T08:00:00+00:00"),
        "deleted_at": _utc("2024-07-01T00:00:00+00:00"),
    },
    {
        "id": 9,
        "name": 'Quote "Q" Back\\slash',
        "source": "Zillow Premium",
        "email": "q@example.com",
        "property_id": P3,
        "unit_id": U2,
        "beds": 5,
        "rent": 4200.75,
        "move_in_date": date(2027, 1, 1),
        "created_at": _utc("2026-01-03T00:00:00+00:00"),
        "deleted_at": None,
    },
    {
        "id": 10,
        "name": "Star*Bright",
        "source": "Zillow",
        "email": None,
        "property_id": P1,
        "unit_id": None,
        "beds": 2,
        "rent": 1500.5,
        "move_in_date": date(2026, 2, 1),
        "created_at": _utc("2026-01-02T23:59:59.500000+00:00"),
        "deleted_at": None,
    },
]

ALL_IDS = frozenset(row["id"] for row in ROWS)
