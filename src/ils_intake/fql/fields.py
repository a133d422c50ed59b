"""How the API exposes its columns to FQL: a public field name mapped to a column and a type."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement


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
