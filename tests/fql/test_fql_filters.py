"""Every FQL operator, spelling and combination, executed on SQLite and PostgreSQL.

Each case states the exact ids it must return; the rows are in `dataset.py`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .dataset import ALL_IDS, P1, P2, P3, U1, U2


def but(*ids: int) -> set[int]:
    return set(ALL_IDS - set(ids))


def case(text: str, expected: set[int], scenario: str) -> object:
    return pytest.param(text, expected, id=scenario)


EQUALITY = [
    case('source = "Zillow"', {1, 6, 10}, "equal-is-case-sensitive"),
    case('source == "Zillow"', {1, 6, 10}, "double-equal-spelling"),
    case('source != "Zillow"', but(1, 6, 10), "not-equal-keeps-rows-without-a-value"),
    case('source <> "Zillow"', but(1, 6, 10), "angle-bracket-not-equal-spelling"),
    case('name = "Quote \\"Q\\" Back\\\\slash"', {9}, "escaped-quote-and-backslash"),
    case("source = \"x' OR '1'='1\"", set(), "quote-in-value-is-data-not-sql"),
    case('source > "Craigslist"', {1, 4, 6, 7, 9, 10}, "string-greater-than"),
    case('source >= "Craigslist"', {1, 4, 5, 6, 7, 9, 10}, "string-greater-or-equal"),
    case('source < "Craigslist"', {2}, "string-less-than-skips-null"),
    case('source <= "Craigslist"', {2, 5}, "string-less-or-equal"),
]

NUMBERS = [
    case("beds = 2", {1, 6, 10}, "number-equal"),
    case("beds != 2", but(1, 6, 10), "number-not-equal-keeps-null"),
    case("beds > 1", {1, 3, 6, 9, 10}, "number-greater-than"),
    case("beds >= 2", {1, 3, 6, 9, 10}, "number-greater-or-equal"),
    case("beds < 2", {2, 5, 7}, "number-less-than-skips-null"),
    case("beds <= 1", {2, 5, 7}, "number-less-or-equal"),
    case("beds > 1.5", {1, 3, 6, 9, 10}, "fraction-against-integer-column-is-not-rounded"),
    case("beds <= 2.5", {1, 2, 5, 6, 7, 10}, "fraction-upper-bound-on-integer-column"),
    case("beds > -1", but(4, 8), "negative-number"),
    case("beds = 0", {5}, "zero-is-a-value-not-null"),
    case("beds > 9223372036854775807", set(), "largest-64-bit-integer"),
    case("rent >= 1500", {1, 3, 6, 9, 10}, "decimal-column-with-integer-literal"),
    case("rent = 1500.5", {10}, "decimal-equal"),
    case("rent = 999.99", {5}, "decimal-with-cents-equal"),
    case("rent < 1000", {5, 7}, "decimal-less-than"),
]

UUIDS = [
    case(f'propertyId = "{P1.upper()}"', {1, 2, 7, 10}, "uuid-equal-ignores-case"),
    case(f'propertyId != "{P1.upper()}"', but(1, 2, 7, 10), "uuid-not-equal"),
    case(f'unitId = "{U1}"', {1, 6}, "nullable-uuid-equal"),
    case(f'unitId != "{U1}"', but(1, 6), "nullable-uuid-not-equal-keeps-null"),
    case(f'propertyId = "{{{P2}}}"', {3, 4, 8}, "uuid-in-braces-is-canonicalised"),
]

NULLS = [
    case("source = NULL", {3, 8}, "equal-null"),
    case("source == null", {3, 8}, "null-keyword-is-case-insensitive"),
    case("source != NULL", but(3, 8), "not-equal-null"),
    case("source <> Null", but(3, 8), "angle-not-equal-null"),
    case("email = EXISTS", but(3, 8, 10), "equal-exists"),
    case("email != exists", {3, 8, 10}, "not-equal-exists"),
    case("not email = EXISTS", {3, 8, 10}, "not-exists-is-missing"),
    case("not source = NULL", but(3, 8), "not-null-is-present"),
    case("deletedAt = NULL", but(3, 8), "datetime-null"),
    case("moveInDate = NULL", {3, 8}, "date-null"),
    case("beds = NULL", {4, 8}, "number-null"),
    case("name = NULL", set(), "non-nullable-column-is-never-null"),
]

WILDCARDS = [
    case('name ~= "John*"', {1, 2}, "wildcard-prefix-ignores-case"),
    case('name ~ "john*"', {1, 2}, "tilde-spelling"),
    case('name ~= "john"', set(), "wildcard-must-match-whole-value"),
    case('name ~= "JOHN SMITH"', {1}, "wildcard-without-star-is-case-insensitive-equal"),
    case('name ~= "*real"', {4, 5}, "wildcard-suffix"),
    case('name ~= "*s*h*"', {1, 8, 9, 10}, "several-wildcards"),
    case('name ~= "100%*"', {4}, "literal-percent-is-not-a-wildcard"),
    case('name ~= "a_b"', {6}, "literal-underscore-is-not-a-wildcard"),
    case('name ~= "*n/s*"', {8}, "literal-slash-is-not-an-escape"),
    case('name ~= "*\\\\*"', {9}, "literal-backslash"),
    case('name ~= "*\\"q\\"*"', {9}, "escaped-quote-in-pattern"),
    case('name ~= "star*bright"', {10}, "star-in-data-matched-by-wildcard"),
    case('source ~= "zillow"', {1, 4, 6, 10}, "wildcard-equal-ignores-case"),
    case('source ~= "zillow*"', {1, 4, 6, 9, 10}, "wildcard-prefix-on-nullable-column"),
    case('not source ~= "zillow"', {2, 3, 5, 7, 8, 9}, "not-wildcard-keeps-null"),
    case('unitId ~= "AAAA*"', {3, 9}, "wildcard-on-uuid-ignores-case"),
    case('propertyId ~= "*4d"', {1, 2, 7, 10}, "wildcard-suffix-on-uuid"),
]

REGEXES = [
    case('email matches ".*@gmail.com"', {1, 6, 7}, "regex-is-a-search-and-case-sensitive"),
    case('email matches "@gmail\\\\.com$"', {1, 6}, "regex-anchor-and-escaped-dot"),
    case('email MATCHES "^[a-z]+@example\\\\.com$"', {2, 9}, "regex-keyword-any-case"),
    case('not email matches "gmail"', {2, 3, 4, 5, 8, 9, 10}, "not-regex-keeps-null"),
    case('name matches "^\\\\d+%"', {4}, "regex-digit-class"),
    case('name matches "^\\\\d{4} "', {5}, "regex-bounded-repeat"),
    case('name matches "(?:Smith|Jones)$"', {1, 3, 8}, "regex-non-capturing-alternation"),
    case('email matches "^[^@]+@(gmail|yahoo)\\\\.com$"', {1, 5, 6}, "regex-group-alternation"),
]

HAS_ANY = [
    case('source hasAny ["Zillow", "Zumper"]', {1, 6, 7, 10}, "has-any-strings"),
    case('source HASANY ["Craigslist"]', {5}, "has-any-keyword-any-case"),
    case('not source hasAny ["Zillow"]', but(1, 6, 10), "not-has-any-keeps-null"),
    case("beds hasAny [0, 5]", {5, 9}, "has-any-numbers"),
    case("rent hasAny [1500.5, 850]", {7, 10}, "has-any-decimals"),
    case(f'propertyId hasAny ["{P2}", "{P3.upper()}"]', {3, 4, 5, 6, 8, 9}, "has-any-uuids"),
    case(f'unitId hasAny ["{U2}"]', {3, 9}, "has-any-nullable-uuid"),
    case('moveInDate hasAny ["2026-02-01", "2027-01-01"]', {1, 6, 9, 10}, "has-any-dates"),
    case(
        'createdAt hasAny ["2026-01-02", "2025-12-31T23:59:59.999999Z"]',
        {2, 4, 10},
        "has-any-datetimes-mixes-whole-days-and-instants",
    ),
]

DATES = [
    case('moveInDate = "2026-02-01"', {1, 6, 10}, "date-equal"),
    case('moveInDate != "2026-02-01"', but(1, 6, 10), "date-not-equal-keeps-null"),
    case('moveInDate > "2026-02-01"', {2, 9}, "date-greater-than"),
    case('moveInDate >= "2026-02-01"', {1, 2, 6, 9, 10}, "date-greater-or-equal"),
    case('moveInDate < "2026-01-31"', {5, 7}, "date-less-than"),
    case('moveInDate <= "2026-01-31"', {4, 5, 7}, "date-less-or-equal"),
]

DATETIMES = [
    case('createdAt = "2026-01-01"', {1, 3, 5, 6}, "date-only-equal-is-the-whole-utc-day"),
    case(
        'createdAt != "2026-01-01"', {2, 4, 7, 8, 9, 10}, "date-only-not-equal-is-outside-the-day"
    ),
    case('createdAt > "2026-01-01"', {4, 9, 10}, "date-only-greater-is-after-the-day"),
    case('createdAt >= "2026-01-01"', {1, 3, 4, 5, 6, 9, 10}, "date-only-greater-or-equal"),
    case('createdAt < "2026-01-01"', {2, 7, 8}, "date-only-less-is-before-the-day"),
    case(
        'createdAt <= "2026-01-01"', {1, 2, 3, 5, 6, 7, 8}, "date-only-less-or-equal-ends-the-day"
    ),
    case('not createdAt = "2026-01-01"', {2, 4, 7, 8, 9, 10}, "not-whole-day"),
    case('createdAt = "2026-01-01T10:00:00+02:00"', {5}, "datetime-with-offset"),
    case('createdAt = "2026-01-01T08:00:00Z"', {5}, "datetime-zulu"),
    case('createdAt = "2026-01-01T08:00:00"', {5}, "naive-datetime-means-utc"),
    case('createdAt = "2026-01-01T08:00"', {5}, "datetime-without-seconds"),
    case('createdAt > "2026-01-01T12:00:00Z"', {3, 4, 9, 10}, "datetime-greater-than"),
    case('createdAt >= "2026-01-01T12:00:00.000Z"', {3, 4, 6, 9, 10}, "datetime-with-millis"),
    case('createdAt < "2025-12-31T23:59:59.999999Z"', {7, 8}, "datetime-microseconds"),
    case('createdAt <= "2026-01-01T01:00:00+01:00"', {1, 2, 7, 8}, "datetime-offset-upper-bound"),
    case('createdAt = "2026-01-02T23:59:59.5Z"', {10}, "datetime-half-second"),
    case('deletedAt = "2026-02-01"', {3}, "nullable-datetime-whole-day"),
    case('deletedAt != "2026-02-01"', but(3), "nullable-datetime-not-equal-keeps-null"),
    case('deletedAt < "2025-01-01"', {8}, "nullable-datetime-less-than"),
    case('not deletedAt < "2025-01-01"', but(8), "not-less-than-keeps-null"),
]

LOGIC = [
    case(
        'source = "Zumper" or source = "Zillow" and beds > 2',
        {7},
        "and-binds-tighter-than-or",
    ),
    case(
        '(source = "Zumper" or source = "Zillow") and beds >= 2',
        {1, 6, 10},
        "parentheses-group-or-first",
    ),
    case('not source = "Zillow" and beds >= 2', {3, 9}, "not-binds-tighter-than-and"),
    case('not (source = "Zillow" and beds >= 2)', but(1, 6, 10), "not-of-a-group"),
    case("NOT (beds > 1 OR rent > 1000)", {4, 5, 7, 8}, "not-of-or-counts-null-as-false"),
    case("not (beds > 1 and rent > 1000)", {2, 4, 5, 7, 8}, "not-of-and-with-nulls"),
    case('not not source = "Zillow"', {1, 6, 10}, "double-not"),
    case("not (not (beds > 1))", {1, 3, 6, 9, 10}, "double-not-with-parentheses"),
    case("not beds > 1", {2, 4, 5, 7, 8}, "not-greater-is-complement-including-null"),
    case(
        'source = "Zillow" And beds = 2 OR name ~= "mary*"',
        {1, 3, 6, 10},
        "keywords-any-case",
    ),
    case('((source = "Zillow"))', {1, 6, 10}, "redundant-parentheses"),
    case(
        "NOT source = null AND email = exists",
        {1, 2, 4, 5, 6, 7, 9},
        "not-null-and-exists",
    ),
    case(
        'source != "Zillow" and source != "zillow"',
        {2, 3, 5, 7, 8, 9},
        "two-not-equals-keep-null",
    ),
    case(
        "beds > 1 or beds < 1 or beds = NULL",
        {1, 3, 4, 5, 6, 8, 9, 10},
        "or-chain-with-null-test",
    ),
    case(
        '\tsource = "Zillow"\n  and\r\nbeds = 2 ',
        {1, 6, 10},
        "whitespace-of-any-kind",
    ),
    case('source="Zillow"and(beds=2)', {1, 6, 10}, "no-whitespace-needed"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    EQUALITY + NUMBERS + UUIDS + NULLS + WILDCARDS + REGEXES + HAS_ANY + DATES + DATETIMES + LOGIC,
)
def test_filter_returns_exactly_the_expected_rows(
    select_ids: Callable[[str], set[int]], text: str, expected: set[int]
) -> None:
    assert select_ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        case("beds > 1", {1, 3, 6, 9, 10}, "positive"),
        case('source = "Zillow"', {1, 6, 10}, "positive-nullable"),
        case('createdAt = "2026-01-01"', {1, 3, 5, 6}, "whole-day"),
        case('email matches "gmail"', {1, 6, 7}, "regex"),
        case('name ~= "*real"', {4, 5}, "wildcard"),
        case('unitId hasAny ["' + U1 + '"]', {1, 6}, "has-any"),
        case("deletedAt = EXISTS", {3, 8}, "exists"),
    ],
)
def test_not_returns_exactly_the_other_rows(
    select_ids: Callable[[str], set[int]], text: str, expected: set[int]
) -> None:
    assert select_ids(text) == expected
    assert select_ids(f"not ({text})") == but(*expected)
    assert select_ids(f"{text} or not ({text})") == set(ALL_IDS)
    assert select_ids(f"{text} and not ({text})") == set()
