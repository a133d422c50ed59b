"""How the API exposes its columns to FQL: a public field name mapped to a column and a type."""

from __future__ import annotations

import difflib
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, ColumnElement

from ils_intake.fql.errors import FqlError


class FieldKind(enum.Enum):
    """The literal types a field accepts; the column's SQL type alone cannot tell UUID from text."""

    STRING = "string"
    UUID = "uuid"
    NUMBER = "number"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True, slots=True)
class FqlField:
    """One filterable, sortable field.

    `column` is what the SQL uses; `kind` decides which literals and operators are valid. A
    `Column` declared `nullable=False` lets the compiler leave out `IS NULL` guards.
    """

    column: ColumnElement[Any]
    kind: FieldKind

    @property
    def nullable(self) -> bool:
        """Only a Column declared NOT NULL is known never to be NULL."""
        return not (isinstance(self.column, Column) and not self.column.nullable)


def lookup_field(name: str, position: int, fields: Mapping[str, FqlField]) -> FqlField:
    """The field called `name`, or an FqlError that tells the caller what they could have used."""
    field = fields.get(name)
    if field is not None:
        return field
    known = sorted(fields)
    close = difflib.get_close_matches(name, known, n=1) or [
        k for k in known if k.lower() == name.lower()
    ]
    hint = f", did you mean '{close[0]}'?" if close else ""
    raise FqlError(
        f"unknown field '{name[:30]}'{hint} (known fields: {', '.join(known)})", position
    )
