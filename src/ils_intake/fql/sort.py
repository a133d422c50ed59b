"""Compiles the `sort=` parameter: `field[:asc|desc]`, comma separated, most significant first.

Missing values sort last in both directions, on both databases (their defaults differ).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import UnaryExpression

from ils_intake.fql.errors import FqlError
from ils_intake.fql.fields import FqlField, lookup_field
from ils_intake.fql.lexer import MAX_LENGTH

_DIRECTIONS = ("asc", "desc")


def compile_sort(text: str, fields: Mapping[str, FqlField]) -> list[UnaryExpression[Any]]:
    """ORDER BY terms for `text`, e.g. "createdAt:desc,lastName"; FqlError on any bad item."""
    if len(text) > MAX_LENGTH:
        raise FqlError(f"sort is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    if not text.strip():
        raise FqlError("empty sort", 0)
    terms: list[UnaryExpression[Any]] = []
    seen: set[str] = set()
    start = 0
    for item in text.split(","):
        terms.append(_term(item, start, fields, seen))
        start += len(item) + 1
    return terms


def _term(
    item: str, start: int, fields: Mapping[str, FqlField], seen: set[str]
) -> UnaryExpression[Any]:
    name_part, colon, direction_part = item.partition(":")
    name = name_part.strip()
    name_position = start + len(name_part) - len(name_part.lstrip())
    if not name:
        message = "expected a field name before ':'" if colon else "empty sort item"
        raise FqlError(message, name_position)
    field = lookup_field(name, name_position, fields)
    if name in seen:
        raise FqlError(f"field '{name}' is sorted on twice", name_position)
    seen.add(name)
    direction = direction_part.strip().lower() if colon else "asc"
    if direction not in _DIRECTIONS:
        direction_start = start + len(name_part) + 1
        position = direction_start + len(direction_part) - len(direction_part.lstrip())
        shown = direction_part.strip()[:30]
        message = f"unknown sort direction '{shown}'" if shown else "missing sort direction"
        raise FqlError(f"{message}: use asc or desc", position)
    ordered = field.column.asc() if direction == "asc" else field.column.desc()
    # NULLS LAST only where NULLs can be: a plain order lets an index serve the sort.
    return ordered.nulls_last() if field.nullable else ordered
