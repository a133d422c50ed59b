"""`ils-intake prospects list|export`: the operator's view of the leads, filtered with FQL."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import Connection, Select

from ils_intake.cli_support import JsonOption, database, err, out, print_json
from ils_intake.fql import FqlError, compile_filter, compile_sort
from ils_intake.ids import canonical_uuid
from ils_intake.organizations import repository as organizations
from ils_intake.problems import NotFound
from ils_intake.prospects import export
from ils_intake.prospects.export import ExportFormat
from ils_intake.prospects.fields import PROSPECT_FIELDS, prospect_json

app = typer.Typer(help="List and export prospects.", no_args_is_help=True)
PROGRESS_EVERY = 1000

OrgOption = Annotated[
    str | None, typer.Option("--org", help="Only this organization's prospects (default: all).")
]
FilterOption = Annotated[
    str | None, typer.Option("--filter", help='An FQL expression, e.g. source = "Zillow".')
]


@app.command("list")
def list_prospects(
    org: OrgOption = None,
    filter_text: FilterOption = None,
    sort: Annotated[
        str | None, typer.Option("--sort", help="e.g. createdAt:desc,lastName (FQL field names).")
    ] = "createdAt:desc",
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many rows.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Show prospects as a table (newest first by default)."""
    query = _query(org, filter_text, sort).limit(limit)
    with _connection(org) as conn:
        rows = [prospect_json(row) for row in conn.execute(query)]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "name", "phone", "email", "property", "source", "created")
    for row in rows:
        table.add_row(
            row["id"],
            f"{row['firstName']} {row['lastName']}",
            row["phoneNumber"] or "",
            row["emailAddress"] or "",
            row["propertyId"],
            row["source"],
            row["createdAt"][:19].replace("T", " "),
        )
    out.print(table)


@app.command("export")
def export_prospects(
    format_: Annotated[ExportFormat, typer.Option("--format", help="csv or jsonl.")],
    org: OrgOption = None,
    filter_text: FilterOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", dir_okay=False, help="Write here (default: stdout).")
    ] = None,
) -> None:
    """Stream prospects, oldest first, in bounded memory whatever their number."""
    query = _query(org, filter_text, None)
    target = output.open("w", newline="", encoding="utf-8") if output else nullcontext(sys.stdout)
    with _connection(org) as conn, target as handle:
        written = _export(conn, query, format_, handle)
    if output is not None:
        err.print(f"{written} prospects written to {output}")


def _export(
    conn: Connection, query: Select[tuple[object, ...]], format_: ExportFormat, handle: TextIO
) -> int:
    rows = export.stream(conn, query)
    if not err.is_terminal:
        return export.WRITERS[format_](rows, handle, lambda: None)
    columns = (TextColumn("exporting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True, redirect_stdout=False) as progress:
        task = progress.add_task("export", total=export.count(conn, query))
        return export.WRITERS[format_](
            rows, handle, _every(PROGRESS_EVERY, lambda n: progress.advance(task, n))
        )


def _every(step: int, report: Callable[[int], None]) -> Callable[[], None]:
    """A per-row callback that reports only every `step` rows: the bar costs nothing per row."""
    seen = 0

    def advance() -> None:
        nonlocal seen
        seen += 1
        if seen % step == 0:
            report(step)

    return advance


def _query(
    org: str | None, filter_text: str | None, sort: str | None
) -> Select[tuple[object, ...]]:
    """The query, or exit 2 with the FQL error and a caret under where it broke."""
    if org is not None and canonical_uuid(org.strip()) is None:
        raise typer.BadParameter("must be a UUID", param_hint="--org")
    for option, text, compile_ in (
        ("--filter", filter_text, compile_filter),
        ("--sort", sort, compile_sort),
    ):
        if text is None:
            continue
        try:
            compile_(text, PROSPECT_FIELDS)
        except FqlError as exc:
            err.print(f"[red]invalid {option}:[/red] {escape(str(exc))}")
            if len(text) <= 200:
                err.print(f"  {escape(text)}\n  {' ' * exc.position}^", highlight=False)
            raise typer.Exit(2) from None
    return export.prospect_query(
        organization_id=org.strip().lower() if org else None,
        filter_text=filter_text,
        sort_text=sort,
    )


@contextmanager
def _connection(org: str | None) -> Iterator[Connection]:
    """A read transaction; an unknown organization exits with 1 like any other error."""
    with database(write=False) as conn:
        if org is not None and organizations.find_organization(conn, org.strip().lower()) is None:
            raise NotFound(f"organization {org} does not exist")
        yield conn
