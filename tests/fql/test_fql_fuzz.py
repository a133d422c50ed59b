"""Property tests: no input makes FQL fail with anything but FqlError, on either database."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from ils_intake.fql import FieldKind, FqlError, FqlField, compile_filter, compile_sort

from .dataset import ALL_IDS, FIELDS, P1, U1, prospects

FUZZ = settings(database=None, deadline=None, max_examples=300)

TOKENS = [
    *FIELDS,
    "bogus",
    "=",
    "==",
    "!=",
    "<>",
    ">",
    ">=",
    "<",
    "<=",
    "~=",
    "~",
    "=>",
    "matches",
    "hasAny",
    "and",
    "OR",
    "not",
    "(",
    ")",
    "[",
    "]",
    ",",
    "NULL",
    "EXISTS",
    "0",
    "-1",
    "2.5",
    "99999999999999999999",
    '"Zillow"',
    '"2026-01-01"',
    '"2026-01-01T10:00:00+02:00"',
    '"0B5A6E3C-1D2F-4A5B-8C7D-9E0F1A2B3C4D"',
    '"*a_%/"',
    '"(?:x)+"',
    '"[a-"',
    '"\\\\d{2}"',
    '"',
    "\\",
    ":",
]

VALUES = {
    FieldKind.STRING: ['"Zillow"', '"zillow*"', '"*a_%/"', '"John Smith"', '"*\\\\*"', '""'],
    FieldKind.UUID: [f'"{P1.upper()}"', f'"{U1}"', '"AAAA*"', '"not-a-uuid"'],
    FieldKind.NUMBER: ["0", "-1", "2", "2.5", "1500.5", "99999999999999999999"],
    FieldKind.DATE: ['"2026-02-01"', '"2026-01-31"', '"2026-02-30"'],
    FieldKind.DATETIME: [
        '"2026-01-01"',
        '"2026-01-01T10:00:00+02:00"',
        '"2026-01-02T23:59:59.5Z"',
        '"2025-12-31T23:59:59.999999Z"',
    ],
}
OPERATORS = ["=", "==", "!=", "<>", ">", ">=", "<", "<=", "~=", "~", "matches", "hasAny"]
PATTERNS = ['"^J"', '"gmail\\\\.com$"', '"[0-9]+"', '"(?:a|o)n"', '"^$"']


@st.composite
def comparisons(draw: st.DrawFn) -> str:
    """One comparison, usually well-typed, sometimes not, so both paths are exercised."""
    name = draw(st.sampled_from(sorted(FIELDS)))
    op = draw(st.sampled_from(OPERATORS))
    pool = [*VALUES[FIELDS[name].kind], "NULL", "EXISTS"]
    if draw(st.integers(0, 9)) == 0:
        pool = [value for values in VALUES.values() for value in values]
    if op == "matches":
        pool = [*pool, *PATTERNS, *PATTERNS]
    if op == "hasAny":
        items = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3))
        return f"{name} {op} [{', '.join(items)}]"
    return f"{name} {op} {draw(st.sampled_from(pool))}"


filters = st.recursive(
    comparisons(),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or", "AND", "Or"]), inner).map(" ".join),
        inner.map(lambda text: f"not {text}"),
        inner.map(lambda text: f"({text})"),
    ),
    max_leaves=6,
)
token_soup = st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join)
regex = st.text(alphabet="ab.*+?()[]{}^$|\\-:=!<,0123dDwWsSbB%_ ", max_size=12)


def _error_position(
    compile_text: Callable[[str, Mapping[str, FqlField]], object], text: str
) -> int:
    """Where compiling `text` fails, or -1 when it compiles."""
    try:
        compile_text(text, FIELDS)
    except FqlError as error:
        return error.position
    return -1


def _run(engine: Engine, text: str) -> set[int] | None:
    """The ids `text` selects, or None when it is rejected as an FqlError."""
    try:
        condition = compile_filter(text, FIELDS)
    except FqlError:
        return None
    with engine.connect() as conn:
        return set(conn.scalars(select(prospects.c.id).where(condition)))


@FUZZ
@given(text=st.text(max_size=300))
def test_random_text_raises_nothing_but_fql_error(text: str) -> None:
    assert -1 <= _error_position(compile_filter, text) <= len(text)
    assert -1 <= _error_position(compile_sort, text) <= len(text)


@FUZZ
@given(text=token_soup)
def test_token_soup_compiles_and_runs_or_raises_fql_error(engine: Engine, text: str) -> None:
    position = _error_position(compile_filter, text)
    assert -1 <= position <= len(text)
    if position >= 0:
        return
    condition = compile_filter(text, FIELDS)
    for dialect in (engine.dialect, postgresql.dialect(), sqlite.dialect()):  # type: ignore[no-untyped-call]
        condition.compile(dialect=dialect)
    with engine.connect() as conn:
        conn.execute(select(prospects.c.id).where(condition)).all()


@FUZZ
@given(pattern=regex)
def test_accepted_regex_selects_the_same_rows_on_both_databases(
    sqlite_engine: Engine, postgres_engine: Engine, pattern: str
) -> None:
    escaped = pattern.replace("\\", "\\\\").replace('"', '\\"')
    text = f'name matches "{escaped}" or email matches "{escaped}"'
    assert _run(sqlite_engine, text) == _run(postgres_engine, text)


@FUZZ
@given(pattern=st.text(alphabet="ab*%_/\\ 1", max_size=8))
def test_wildcard_selects_the_same_rows_on_both_databases(
    sqlite_engine: Engine, postgres_engine: Engine, pattern: str
) -> None:
    escaped = pattern.replace("\\", "\\\\").replace('"', '\\"')
    text = f'name ~= "{escaped}" or source ~ "*{escaped}"'
    assert _run(sqlite_engine, text) == _run(postgres_engine, text)


@FUZZ
@given(text=filters)
def test_generated_filter_selects_the_same_rows_on_both_databases(
    sqlite_engine: Engine, postgres_engine: Engine, text: str
) -> None:
    assert _run(sqlite_engine, text) == _run(postgres_engine, text)


@FUZZ
@given(text=filters)
def test_not_selects_exactly_the_rows_a_filter_leaves_out(engine: Engine, text: str) -> None:
    selected = _run(engine, text)
    if selected is not None:
        assert _run(engine, f"not ({text})") == set(ALL_IDS) - selected
