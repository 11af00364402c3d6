"""`icp inspect FILE...`: show how each customer-data file is understood, write the mapping file.

The mapping file goes to `--mapping-out` (default `icp-mapping.yaml` in the current folder);
its absolute path is always printed (on stderr with `--json`, so stdout stays JSON).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tools.errors import InputError
from tools.ingest import InspectResult, inspect_files, mapping_of, write_mapping


def _render(result: InspectResult, console: Console) -> None:
    for f in result.files:
        if f.error:
            console.print(f"[bold red]{f.path}[/]: {f.error}")
            continue
        title = f"{f.path} — {f.role} ({f.rows} rows)"
        table = Table(title=title, show_lines=False)
        for head in ("column", "field", "conf.", "type", "missing", "problems", "reason"):
            table.add_column(head, overflow="fold")
        for c in f.columns:
            table.add_row(
                c.name, c.field or "[dim](custom)[/]", f"{c.confidence:.2f}", c.dtype,
                f"{c.missing_rate:.0%}", "; ".join(c.problems), c.reason,
            )  # fmt: skip
        console.print(table)
        for note in f.notes:
            console.print(f"  note: {note}")


def inspect(
    files: Annotated[
        list[Path], typer.Argument(help="Customer data files (CSV, XLSX, Parquet, JSON).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    mapping_out: Annotated[
        Path, typer.Option("--mapping-out", help="Where to write the editable mapping file.")
    ] = Path("icp-mapping.yaml"),
    sheet: Annotated[str | None, typer.Option("--sheet", help="Excel sheet to read.")] = None,
) -> None:
    """Show the column mapping, types, missing values and value problems of each file."""
    try:
        result = inspect_files(files, sheet=sheet)
    except InputError as exc:
        typer.echo(f"Error: {exc.render()}", err=True)
        raise typer.Exit(2) from exc
    written = Path(write_mapping(mapping_out, mapping_of(result))).resolve()
    note = f"Mapping written to {written}; edit it and pass it with --mapping {written}"
    if as_json:  # stdout stays pure JSON; the note goes to stderr
        typer.echo(json.dumps(result.model_dump(), indent=2, ensure_ascii=False))
        typer.echo(note, err=True)
        return
    _render(result, Console())
    typer.echo(note)


def register(app: typer.Typer) -> None:
    """Add the `inspect` command to the `icp` app."""
    app.command("inspect")(inspect)
