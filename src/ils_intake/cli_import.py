"""`ils-intake import FILE`: a portfolio of properties, floor plans and units, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ils_intake.cli_support import JsonOption, database, err, out, print_json
from ils_intake.properties import service
from ils_intake.properties.importer import JSON_ARRAYS, Portfolio, PortfolioFileError

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
    as_json: JsonOption = False,
) -> None:
    """Import properties, floor plans and units: all or nothing, idempotent by id."""
    try:
        portfolio = Portfolio(file)
    except PortfolioFileError as exc:
        raise typer.BadParameter(str(exc), param_hint="FILE") from None
    try:
        with (
            _progress(portfolio.census.total) as advance,
            database(write=not dry_run) as conn,
        ):
            summary = service.import_portfolio(
                conn, portfolio, organization_id=org, write=not dry_run, advance=advance
            )
    except service.ImportRejected as exc:
        _report_errors(exc, as_json)
        raise typer.Exit(1) from None
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
        print_json({"valid": False, "errorCount": exc.total, "errors": errors})
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
        print_json({**record, **counts})
        return
    title = "Dry run: nothing was written" if dry_run else "Imported"
    table = Table("", "created", "updated", "unchanged", title=title)
    for name, count in counts.items():
        table.add_row(name, *(str(n) for n in count.values()))
    out.print(table)
