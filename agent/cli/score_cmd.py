"""`icp score --rules icp.yaml FILE... --out scored.csv`: score any account list with saved rules.

Writes tier, 0–100 fit score and a signals text per account (rows in the input order),
optionally the HubSpot and Salesforce import files and `fit_score.sql` for the warehouse. Warns
when the file lacks columns the rules read. Exit code 2 on bad input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from tools.errors import InputError
from tools.exports import CRM_NOTE, to_hubspot_csv, to_salesforce_csv, to_sql
from tools.fitrules import FitRules, coverage, load_rules, score_frame


def read_accounts(paths: list[Path], mapping: Path | None = None) -> pd.DataFrame:
    """Accounts table of the given export files, mapped and cleaned by the ingest stage,
    in the order the files list the accounts."""
    from tools.ingest import load_customer_data

    data = load_customer_data(list(paths), mapping_file=mapping)
    accounts = data.accounts
    if not data.input_order:
        return accounts
    position = {a: i for i, a in enumerate(data.input_order)}
    rank = accounts["account_id"].astype(str).map(position).fillna(len(position))
    return accounts.iloc[rank.argsort(kind="stable")].reset_index(drop=True)


def warn_missing(fit: FitRules, accounts: pd.DataFrame) -> None:
    """Name the columns the rules read that the file lacks (all rows) or leaves empty."""
    lacking = coverage(fit, accounts)
    if not lacking:
        return
    n = len(accounts)
    parts = [
        f"{f} ({'not in the file' if k == n else f'empty in {k} of {n} rows'}"
        f"{', required' if req else ''})"
        for f, k, req in lacking
    ]
    typer.echo("Warning: the rules use data this file lacks: " + "; ".join(parts) + ".", err=True)
    if any(req for _, _, req in lacking):
        typer.echo(
            "  Rows missing a required column are 'Insufficient data'. Add these columns, or "
            "map them with --mapping (run `icp inspect FILE` to create the mapping file).",
            err=True,
        )


def _summary(scored: pd.DataFrame) -> Table:
    table = Table(title="ICP tiers")
    table.add_column("tier")
    table.add_column("accounts", justify="right")
    counts = scored["tier"].value_counts()
    for tier in ("Tier 1", "Tier 2", "Tier 3", "Not ICP", "Disqualified", "Insufficient data"):
        table.add_row(tier, str(int(counts.get(tier, 0))))
    return table


def score(
    files: Annotated[list[Path], typer.Argument(help="Account list(s) to score (CSV, XLSX, ...).")],
    rules: Annotated[Path, typer.Option("--rules", help="The icp.yaml rules file.")],
    out: Annotated[Path, typer.Option("--out", help="Scored CSV to write.")] = Path("scored.csv"),
    hubspot: Annotated[Path | None, typer.Option(help="Also write a HubSpot import CSV.")] = None,
    salesforce: Annotated[
        Path | None, typer.Option(help="Also write a Salesforce import CSV.")
    ] = None,
    sql: Annotated[Path | None, typer.Option(help="Also write fit_score.sql here.")] = None,
    mapping: Annotated[Path | None, typer.Option(help="Column mapping file (icp inspect).")] = None,
) -> None:
    """Score accounts into tier, fit score (0-100) and signals with a saved icp.yaml."""
    try:
        fit = load_rules(rules)
        accounts = read_accounts(files, mapping)
        warn_missing(fit, accounts)
        scored = score_frame(fit, accounts)
    except InputError as exc:
        typer.echo(f"Error: {exc.render()}", err=True)
        raise typer.Exit(2) from exc
    scored.to_csv(out, index=False, encoding="utf-8")
    written = [out]
    notes = []
    if hubspot:
        written.append(to_hubspot_csv(scored, hubspot))
        notes.append(f"HubSpot: {CRM_NOTE['HubSpot']}.")
    if salesforce:
        written.append(to_salesforce_csv(scored, salesforce))
        notes.append(f"Salesforce: {CRM_NOTE['Salesforce']}.")
    if sql:
        sql.write_text(to_sql(fit), encoding="utf-8")
        written.append(sql)
    Console().print(_summary(scored))
    typer.echo("Wrote " + ", ".join(str(p) for p in written))
    for note in notes:
        typer.echo("Note – " + note)


def register(app: typer.Typer) -> None:
    """Add the `score` command to the `icp` app."""
    app.command("score")(score)
