"""Portfolio files (properties, floor plans, units in JSON or CSV): reading and the row rules.

Nothing here touches the database. Files are streamed once per kind, properties first, so that
rows can be written in foreign-key order and a 100,000-unit file costs memory for its ids only.
The service adds the rules that need the database (ownership, existing unit numbers).
"""

from __future__ import annotations

import csv
import enum
import sys
import zoneinfo
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import ijson

from ils_intake.ids import canonical_uuid
from ils_intake.prospects import normalize


class Kind(enum.Enum):
    """A row's kind; the value is its name in files (the CSV `type` column)."""

    PROPERTY = "property"
    FLOOR_PLAN = "floorPlan"
    UNIT = "unit"


KIND_ORDER = (Kind.PROPERTY, Kind.FLOOR_PLAN, Kind.UNIT)
JSON_ARRAYS = {Kind.PROPERTY: "properties", Kind.FLOOR_PLAN: "floorPlans", Kind.UNIT: "units"}
ORGANIZATION_FIELD = "organizationId"
TYPE_COLUMN = "type"

# file field -> column, per kind; the first three of a property and the required ones below
COLUMNS: dict[Kind, dict[str, str]] = {
    Kind.PROPERTY: {
        "id": "id",
        "name": "name",
        "timezone": "timezone",
        "addressLine1": "address_line1",
        "city": "city",
        "state": "state",
        "postalCode": "postal_code",
    },
    Kind.FLOOR_PLAN: {
        "id": "id",
        "propertyId": "property_id",
        "name": "name",
        "beds": "beds",
        "baths": "baths",
    },
    Kind.UNIT: {
        "id": "id",
        "propertyId": "property_id",
        "floorPlanId": "floor_plan_id",
        "number": "number",
    },
}
REQUIRED: dict[Kind, tuple[str, ...]] = {
    Kind.PROPERTY: ("id", "name", "timezone"),
    Kind.FLOOR_PLAN: ("id", "propertyId", "name"),
    Kind.UNIT: ("id", "propertyId", "number"),
}
CSV_COLUMNS = (
    TYPE_COLUMN,
    ORGANIZATION_FIELD,
    *dict.fromkeys(f for c in COLUMNS.values() for f in c),
)
TEXT_LIMITS = {
    "name": 200,
    "addressLine1": 200,
    "city": 100,
    "state": 100,
    "postalCode": 20,
    "number": 32,
}
MAX_BEDS = MAX_BATHS = 15


class PortfolioFileError(ValueError):
    """The file cannot be read as a portfolio at all (unknown extension)."""


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: where (`row 7` in a CSV, `$.units[3]` in JSON), which field, and why."""

    location: str
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class RawRow:
    """A row as read: present values only, by file field name. CSV values are all text."""

    kind: Kind
    location: str
    values: dict[str, Any] | None  # None when a JSON item is not an object
    textual: bool


@dataclass(slots=True)
class CheckedRow:
    """A row's columns that passed their rules, and the errors of those that did not."""

    kind: Kind
    location: str
    columns: dict[str, Any]
    errors: list[RowError]


@dataclass(slots=True)
class Census:
    """What a first read of the file found: counts per kind, the organization, file errors."""

    counts: dict[Kind, int] = field(default_factory=lambda: dict.fromkeys(KIND_ORDER, 0))
    organization_id: str | None = None
    organization_location: str = ""
    errors: list[RowError] = field(default_factory=list)
    readable: bool = True

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class Portfolio:
    """A portfolio file, read by kind. `census` is taken on opening."""

    def __init__(self, path: Path) -> None:
        suffix = path.suffix.lower()
        if suffix not in (".json", ".csv"):
            raise PortfolioFileError(f"{path.name}: use a .json or .csv file")
        self.path = path
        self.is_csv = suffix == ".csv"
        self.census = _csv_census(path) if self.is_csv else _json_census(path)

    def rows(self, kind: Kind) -> Iterator[RawRow]:
        """The rows of one kind, in file order, streamed."""
        if not self.census.readable:
            return
        if self.is_csv:
            yield from _csv_rows(self.path, kind)
        else:
            yield from _json_rows(self.path, kind)


# --- JSON -----------------------------------------------------------------------------------

_ITEM_EVENTS = frozenset({"start_map", "start_array", "string", "number", "boolean", "null"})


def _json_census(path: Path) -> Census:
    census = Census()
    arrays = {f"{name}.item": kind for kind, name in JSON_ARRAYS.items()}
    try:
        with path.open("rb") as handle:
            events = ijson.parse(handle)
            prefix, event, value = next(events)
            if event != "start_map":
                census.errors.append(RowError("$", "", "the file must hold one JSON object"))
                census.readable = False
                return census
            for prefix, event, value in events:
                if prefix == "" and event == "map_key":
                    _json_member(census, str(value))
                elif prefix in arrays and event in _ITEM_EVENTS:
                    census.counts[arrays[prefix]] += 1
                elif prefix in JSON_ARRAYS.values() and event in _ITEM_EVENTS:
                    if event != "start_array":
                        census.errors.append(RowError(f"$.{prefix}", "", "must be an array"))
                elif prefix == ORGANIZATION_FIELD and event in _ITEM_EVENTS - {"null"}:
                    _json_organization(census, value if event == "string" else None)
    except (ijson.JSONError, UnicodeDecodeError, StopIteration) as exc:
        message = str(exc).strip().replace("\n", " ")[:200] or "the file ends too early"
        census.errors.append(RowError("$", "", f"not valid JSON: {message}"))
        census.readable = False
    return census


def _json_member(census: Census, name: str) -> None:
    if name != ORGANIZATION_FIELD and name not in JSON_ARRAYS.values():
        known = ", ".join([ORGANIZATION_FIELD, *JSON_ARRAYS.values()])
        census.errors.append(RowError("$", name[:100], f"is not a member of a portfolio ({known})"))


def _json_organization(census: Census, value: str | None) -> None:
    census.organization_location = f"$.{ORGANIZATION_FIELD}"
    if value is None:
        census.errors.append(RowError("$", ORGANIZATION_FIELD, "must be a UUID"))
    else:
        census.organization_id = value


def _json_rows(path: Path, kind: Kind) -> Iterator[RawRow]:
    name = JSON_ARRAYS[kind]
    with path.open("rb") as handle:
        for index, item in enumerate(ijson.items(handle, f"{name}.item")):
            values = item if isinstance(item, dict) else None
            if values is not None:
                values = {key: value for key, value in values.items() if value is not None}
            yield RawRow(kind, f"$.{name}[{index}]", values, textual=False)


# --- CSV ------------------------------------------------------------------------------------

_KINDS_BY_NAME = {kind.value.lower(): kind for kind in Kind}


def _csv_reader(handle: Any) -> csv.DictReader[str]:
    return csv.DictReader(handle, restkey="\0extra", strict=True)


def _csv_census(path: Path) -> Census:
    census = Census()
    organizations: set[str] = set()
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = _csv_reader(handle)
            header = reader.fieldnames or []
            _check_header(census, header)
            if not census.readable:
                return census
            for number, row in enumerate(reader, start=2):
                kind = _KINDS_BY_NAME.get((row.get(TYPE_COLUMN) or "").strip().lower())
                if kind is None:
                    kinds = ", ".join(k.value for k in Kind)
                    census.errors.append(RowError(f"row {number}", TYPE_COLUMN, f"must be {kinds}"))
                else:
                    census.counts[kind] += 1
                if row.get("\0extra"):
                    census.errors.append(
                        RowError(f"row {number}", "", "has more cells than the header")
                    )
                organization = (row.get(ORGANIZATION_FIELD) or "").strip()
                if organization and organization not in organizations:
                    organizations.add(organization)
                    census.organization_id = organization
                    census.organization_location = f"row {number}"
    except (UnicodeDecodeError, csv.Error) as exc:
        census.errors.append(RowError("file", "", f"not a UTF-8 CSV file: {exc}"))
        census.readable = False
    if len(organizations) > 1:
        census.errors.append(
            RowError(census.organization_location, ORGANIZATION_FIELD, "differs between rows")
        )
    return census


def _check_header(census: Census, header: Sequence[str]) -> None:
    if TYPE_COLUMN not in header:
        census.errors.append(RowError("row 1", TYPE_COLUMN, "the header must name a type column"))
        census.readable = False
    for name in header:
        if name not in CSV_COLUMNS:
            census.errors.append(
                RowError("row 1", name[:100], f"is not a column ({', '.join(CSV_COLUMNS)})")
            )
            census.readable = False
    if len(set(header)) != len(header):
        census.errors.append(RowError("row 1", "", "a column is named twice"))
        census.readable = False


def _csv_rows(path: Path, kind: Kind) -> Iterator[RawRow]:
    """Rows of one kind; a plain reader skips the others without building a dict for them."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, strict=True)
        header = next(reader)
        type_at = header.index(TYPE_COLUMN)
        fields = [
            (at, name)
            for at, name in enumerate(header)
            if name not in (TYPE_COLUMN, ORGANIZATION_FIELD)
        ]
        for number, cells in enumerate(reader, start=2):
            if (
                type_at >= len(cells)
                or _KINDS_BY_NAME.get(cells[type_at].strip().lower()) is not kind
            ):
                continue
            values = {
                name: cells[at] for at, name in fields if at < len(cells) and cells[at].strip()
            }
            yield RawRow(kind, f"row {number}", values, textual=True)


# --- row rules ------------------------------------------------------------------------------


def check_row(raw: RawRow) -> CheckedRow:
    """Each field of one row against its rule; every problem is reported, not just the first."""
    checked = CheckedRow(raw.kind, raw.location, {}, [])
    if raw.values is None:
        checked.errors.append(RowError(raw.location, "", "must be an object"))
        return checked
    columns = COLUMNS[raw.kind]
    for name in REQUIRED[raw.kind]:
        if name not in raw.values:
            checked.errors.append(RowError(raw.location, name, "is required"))
    for name, value in raw.values.items():
        column = columns.get(name)
        if column is None:
            message = f"is not a field of a {raw.kind.value} ({', '.join(columns)})"
            checked.errors.append(RowError(raw.location, str(name)[:100], message))
            continue
        try:
            checked.columns[column] = _RULES[name](value, raw.textual)
        except ValueError as exc:
            checked.errors.append(RowError(raw.location, name, str(exc)))
    if raw.kind is Kind.UNIT and "number" in checked.columns:
        checked.columns["number_key"] = checked.columns["number"].lower()
    return checked


def _uuid(value: Any, _textual: bool) -> str:
    canonical = canonical_uuid(value.strip()) if isinstance(value, str) else None
    if canonical is None:
        raise ValueError("must be a UUID")
    return canonical


def _reference(value: Any, textual: bool) -> str:
    """A property or floor plan id: thousands of rows repeat a few, so one copy is kept."""
    return sys.intern(_uuid(value, textual))


def _text(limit: int) -> Any:
    def rule(value: Any, _textual: bool) -> str:
        text = value.strip() if isinstance(value, str) else None
        if not text or len(text) > limit or normalize.has_control(text):
            raise ValueError(f"must be text of 1-{limit} characters without control characters")
        return text

    return rule


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _timezone(value: Any, _textual: bool) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if name not in _zones():
        raise ValueError("must be an IANA time zone such as America/Chicago")
    return name


def _number(value: Any, textual: bool) -> Decimal | None:
    """A JSON number, or in a CSV a plain decimal numeral; None when it is neither."""
    if textual and isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() and "e" not in value.lower() else None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    return number if number.is_finite() else None


def _beds(value: Any, textual: bool) -> int:
    number = _number(value, textual)
    if number is None or number != number.to_integral_value() or not 0 <= number <= MAX_BEDS:
        raise ValueError(f"must be a whole number from 0 to {MAX_BEDS}")
    return int(number)


def _baths(value: Any, textual: bool) -> float:
    number = _number(value, textual)
    if number is None or (number * 2) % 1 != 0 or not 0 <= number <= MAX_BATHS:
        raise ValueError(f"must be a number from 0 to {MAX_BATHS} in steps of 0.5")
    return float(number)


_RULES: dict[str, Any] = {
    "id": _uuid,
    "propertyId": _reference,
    "floorPlanId": _reference,
    "timezone": _timezone,
    "beds": _beds,
    "baths": _baths,
    **{name: _text(limit) for name, limit in TEXT_LIMITS.items()},
}


# --- consistency within the file ------------------------------------------------------------


class FileIndex:
    """The ids and unit numbers seen so far in the file, for the rules that span rows.

    A row registers its id and property even when another of its fields is invalid, so one
    mistake is reported once rather than again on every row that refers to it.
    """

    def __init__(self) -> None:
        self.property_ids: set[str] = set()
        # floor plan id -> property id, or None when its row names no valid property
        self.floor_plans: dict[str, str | None] = {}
        self.unit_ids: set[str] = set()
        self.unit_numbers: set[tuple[str, str]] = set()  # (property id, number key)

    def add(self, row: CheckedRow) -> None:
        """Register `row`, adding an error to it when it repeats an id or a unit number."""
        row_id, property_id = row.columns.get("id"), row.columns.get("property_id")
        if row_id is None:
            return
        if row.kind is Kind.PROPERTY:
            seen: Any = self.property_ids
        elif row.kind is Kind.FLOOR_PLAN:
            seen = self.floor_plans
        else:
            seen = self.unit_ids
        if row_id in seen:
            row.errors.append(RowError(row.location, "id", "appears more than once in the file"))
            return
        if row.kind is Kind.PROPERTY:
            self.property_ids.add(row_id)
        elif row.kind is Kind.FLOOR_PLAN:
            self.floor_plans[row_id] = property_id
        else:
            self.unit_ids.add(row_id)
            self._add_number(row, property_id)

    def _add_number(self, row: CheckedRow, property_id: str | None) -> None:
        key = row.columns.get("number_key")
        if property_id is None or key is None:
            return
        if (property_id, key) in self.unit_numbers:
            message = "is used by another unit of this property in the file (case-insensitively)"
            row.errors.append(RowError(row.location, "number", message))
        self.unit_numbers.add((property_id, key))
