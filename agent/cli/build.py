"""`icp build`: run the whole workflow on files and write the ICP run folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from agent.pipeline import BuildOptions, run_build
from tools.errors import InputError

err = Console(stderr=True, soft_wrap=True)


def build(
    customers: Annotated[
        list[Path],
        typer.Option(
            "--customers",
            "-c",
            help="Customer data file (CSV/XLSX/Parquet/JSON). Repeat for several tables.",
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder for the ICP document and tables.")
    ] = Path("out"),
    interviews: Annotated[
        list[Path] | None,
        typer.Option("--interviews", "-i", help="Interview file or folder. Repeatable."),
    ] = None,
    interviews_sidecar: Annotated[
        Path | None,
        typer.Option(
            help="CSV linking interview files to accounts (file, account_id, name, title)."
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            help="Column mapping file written by `icp inspect` (edit it to fix a mapping)."
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option(help="Sheet name for XLSX files (default: first sheet).")
    ] = None,
    churn_definition: Annotated[
        str | None,
        typer.Option(help="Which table defines churn when tables disagree (see ingest-report.md)."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="The 'today' of the analysis, YYYY-MM-DD (default: today).")
    ] = None,
    weights: Annotated[
        str | None,
        typer.Option(help="Health weights, e.g. 'revenue=30,retention=20'. Others keep defaults."),
    ] = None,
    settings: Annotated[
        Path | None,
        typer.Option(help="YAML settings file (weights, top, bottom, fdr, min_support)."),
    ] = None,
    llm: Annotated[
        str,
        typer.Option(
            help="auto | offline | openai. auto uses an endpoint when OPENAI_BASE_URL or OPENAI_API_KEY is set."
        ),
    ] = "auto",
    company: Annotated[str, typer.Option(help="Your company's name for the document title.")] = "",
    tam: Annotated[
        Path | None, typer.Option(help="Market list (accounts file) for the TAM check.")
    ] = None,
    revenue_target: Annotated[
        float | None, typer.Option(help="Revenue target for the TAM check, e.g. 5000000.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress output.")] = False,
) -> None:
    """Build the ICP: scoring matrix, pattern analysis, tiers, negative ICP, personas, checks."""
    try:
        opts = BuildOptions.from_cli(
            customers=customers,
            out=out,
            interviews=interviews or [],
            sidecar=interviews_sidecar,
            mapping=mapping,
            sheet=sheet,
            churn_definition=churn_definition,
            as_of=_as_of(as_of),
            weights=weights,
            settings=settings,
            llm=llm,
            company=company,
            tam=tam,
            revenue_target=revenue_target,
        )
    except ValueError as exc:
        err.print(f"[red]Error:[/red] {exc}")
        raise typer.Exit(2) from exc
    progress = None if quiet else (lambda stage, msg: err.print(f"[dim]{stage:>10}[/dim]  {msg}"))
    try:
        result = run_build(opts, progress=progress)
    except InputError as exc:
        err.print(f"[red]Error:[/red] {exc.render()}")
        raise typer.Exit(2) from exc
    typer.echo(str(result.document_path))
    if not result.passed:
        err.print(f"[red]Groundedness checks failed[/red]: see {result.eval_report}")
        raise typer.Exit(1)
    if not quiet:
        err.print(f"[green]Done[/green] in {result.seconds:.1f} s. Open {result.document_path}")


def _as_of(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(
            f"--as-of '{text}' is not a date; use YYYY-MM-DD, e.g. 2026-06-30"
        ) from exc


def register(app: typer.Typer) -> None:
    app.command("build")(build)
