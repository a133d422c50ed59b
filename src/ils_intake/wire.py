"""How values are written on the wire: UTC times with `Z`, whole numbers without `.0`."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_z(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def json_number(value: float | None) -> float | int | None:
    """`2` rather than `2.0`, as the seed's example writes a whole number of baths."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value
