"""The parser on its own: tree shape, positions, and the exact position of every error."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from decimal import Decimal

import pytest

from ils_intake.fql import FqlError
from ils_intake.fql.parser import parse
from ils_intake.fql.tree import (
    And,
    Comparison,
    ExistsValue,
    ListValue,
    Not,
    NullValue,
    NumberValue,
    Op,
    Or,
    StringValue,
)


def test_comparison_records_field_operator_value_and_positions() -> None:
    assert parse('status = "ACTIVE"') == Comparison(
        "status", Op.EQ, StringValue("ACTIVE", 9), position=0, op_position=7
    )


@pytest.mark.parametrize(
    ("spelling", "op"),
    [
        ("=", Op.EQ),
        ("==", Op.EQ),
        ("!=", Op.NE),
        ("<>", Op.NE),
        (">", Op.GT),
        (">=", Op.GE),
        ("<", Op.LT),
        ("<=", Op.LE),
        ("~=", Op.LIKE),
        ("~", Op.LIKE),
        ("matches", Op.MATCHES),
        ("MATCHES", Op.MATCHES),
    ],
)
def test_every_operator_spelling_maps_to_its_meaning(spelling: str, op: Op) -> None:
    node = parse(f'name {spelling} "x"')
    assert isinstance(node, Comparison)
    assert node.op is op


@pytest.mark.parametrize("spelling", ["hasAny", "hasany", "HASANY"])
def test_has_any_keyword_is_case_insensitive_and_takes_a_list(spelling: str) -> None:
    assert parse(f'ids {spelling} ["a", 2]') == Comparison(
        "ids",
        Op.HAS_ANY,
        ListValue(
            (StringValue("a", len(spelling) + 6), NumberValue(2, len(spelling) + 11)),
            len(spelling) + 5,
        ),
        position=0,
        op_position=4,
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("n = 3", NumberValue(3, 4)),
        ("n = -1", NumberValue(-1, 4)),
        ("n = 2.5", NumberValue(Decimal("2.5"), 4)),
        ("n = -0.25", NumberValue(Decimal("-0.25"), 4)),
        ("n = NULL", NullValue(4)),
        ("n = null", NullValue(4)),
        ("n = EXISTS", ExistsValue(4)),
        ("n = Exists", ExistsValue(4)),
        ('n = ""', StringValue("", 4)),
        ('n = "a\\"b\\\\c"', StringValue('a"b\\c', 4)),
        ('n = "line\nbreak é ✓"', StringValue("line\nbreak é ✓", 4)),
    ],
)
def test_values_are_parsed_to_typed_literals(text: str, value: object) -> None:
    node = parse(text)
    assert isinstance(node, Comparison)
    assert node.value == value


def test_and_binds_tighter_than_or_and_not_tighter_than_and() -> None:
    a = Comparison("a", Op.EQ, NumberValue(1, 4), 0, 2)
    b = Comparison("b", Op.EQ, NumberValue(2, 13), 9, 11)
    c = Comparison("c", Op.EQ, NumberValue(3, 27), 23, 25)
    assert parse("a = 1 or b = 2 and not c = 3") == Or((a, And((b, Not(c, 19)), 9)), 0)


def test_parentheses_override_precedence() -> None:
    node = parse("(a = 1 or b = 2) and c = 3")
    assert isinstance(node, And)
    assert isinstance(node.operands[0], Or)
    assert node.operands[0].position == 1


def test_chains_of_the_same_operator_are_flat() -> None:
    node = parse("a = 1 OR b = 1 or c = 1 Or d = 1")
    assert isinstance(node, Or)
    assert len(node.operands) == 4


def test_nodes_are_immutable() -> None:
    node = parse("a = 1")
    assert isinstance(node, Comparison)
    with pytest.raises(FrozenInstanceError):
        node.field = "b"  # type: ignore[misc]


def test_thirty_two_levels_of_nesting_are_allowed() -> None:
    assert isinstance(parse("(" * 32 + "a = 1" + ")" * 32), Comparison)
    assert isinstance(parse("not " * 32 + "a = 1"), Not)
    assert isinstance(parse("not (" * 16 + "a = 1" + ")" * 16), Not)


def test_longest_allowed_expression_parses() -> None:
    text = 'name = "' + "x" * 1991 + '"'
    assert len(text) == 2000
    assert isinstance(parse(text), Comparison)


ERRORS = [
    ("", 0, "empty expression", "empty"),
    ("   ", 0, "empty expression", "blank"),
    ('(source = "x"', 0, "unclosed '('", "unclosed-paren"),
    ('((source = "x")', 0, "unclosed '('", "one-of-two-parens-unclosed"),
    ("(a = 1) or (b = 2", 11, "unclosed '('", "second-group-unclosed"),
    ('source = "x")', 12, "unmatched ')'", "unmatched-close-paren"),
    ("(a = 1 b = 2)", 7, "expected 'and', 'or' or ')'", "missing-and-inside-parens"),
    ("()", 1, "expected a field name, found ')'", "empty-parens"),
    ('source = "abc', 9, "unterminated string", "unterminated-string"),
    ('source = "a\\"', 9, "unterminated string", "string-ends-with-escaped-quote"),
    ('source = "a" and b = "', 21, "unterminated string", "unterminated-string-at-end"),
    ('source = "a\\n"', 11, "invalid escape in string", "unknown-escape"),
    ('source = "a\x00"', 11, "invalid character U+0000 in string", "nul-in-string"),
    ('source => "x"', 7, "unknown operator '=>'", "arrow-operator"),
    ('source === "x"', 7, "unknown operator '==='", "triple-equals"),
    ('source like "x"', 7, "unknown operator 'like'", "like-operator"),
    ('source LIKE "x"', 7, "unknown operator 'LIKE'", "like-operator-upper-case"),
    ('source ! "x"', 7, "unknown operator '!'", "bang-alone"),
    ('source =! "x"', 7, "unknown operator '=!'", "equals-bang"),
    ('source >< "x"', 7, "unknown operator '><'", "greater-less"),
    (
        "source",
        6,
        "expected an operator after 'source', found end of expression",
        "field-without-operator",
    ),
    ('source "x"', 7, "expected an operator after 'source'", "field-then-value"),
    ('= "x"', 0, "expected a field name, found '='", "operator-without-field"),
    ('"x" = source', 0, 'expected a field name, found "x"', "string-instead-of-field"),
    ('not = "x"', 4, "expected a field name", "not-then-operator"),
    ('and = "x"', 0, "expected a field name, found 'and'", "keyword-instead-of-field"),
    ("source =", 8, "expected a value", "missing-value-at-end"),
    ("source = and beds = 1", 9, "expected a value", "missing-value-before-and"),
    ("source = )", 9, "expected a value", "missing-value-before-paren"),
    ("source = Zillow", 9, "strings must be in double quotes", "unquoted-string"),
    ("source = 'Zillow'", 9, "strings must be in double quotes", "single-quoted-string"),
    (
        'source = "x" beds = 1',
        13,
        "unexpected 'beds': expected 'and', 'or' or end of expression",
        "trailing-comparison",
    ),
    ('source = "x" "y"', 13, 'unexpected "y"', "trailing-string"),
    ('source = "x" and', 16, "expected a condition", "dangling-and"),
    ('source = "x" or not', 19, "expected a condition", "dangling-not"),
    ("not", 3, "expected a condition", "not-alone"),
    ('source = "x" @', 13, "unexpected character '@'", "unexpected-character"),
    ("source = -", 9, "unexpected character '-'", "minus-without-digits"),
    ("beds > 1.5.2", 7, "malformed number '1.5.2'", "two-decimal-points"),
    ("beds > 12abc", 7, "malformed number '12abc'", "letters-after-number"),
    ("beds > 1.", 7, "malformed number '1.'", "number-ending-in-dot"),
    ("beds > 1and b = 1", 7, "malformed number '1and'", "number-glued-to-keyword"),
    ('source hasAny "x"', 14, "expected a list", "has-any-without-list"),
    ("source hasAny", 13, "expected a list", "has-any-at-end"),
    ("source hasAny []", 15, "expected a value", "has-any-empty-list"),
    ('source hasAny ["a",]', 19, "expected a value", "has-any-trailing-comma"),
    ('source hasAny ["a" "b"]', 19, "expected ',' or ']'", "has-any-missing-comma"),
    ('source hasAny ["a"', 14, "unclosed '['", "has-any-unclosed-list"),
    ("source hasAny [NULL]", 15, "NULL cannot be used inside a list", "has-any-null-item"),
    (
        'source hasAny ["a", exists]',
        20,
        "EXISTS cannot be used inside a list",
        "has-any-exists-item",
    ),
    ('source hasAny [["a"]]', 15, "expected a value", "has-any-nested-list"),
    ('source = ["a"]', 9, "a list is only allowed after hasAny", "list-after-equals"),
    (
        "beds hasAny [" + ", ".join(["1"] * 101) + "]",
        13 + 3 * 100,
        "at most 100 values",
        "has-any-101-values",
    ),
    ("(" * 33 + "a = 1" + ")" * 33, 32, "nested deeper than 32 levels", "33-parentheses"),
    ("not " * 33 + "a = 1", 128, "nested deeper than 32 levels", "33-nots"),
    (
        "not (" * 17 + "a = 1" + ")" * 17,
        80,
        "nested deeper than 32 levels",
        "not-and-parens-count-together",
    ),
    ("not " * 450 + "a = 1", 128, "nested deeper than 32 levels", "many-nots-no-recursion-error"),
    (
        "(" * 1000 + "a = 1" + ")" * 995,
        32,
        "nested deeper than 32 levels",
        "many-parens-no-recursion-error",
    ),
    ("a" * 2001, 2000, "longer than 2000 characters", "overlong-expression"),
    ('name = "' + "x" * 5000 + '"', 2000, "longer than 2000 characters", "overlong-string"),
]


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        pytest.param(text, position, message, id=scenario)
        for text, position, message, scenario in ERRORS
    ],
)
def test_malformed_expression_raises_fql_error_at_the_exact_position(
    text: str, position: int, message: str
) -> None:
    with pytest.raises(FqlError) as caught:
        parse(text)
    assert caught.value.position == position
    assert message in caught.value.message
    assert str(caught.value) == f"{caught.value.message} at character {position}"


def test_fql_error_is_a_value_error_with_message_and_position() -> None:
    error = FqlError("expected a value", 12)
    assert isinstance(error, ValueError)
    assert (error.message, error.position) == ("expected a value", 12)
    assert str(error) == "expected a value at character 12"
