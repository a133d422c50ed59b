"""What every `ils-intake` command shares: the consoles, one transaction on the configured
database with errors turned into clear messages and exit codes, and JSON output.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from ils_intake.config import get_settings
from ils_intake.db.engine import build_engine, transaction
from ils_intake.problems import IntakeError

T = TypeVar("T")

# Piped output is read by scripts and people alike: do not squeeze tables to 80 columns.
out = Console(soft_wrap=True, highlight=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]


@contextmanager
def database(*, write: bool) -> Iterator[Connection]:
    """A transaction on the configured database; domain and database errors exit with 1."""
    engine = build_engine(get_settings())
    try:
        with transaction(engine, write=write) as conn:
            yield conn
    except IntakeError as exc:
        err.print(f"[red]error:[/red] {escape(exc.detail)}")
        raise typer.Exit(1) from None
    except SQLAlchemyError as exc:
        reason = escape(str(exc).splitlines()[0])
        err.print(f"[red]database error:[/red] {type(exc).__name__}: {reason}")
        err.print("Is the database reachable, and migrated (ils-intake migrate)?")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


def run(action: Callable[[Connection], T], *, write: bool) -> T:
    with database(write=write) as conn:
        return action(conn)


def print_json(value: Any) -> None:
    """One JSON document on stdout, ASCII only: nothing a vendor sent can drive the terminal."""
    sys.stdout.write(json.dumps(value, default=str) + "\n")


_DURATION = re.compile(r"(\d+)\s*([smhd]?)")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str, *, bare_unit: str) -> timedelta:
    """`90d`, `12h`, `30m`, `45s`; a bare number is in `bare_unit`."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None:
        raise typer.BadParameter(f"{text!r} is not a duration such as 90d, 12h, 30m or 45s")
    return timedelta(seconds=int(match.group(1)) * _SECONDS[match.group(2) or bare_unit])


def duration_text(age: timedelta) -> str:
    """The largest whole unit: `90d`, `12h`, `30m`, `45s`."""
    seconds = int(age.total_seconds())
    unit = next(u for u in "dhms" if seconds % _SECONDS[u] == 0)
    return f"{seconds // _SECONDS[unit]}{unit}"
