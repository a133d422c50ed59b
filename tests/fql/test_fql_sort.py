"""The `sort=` parameter: order on both backends, and errors that point at the bad item."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from ils_intake.fql import FqlError, FqlField, compile_sort


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("beds:desc", [9, 3, 1, 6, 10, 2, 7, 5, 4, 8], id="descending-nulls-last"),
        pytest.param("beds", [5, 2, 7, 1, 6, 10, 3, 9, 4, 8], id="ascending-by-default"),
        pytest.param("beds:ASC", [5, 2, 7, 1, 6, 10, 3, 9, 4, 8], id="direction-any-case"),
        pytest.param("deletedAt:asc", [8, 3, 1, 2, 4, 5, 6, 7, 9, 10], id="ascending-nulls-last"),
        pytest.param("deletedAt:desc", [3, 8, 1, 2, 4, 5, 6, 7, 9, 10], id="datetime-descending"),
        pytest.param(
            "moveInDate:desc,createdAt",
            [9, 2, 1, 6, 10, 4, 5, 7, 8, 3],
            id="date-then-datetime-tiebreak",
        ),
        pytest.param(
            "rent:asc,createdAt:desc",
            [7, 5, 2, 6, 1, 10, 3, 9, 4, 8],
            id="decimal-then-datetime-descending",
        ),
        pytest.param(
            " createdAt : desc ",
            [9, 10, 4, 3, 6, 5, 1, 2, 7, 8],
            id="whitespace-around-parts-and-microseconds",
        ),
        pytest.param("unitId,beds", [1, 6, 3, 9, 5, 2, 7, 10, 4, 8], id="uuid-then-number"),
    ],
)
def test_sort_orders_rows_the_same_on_every_backend(
    sorted_ids: Callable[[str], list[int]], text: str, expected: list[int]
) -> None:
    assert sorted_ids(text) == expected


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        pytest.param("", 0, "empty sort", id="empty"),
        pytest.param("   ", 0, "empty sort", id="blank"),
        pytest.param("bogus", 0, "unknown field 'bogus'", id="unknown-field"),
        pytest.param("beds,bogus:desc", 5, "unknown field 'bogus'", id="unknown-second-field"),
        pytest.param("Beds", 0, "did you mean 'beds'?", id="wrong-case-suggests-field"),
        pytest.param("beds:up", 5, "unknown sort direction 'up'", id="unknown-direction"),
        pytest.param("beds: up", 6, "unknown sort direction 'up'", id="direction-after-space"),
        pytest.param("beds:desc:asc", 5, "unknown sort direction", id="two-directions"),
        pytest.param("beds:", 5, "missing sort direction", id="colon-without-direction"),
        pytest.param(":desc", 0, "expected a field name before ':'", id="direction-only"),
        pytest.param("beds,,rent", 5, "empty sort item", id="double-comma"),
        pytest.param("beds,", 5, "empty sort item", id="trailing-comma"),
        pytest.param(",beds", 0, "empty sort item", id="leading-comma"),
        pytest.param("beds:desc,beds", 10, "sorted on twice", id="same-field-twice"),
        pytest.param("b" * 2001, 2000, "longer than 2000", id="overlong"),
    ],
)
def test_bad_sort_raises_fql_error_at_the_item(
    fields: Mapping[str, FqlField], text: str, position: int, message: str
) -> None:
    with pytest.raises(FqlError) as caught:
        compile_sort(text, fields)
    assert caught.value.position == position
    assert message in caught.value.message


def test_unknown_sort_field_lists_the_known_fields(fields: Mapping[str, FqlField]) -> None:
    with pytest.raises(FqlError, match="known fields: beds, createdAt, deletedAt, email"):
        compile_sort("bogus", fields)
