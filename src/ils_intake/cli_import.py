"""`ils-intake import FILE`: a portfolio of properties, floor plans and units, all or nothing."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from ils_intake.config import get_settings
from ils_intake.db.engine import build_engine, transaction
from ils_intake.properties import service
from ils_intake.properties.importer import JSON_ARRAYS, Portfolio, PortfolioFileError

out = Console()
err = Console(stderr=True)
PROGRESS_MIN_ROWS = 5000  # below this an import is quicker than a bar is worth


def import_portfolio(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="A .json or .csv portfolio.")
    ],
    org: Annotated[
        str | None, typer.Option("--org", help="Organization id (or organizationId in the file).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything and report; write nothing.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object on stdout.")
    ] = False,
) -> None:
    """Import properties, floor plans and units: all or nothing, idempotent by id."""
    try:
        portfolio = Portfolio(file)
    except PortfolioFileError as exc:
        raise typer.BadParameter(str(exc), param_hint="FILE") from None
    engine = build_engine(get_settings())
    try:
        with (
            _progress(portfolio.census.total) as advance,
            transaction(engine, write=not dry_run) as conn,
        ):
            summary = service.import_portfolio(
                conn, portfolio, organization_id=org, write=not dry_run, advance=advance
            )
    except service.ImportRejected as exc:
        _report_errors(exc, as_json)
        raise typer.Exit(1) from None
    except SQLAlchemyError as exc:
        err.print(f"[red]database error:[/red] {type(exc).__name__}: {str(exc).splitlines()[0]}")
        err.print("Is the database reachable, and migrated (ils-intake migrate)?")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    _report_summary(summary, dry_run, as_json)


@contextmanager
def _progress(total: int) -> Iterator[Any]:
    """A bar on stderr for large files when it is a terminal; otherwise a no-op callback."""
    if total < PROGRESS_MIN_ROWS or not err.is_terminal:
        yield lambda _rows: None
        return
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True, redirect_stdout=False) as progress:
        task = progress.add_task("import", total=total)
        yield lambda rows: progress.advance(task, rows)


def _report_errors(exc: service.ImportRejected, as_json: bool) -> None:
    if as_json:
        errors = [
            {"location": e.location, "field": e.field, "message": e.message} for e in exc.errors
        ]
        _print_json({"valid": False, "errorCount": exc.total, "errors": errors})
        return
    table = Table("where", "field", "problem", title="The file was not imported")
    for error in exc.errors:
        table.add_row(error.location, error.field, error.message)
    out.print(table)
    hidden = exc.total - len(exc.errors)
    more = f" (the first {len(exc.errors)} are shown)" if hidden else ""
    noun = "error" if exc.total == 1 else "errors"
    err.print(f"[red]{exc.total} {noun}{more}:[/red] nothing was written")


def _report_summary(summary: service.ImportSummary, dry_run: bool, as_json: bool) -> None:
    counts = {
        JSON_ARRAYS[kind]: {"created": c.created, "updated": c.updated, "unchanged": c.unchanged}
        for kind, c in summary.counts.items()
    }
    if as_json:
        record = {"valid": True, "dryRun": dry_run, "organizationId": summary.organization_id}
        _print_json({**record, **counts})
        return
    title = "Dry run: nothing was written" if dry_run else "Imported"
    table = Table("", "created", "updated", "unchanged", title=title)
    for name, count in counts.items():
        table.add_row(name, *(str(n) for n in count.values()))
    out.print(table)


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value) + "\n")
