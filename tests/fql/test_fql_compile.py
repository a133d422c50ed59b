"""Compile-time checks: unknown fields, types, operators per kind, regexes, and how SQL looks."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from sqlalchemy import column
from sqlalchemy.dialects import postgresql, sqlite

from ils_intake.fql import FieldKind, FqlError, FqlField, compile_filter

from .dataset import P1

ERRORS = [
    ("bogus = 1", 0, "unknown field 'bogus'", "unknown-field"),
    ("beds = 1 and bogus = 1", 13, "unknown field 'bogus'", "unknown-second-field"),
    ("Source = NULL", 0, "did you mean 'source'?", "wrong-case-field-gets-a-suggestion"),
    ('beds = "2"', 7, "field 'beds' takes a number", "string-for-number"),
    ("source = 2", 9, "field 'source' takes a string", "number-for-string"),
    ("beds > 99999999999999999999", 7, "number is out of range", "integer-too-large"),
    ("beds > 1e5", 7, "malformed number", "exponent-not-supported"),
    ('moveInDate = "2026-02-30"', 13, "takes a date", "impossible-date"),
    ('moveInDate = "2026-2-1"', 13, "takes a date", "date-without-padding"),
    ('moveInDate = "2026-02-01T00:00:00Z"', 13, "takes a date", "datetime-for-date"),
    ("moveInDate = 20260201", 13, "takes a string", "number-for-date"),
    ('createdAt > "yesterday"', 12, "takes an ISO 8601 date-time", "word-for-datetime"),
    ('createdAt > "2026-01-01T25:00:00Z"', 12, "ISO 8601", "hour-out-of-range"),
    ('createdAt > "2026-01-01T10:00:00+2"', 12, "ISO 8601", "malformed-offset"),
    ('createdAt > "9999-12-31"', 12, "ISO 8601", "day-after-the-last-date"),
    ('createdAt > "0001-01-01T00:00:00+01:00"', 12, "ISO 8601", "before-the-first-instant"),
    ('propertyId = "not-a-uuid"', 13, "field 'propertyId' takes a UUID", "bad-uuid"),
    (f'propertyId hasAny ["{P1}", "x"]', 59, "takes a UUID", "bad-uuid-in-list"),
    ('beds hasAny [1, "2"]', 16, "takes a number", "string-in-number-list"),
    (
        'beds ~= "1*"',
        5,
        "operator '~=' does not apply to NUMBER field 'beds'",
        "wildcard-on-number",
    ),
    ('createdAt ~ "2026*"', 10, "does not apply to DATETIME", "wildcard-on-datetime"),
    ('createdAt matches "2026"', 10, "does not apply to DATETIME", "regex-on-datetime"),
    ('propertyId matches "^0b"', 11, "does not apply to UUID", "regex-on-uuid"),
    ("name ~= 5", 8, "takes a string", "number-as-wildcard"),
    ("beds > NULL", 7, "NULL can only be used with = or !=", "null-with-greater-than"),
    ("email ~= EXISTS", 9, "EXISTS can only be used with = or !=", "exists-with-wildcard"),
    ("email matches NULL", 14, "NULL can only be used", "null-with-regex"),
    ('email matches "("', 14, "invalid regular expression", "unbalanced-regex"),
    ('email matches "a**"', 14, "invalid regular expression", "double-quantifier"),
    ('email matches "(?P<u>x)@"', 14, "groups are supported", "python-named-group"),
    ('email matches "(?i)john"', 14, "groups are supported", "inline-flags"),
    ('email matches "\\\\bjohn"', 14, "'\\b' is not supported", "word-boundary-escape"),
    ('email matches "(a)\\\\1"', 14, "'\\1' is not supported", "backreference"),
    ('email matches "[\\\\D]"', 14, "'\\D' is not supported", "negated-class-escape-in-class"),
    ('email matches "a{1"', 14, "literal brace", "unclosed-brace"),
    ('email matches "a{,3}"', 14, "literal brace", "brace-without-minimum"),
    ('email matches "a{256}"', 14, "above 255", "too-many-repetitions"),
    ('email matches "a*+"', 14, "possessive", "possessive-star"),
    ('email matches "a{2}+"', 14, "possessive", "possessive-bound"),
    ('email matches "[[:alpha:]]"', 14, "invalid regular expression", "posix-class"),
    ('email matches "[a&&b]"', 14, "invalid regular expression", "set-operation"),
    ('email matches "\\\\"', 14, "invalid regular expression", "trailing-backslash"),
]


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [pytest.param(text, pos, message, id=scenario) for text, pos, message, scenario in ERRORS],
)
def test_invalid_filter_raises_fql_error_at_the_offending_token(
    fields: Mapping[str, FqlField], text: str, position: int, message: str
) -> None:
    with pytest.raises(FqlError) as caught:
        compile_filter(text, fields)
    assert caught.value.position == position
    assert message in caught.value.message


def test_unknown_field_message_lists_every_known_field(fields: Mapping[str, FqlField]) -> None:
    with pytest.raises(FqlError) as caught:
        compile_filter("bogus = 1", fields)
    assert caught.value.message == (
        "unknown field 'bogus' (known fields: beds, createdAt, deletedAt, email, moveInDate, "
        "name, propertyId, rent, source, unitId)"
    )


@pytest.mark.parametrize(
    "pattern",
    [
        "^[a-z]+@example\\\\.com$",
        "(?:ab)+c?",
        "x(?=y)",
        "x(?!y)",
        "(?<=@)gmail",
        "[]a]",
        "[^]a]",
        "[\\\\d\\\\w\\\\s.-]",
        "\\\\d{2,3}",
        "a{2,}",
        "a+?b*?",
        "\\\\.\\\\+\\\\*+\\\\{\\\\}",
        "\\\\\\\\+",
    ],
)
def test_portable_regex_is_accepted(fields: Mapping[str, FqlField], pattern: str) -> None:
    compile_filter(f'email matches "{pattern}"', fields)


@pytest.mark.parametrize(
    "dialect",
    [postgresql.psycopg.dialect(), sqlite.pysqlite.dialect()],  # type: ignore[no-untyped-call]
    ids=["postgresql", "sqlite"],
)
def test_values_are_bound_parameters_never_sql_text(
    fields: Mapping[str, FqlField], dialect: object
) -> None:
    expression = compile_filter(
        'name = "Robert\'); DROP TABLE x;--" or beds > 7 or moveInDate = "2031-05-06"', fields
    )
    compiled = expression.compile(dialect=dialect)  # type: ignore[arg-type]
    sql = str(compiled)
    assert "DROP" not in sql
    assert "7" not in sql
    assert "2031" not in sql
    assert "Robert'); DROP TABLE x;--" in compiled.params.values()


def test_negation_of_a_not_null_column_needs_no_null_guard(
    fields: Mapping[str, FqlField],
) -> None:
    sql = str(compile_filter('not name = "x"', fields).compile(dialect=sqlite.dialect()))
    assert sql == "fql_prospect.name != ?"


def test_negation_of_a_nullable_column_keeps_null_rows(fields: Mapping[str, FqlField]) -> None:
    sql = str(compile_filter('not source = "x"', fields).compile(dialect=sqlite.dialect()))
    assert sql == "fql_prospect.source != ? OR fql_prospect.source IS NULL"


def test_column_of_unknown_nullability_is_treated_as_nullable() -> None:
    fields = {"tag": FqlField(column("tag"), FieldKind.STRING)}
    sql = str(compile_filter('tag != "x"', fields).compile(dialect=sqlite.dialect()))
    assert sql == "tag != ? OR tag IS NULL"


def test_wildcard_escapes_like_metacharacters(fields: Mapping[str, FqlField]) -> None:
    compiled = compile_filter('name ~= "5%_/*"', fields).compile(
        dialect=postgresql.psycopg.dialect()  # type: ignore[no-untyped-call]
    )
    assert "ILIKE" in str(compiled)
    assert "ESCAPE '/'" in str(compiled)
    assert list(compiled.params.values()) == ["5/%/_//%"]
