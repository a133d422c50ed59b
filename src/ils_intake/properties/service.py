"""Importing a portfolio: the rules that need the database, and the batched writes.

One call handles one file inside the caller's transaction. Rows are checked and written in
batches (properties, then floor plans, then units, so foreign keys hold); once any row is
invalid nothing more is written and `ImportRejected` makes the caller roll back, so a file is
imported whole or not at all. Ids already stored are updated, new ones inserted, and rows the
file does not mention are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Connection

from ils_intake.db.types import AnyRow, utcnow
from ils_intake.ids import canonical_uuid
from ils_intake.organizations import repository as organizations
from ils_intake.properties import repository
from ils_intake.properties.importer import (
    COLUMNS,
    KIND_ORDER,
    ORGANIZATION_FIELD,
    CheckedRow,
    FileIndex,
    Kind,
    Portfolio,
    RowError,
    check_row,
)

BATCH_SIZE = 1000
MAX_REPORTED_ERRORS = 1000
T = TypeVar("T")


class ImportRejected(Exception):
    """The file has invalid rows: nothing of it may be kept. `errors` holds the first ones."""

    def __init__(self, errors: list[RowError], total: int) -> None:
        super().__init__(f"{total} invalid {'row' if total == 1 else 'rows'}")
        self.errors = errors
        self.total = total


@dataclass(slots=True)
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(slots=True)
class ImportSummary:
    organization_id: str
    counts: dict[Kind, Counts] = field(default_factory=lambda: {k: Counts() for k in KIND_ORDER})


@dataclass(slots=True)
class _Errors:
    """Every error is counted; the first MAX_REPORTED_ERRORS are kept for the report."""

    kept: list[RowError] = field(default_factory=list)
    total: int = 0

    def extend(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.total += 1
            if len(self.kept) < MAX_REPORTED_ERRORS:
                self.kept.append(error)


def import_portfolio(
    conn: Connection,
    portfolio: Portfolio,
    *,
    organization_id: str | None,
    write: bool = True,
    advance: Callable[[int], None] = lambda _rows: None,
) -> ImportSummary:
    """Check every row of `portfolio` and, with `write`, store them; raises ImportRejected."""
    errors = _Errors()
    errors.extend(portfolio.census.errors)
    organization = _organization(conn, organization_id, portfolio, errors)
    if organization is None:
        raise ImportRejected(errors.kept, errors.total)
    summary = ImportSummary(organization)
    index = FileIndex()
    now = utcnow()
    for kind in KIND_ORDER:
        for batch in _batches(portfolio.rows(kind), BATCH_SIZE):
            rows = [check_row(raw) for raw in batch]
            existing = _CHECKS[kind](conn, rows, organization, index)
            changed = _classify(rows, existing, summary.counts[kind])
            for row in rows:
                errors.extend(row.errors)
            if write and errors.total == 0:
                owner = {"organization_id": organization} if kind is Kind.PROPERTY else {}
                values = [{**v, **owner, "created_at": now, "updated_at": now} for v in changed]
                _UPSERTS[kind](conn, values)
            advance(len(batch))
    if errors.total:
        raise ImportRejected(errors.kept, errors.total)
    return summary


def _organization(
    conn: Connection, option: str | None, portfolio: Portfolio, errors: _Errors
) -> str | None:
    """The organization from --org or the file (they must agree); it must exist."""
    census = portfolio.census
    where, chosen = "--org", None
    if option is not None:
        chosen = canonical_uuid(option.strip())
        if chosen is None:
            errors.extend([RowError(where, ORGANIZATION_FIELD, "must be a UUID")])
            return None
    if census.organization_id is not None:
        where = census.organization_location
        in_file = canonical_uuid(census.organization_id.strip())
        if in_file is None or (chosen is not None and in_file != chosen):
            message = "must be a UUID" if in_file is None else f"differs from --org {chosen}"
            errors.extend([RowError(where, ORGANIZATION_FIELD, message)])
            return None
        chosen = in_file
    if chosen is None:
        message = "is required: pass --org or put organizationId in the file"
        errors.extend([RowError(where, ORGANIZATION_FIELD, message)])
        return None
    if organizations.find_organization(conn, chosen) is None:
        errors.extend([RowError(where, ORGANIZATION_FIELD, f"{chosen} is not an organization")])
        return None
    return chosen


def _check_properties(
    conn: Connection, rows: list[CheckedRow], organization: str, index: FileIndex
) -> dict[str, AnyRow]:
    existing = repository.properties_by_id(conn, _ids(rows))
    for row in rows:
        index.add(row)
        old = existing.get(row.columns.get("id", ""))
        if old is not None and old.organization_id != organization:
            _fail(row, "id", "is a property of another organization")
    return existing


def _check_floor_plans(
    conn: Connection, rows: list[CheckedRow], organization: str, index: FileIndex
) -> dict[str, AnyRow]:
    owned = _stored_properties(conn, rows, organization, index)
    existing = repository.floor_plans_by_id(conn, _ids(rows))
    for row in rows:
        index.add(row)
        _check_property(row, owned, index)
        _check_owner(row, existing, organization, "floor plan")
    return existing


def _check_units(
    conn: Connection, rows: list[CheckedRow], organization: str, index: FileIndex
) -> dict[str, AnyRow]:
    owned = _stored_properties(conn, rows, organization, index)
    existing = repository.units_by_id(conn, _ids(rows))
    plan_ids = {r.columns["floor_plan_id"] for r in rows if "floor_plan_id" in r.columns}
    stored_plans = repository.floor_plans_by_id(conn, list(plan_ids - index.floor_plans.keys()))
    numbers = repository.unit_ids_by_number(conn, _number_keys(rows))
    for row in rows:
        index.add(row)
        known = _check_property(row, owned, index)
        _check_owner(row, existing, organization, "unit")
        property_id = row.columns.get("property_id")
        plan_id = row.columns.get("floor_plan_id")
        if known and plan_id is not None and property_id is not None:
            _check_floor_plan(row, plan_id, property_id, index, stored_plans)
        holder = numbers.get((property_id or "", row.columns.get("number_key", "")))
        # a number another stored unit holds is free only if the file renumbered it before
        if holder is not None and holder != row.columns.get("id") and holder not in index.unit_ids:
            _fail(row, "number", f"is already the number of unit {holder} of this property")
    return existing


def _check_floor_plan(
    row: CheckedRow,
    plan_id: str,
    property_id: str,
    index: FileIndex,
    stored_plans: dict[str, AnyRow],
) -> None:
    """A unit's floor plan is one of its property's, in the file or stored."""
    if plan_id in index.floor_plans:
        plan_property = index.floor_plans[plan_id]
        if plan_property is None:  # that floor plan's own row is already reported
            return
    else:
        stored = stored_plans.get(plan_id)
        plan_property = stored.property_id if stored is not None else None
    if plan_property != property_id:
        _fail(row, "floorPlanId", "is not a floor plan of the unit's property")


_CHECKS: dict[Kind, Callable[[Connection, list[CheckedRow], str, FileIndex], dict[str, AnyRow]]] = {
    Kind.PROPERTY: _check_properties,
    Kind.FLOOR_PLAN: _check_floor_plans,
    Kind.UNIT: _check_units,
}
_UPSERTS: dict[Kind, Callable[[Connection, list[dict[str, Any]]], None]] = {
    Kind.PROPERTY: repository.upsert_properties,
    Kind.FLOOR_PLAN: repository.upsert_floor_plans,
    Kind.UNIT: repository.upsert_units,
}


def _stored_properties(
    conn: Connection, rows: list[CheckedRow], organization: str, index: FileIndex
) -> set[str]:
    """The organization's stored properties among those the rows name outside the file."""
    named = {r.columns["property_id"] for r in rows if "property_id" in r.columns}
    return repository.property_ids_of_organization(conn, organization, named - index.property_ids)


def _check_property(row: CheckedRow, owned: set[str], index: FileIndex) -> bool:
    """False, with an error, when the row names a property neither in the file nor owned."""
    property_id = row.columns.get("property_id")
    if property_id is None or property_id in owned or property_id in index.property_ids:
        return True
    _fail(row, "propertyId", "is not a property of this file or of the organization")
    return False


def _check_owner(
    row: CheckedRow, existing: dict[str, AnyRow], organization: str, noun: str
) -> None:
    """A stored floor plan or unit stays in its organization and on its property."""
    old = existing.get(row.columns.get("id", ""))
    if old is None:
        return
    if old.organization_id != organization:
        _fail(row, "id", f"is a {noun} of another organization")
    elif row.columns.get("property_id", old.property_id) != old.property_id:
        message = f"cannot change: this {noun} belongs to property {old.property_id}"
        _fail(row, "propertyId", message)


def _classify(
    rows: list[CheckedRow], existing: dict[str, AnyRow], counts: Counts
) -> list[dict[str, Any]]:
    """Count valid rows as created, updated or unchanged; return the values to write."""
    changed: list[dict[str, Any]] = []
    for row in rows:
        if row.errors:
            continue
        names = [*COLUMNS[row.kind].values(), *(["number_key"] if row.kind is Kind.UNIT else [])]
        values = {name: row.columns.get(name) for name in names}
        old = existing.get(row.columns["id"])
        if old is None:
            counts.created += 1
        elif all(getattr(old, name) == value for name, value in values.items()):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        changed.append(values)
    return changed


def _fail(row: CheckedRow, field_name: str, message: str) -> None:
    row.errors.append(RowError(row.location, field_name, message))


def _ids(rows: list[CheckedRow]) -> list[str]:
    return [row.columns["id"] for row in rows if "id" in row.columns]


def _number_keys(rows: list[CheckedRow]) -> set[tuple[str, str]]:
    return {
        (row.columns["property_id"], row.columns["number_key"])
        for row in rows
        if "property_id" in row.columns and "number_key" in row.columns
    }


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
