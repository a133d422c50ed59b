"""The parsed form of an FQL expression: small immutable nodes that remember where they started.

Positions are 0-based character offsets into the original text, so that errors found after
parsing (unknown field, wrong type) still point at the right spot.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal


class Op(enum.Enum):
    """Comparison operators, one member per meaning (`==` and `=` are both EQ)."""

    EQ = "="
    NE = "!="
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    LIKE = "~="
    MATCHES = "matches"
    HAS_ANY = "hasAny"


@dataclass(frozen=True, slots=True)
class StringValue:
    value: str
    position: int


@dataclass(frozen=True, slots=True)
class NumberValue:
    value: int | Decimal
    position: int


@dataclass(frozen=True, slots=True)
class NullValue:
    position: int


@dataclass(frozen=True, slots=True)
class ExistsValue:
    position: int


@dataclass(frozen=True, slots=True)
class ListValue:
    items: tuple[StringValue | NumberValue, ...]
    position: int


Scalar = StringValue | NumberValue
Value = StringValue | NumberValue | NullValue | ExistsValue | ListValue


@dataclass(frozen=True, slots=True)
class Comparison:
    field: str
    op: Op
    value: Value
    position: int
    op_position: int


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node
    position: int


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Node, ...]
    position: int


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Node, ...]
    position: int


Node = Comparison | Not | And | Or
