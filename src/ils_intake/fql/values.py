"""Turns FQL literals into the Python values bound as SQL parameters, by field kind.

Every check raises FqlError at the literal's position, so a typo in one value of a long
expression is easy to find.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from ils_intake.fql.errors import FqlError
from ils_intake.fql.fields import FieldKind
from ils_intake.fql.tree import NumberValue, Scalar, StringValue

# 64-bit signed range: what both databases can compare against an integer column.
_MAX_INTEGER = 2**63 - 1
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATETIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"(?P<zone>[Zz]|[+-]\d{2}:?\d{2})?",
    re.ASCII,
)


@dataclass(frozen=True, slots=True)
class Day:
    """A date-only literal against a DATETIME field: the UTC day [start, end)."""

    start: datetime
    end: datetime


Bound = str | int | Decimal | date | datetime | Day


def string(value: Scalar, field: str) -> str:
    if not isinstance(value, StringValue):
        raise FqlError(f"field '{field}' takes a string in double quotes", value.position)
    return value.value


def number(value: Scalar, field: str) -> int | Decimal:
    if not isinstance(value, NumberValue):
        raise FqlError(f"field '{field}' takes a number (without quotes)", value.position)
    if isinstance(value.value, int) and abs(value.value) > _MAX_INTEGER:
        raise FqlError("number is out of range", value.position)
    if isinstance(value.value, Decimal) and value.value.adjusted() > 18:
        raise FqlError("number is out of range", value.position)
    return value.value


def uuid_text(value: Scalar, field: str) -> str:
    """Canonical lower-case spelling, which is how ids are stored."""
    text = string(value, field)
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise FqlError(f"field '{field}' takes a UUID", value.position) from None


def date_value(value: Scalar, field: str) -> date:
    text = string(value, field)
    if _DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise FqlError(f"field '{field}' takes a date like \"2026-01-31\"", value.position)


def datetime_value(value: Scalar, field: str) -> datetime | Day:
    """An aware UTC datetime, or the whole UTC day when only a date is given."""
    text = string(value, field)
    try:
        if _DATE.fullmatch(text):
            start = datetime.fromisoformat(text).replace(tzinfo=UTC)
            return Day(start, start + timedelta(days=1))
        match = _DATETIME.fullmatch(text)
        if match:
            time = match["time"]
            if "." in time:  # clients send 3, 6, 7 or 9 digits; keep microseconds
                whole, fraction = time.split(".")
                time = f"{whole}.{fraction[:6].ljust(6, '0')}"
            zone = (match["zone"] or "Z").upper().replace("Z", "+00:00")
            parsed = datetime.fromisoformat(f"{match['date']}T{time}{zone}")
            return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        pass
    raise FqlError(
        f"field '{field}' takes an ISO 8601 date-time like \"2026-01-31T09:30:00Z\" "
        'or a date like "2026-01-31"',
        value.position,
    )


def scalar(value: Scalar, field: str, kind: FieldKind) -> Bound:
    """Check and convert one literal for an equality or ordering comparison."""
    if kind is FieldKind.STRING:
        return string(value, field)
    if kind is FieldKind.UUID:
        return uuid_text(value, field)
    if kind is FieldKind.NUMBER:
        return number(value, field)
    if kind is FieldKind.DATE:
        return date_value(value, field)
    return datetime_value(value, field)
