"""Compiles FQL trees into SQLAlchemy Core conditions; literals only ever become bound parameters.

NULL semantics: every condition is true or false for every row, never SQL's "unknown". A
comparison with a value is false where the column is NULL, except `!=`, which is true there
(`source != "Zillow"` keeps leads without a source). `not X` selects exactly the rows X does not.
This is done by pushing `not` down to the comparisons (De Morgan) and giving each negated
comparison an explicit `OR column IS NULL`, skipped for columns declared NOT NULL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Numeric, and_, literal, not_, or_

from ils_intake.fql import values
from ils_intake.fql.errors import FqlError
from ils_intake.fql.fields import FieldKind, FqlField, lookup_field
from ils_intake.fql.parser import parse
from ils_intake.fql.regex import check_pattern
from ils_intake.fql.sort import compile_sort
from ils_intake.fql.tree import (
    And,
    Comparison,
    ExistsValue,
    ListValue,
    Node,
    Not,
    NullValue,
    Op,
    Or,
    Scalar,
)

__all__ = ["compile_filter", "compile_sort", "compile_tree"]

_TEXT_KINDS = (FieldKind.STRING, FieldKind.UUID)


@dataclass(frozen=True, slots=True)
class _Predicate:
    """A comparison in positive form, plus whether the user asked for its complement.

    `base` may be SQL NULL where the column is NULL, unless `null_safe` (IS NULL tests are never
    NULL); a negated predicate needs an IS NULL guard only in that case.
    """

    base: ColumnElement[bool]
    negated: bool = False
    null_safe: bool = False


def compile_filter(text: str, fields: Mapping[str, FqlField]) -> ColumnElement[bool]:
    """Parse and compile a `filter=` expression into a condition for a WHERE clause."""
    return compile_tree(parse(text), fields)


def compile_tree(node: Node, fields: Mapping[str, FqlField]) -> ColumnElement[bool]:
    """Compile an already parsed expression; see the module docstring for NULL handling."""
    return _compile(node, fields, negate=False)


def _compile(node: Node, fields: Mapping[str, FqlField], negate: bool) -> ColumnElement[bool]:
    if isinstance(node, Not):
        return _compile(node.operand, fields, not negate)
    if isinstance(node, And | Or):
        parts = [_compile(operand, fields, negate) for operand in node.operands]
        # De Morgan: not (a and b) == (not a) or (not b)
        return and_(*parts) if isinstance(node, And) != negate else or_(*parts)
    field = lookup_field(node.field, node.position, fields)
    predicate = _predicate(node, field)
    if predicate.negated == negate:
        return predicate.base
    if predicate.null_safe or not field.nullable:
        return not_(predicate.base)
    return or_(not_(predicate.base), field.column.is_(None))


def _predicate(node: Comparison, field: FqlField) -> _Predicate:
    value, column = node.value, field.column
    if isinstance(value, NullValue | ExistsValue):
        if node.op not in (Op.EQ, Op.NE):
            word = "NULL" if isinstance(value, NullValue) else "EXISTS"
            raise FqlError(f"{word} can only be used with = or !=", value.position)
        negated = (node.op is Op.NE) != isinstance(value, ExistsValue)
        return _Predicate(column.is_(None), negated=negated, null_safe=True)
    if isinstance(value, ListValue):  # the parser allows lists after hasAny only
        return _Predicate(_has_any(node, field, value.items))
    if node.op is Op.HAS_ANY:
        raise FqlError("hasAny takes a list", value.position)
    if node.op in (Op.LIKE, Op.MATCHES):
        return _Predicate(_pattern(node, field, value))
    bound = values.scalar(value, node.field, field.kind)
    if node.op is Op.NE:  # stored as the complement of =, so that NULL rows are kept
        return _Predicate(_compare(column, Op.EQ, bound), negated=True)
    return _Predicate(_compare(column, node.op, bound))


def _has_any(node: Comparison, field: FqlField, items: Sequence[Scalar]) -> ColumnElement[bool]:
    bounds = [values.scalar(item, node.field, field.kind) for item in items]
    if field.kind is FieldKind.DATETIME:  # date-only items are whole days, not instants
        return or_(*(_compare(field.column, Op.EQ, bound) for bound in bounds))
    return field.column.in_([_param(field.column, bound) for bound in bounds])


def _pattern(node: Comparison, field: FqlField, value: Scalar) -> ColumnElement[bool]:
    kinds = _TEXT_KINDS if node.op is Op.LIKE else (FieldKind.STRING,)
    if field.kind not in kinds:
        raise FqlError(
            f"operator '{node.op.value}' does not apply to {field.kind.name} field '{node.field}'",
            node.op_position,
        )
    text = values.string(value, node.field)
    if node.op is Op.MATCHES:
        check_pattern(text, value.position)
        return field.column.regexp_match(text)
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_").replace("*", "%")
    return field.column.ilike(escaped, escape="/")


def _compare(column: ColumnElement[Any], op: Op, bound: values.Bound) -> ColumnElement[bool]:
    if isinstance(bound, values.Day):
        return _compare_day(column, op, bound)
    param = _param(column, bound)
    if op is Op.EQ:
        return column == param
    if op is Op.GT:
        return column > param
    if op is Op.GE:
        return column >= param
    if op is Op.LT:
        return column < param
    return column <= param


def _compare_day(column: ColumnElement[Any], op: Op, day: values.Day) -> ColumnElement[bool]:
    """A date against a date-time means the whole UTC day: `<= day` includes all of it."""
    if op is Op.EQ:
        return and_(column >= day.start, column < day.end)
    if op is Op.GT:
        return column >= day.end
    if op is Op.GE:
        return column >= day.start
    if op is Op.LT:
        return column < day.start
    return column < day.end


def _param(column: ColumnElement[Any], bound: values.Bound) -> ColumnElement[Any]:
    """A bound parameter for `bound`.

    Numbers get their own bind type: with the column's, PostgreSQL would cast 2.5 to an INTEGER
    column's type (rounding it) and refuse integers wider than the column. Other values take the
    column's type, which for date-times is the UTC-aware one.
    """
    if isinstance(bound, int):
        return literal(bound, BigInteger())
    if isinstance(bound, Decimal):
        return literal(bound, Numeric(asdecimal=True))
    return literal(bound, column.type)
