"""`icp drift --rules icp.yaml NEW_EXPORT...`: how a new export differs from the ICP's data.

Compares against the baseline stored in icp.yaml, or against `--previous` export files when
given; prints trait shift (PSI), tier share and churn change, and what to recalibrate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from agent.cli.score_cmd import read_accounts
from tools.drift import DriftReport, drift_report
from tools.errors import InputError
from tools.fitrules import load_rules


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.0%}"


def _render(report: DriftReport, console: Console) -> None:
    traits = Table(title="Trait shift (PSI: <0.1 stable, 0.1-0.25 moderate, >0.25 major)")
    for head in ("trait", "PSI", "level"):
        traits.add_column(head)
    for t in report.traits:
        traits.add_row(t.attribute, f"{t.psi:.3f}", t.level)
    tiers = Table(title="Tiers: then vs now")
    for head in ("tier", "share then", "share now", "churn then", "churn now"):
        tiers.add_column(head)
    for tier in report.tiers:
        tiers.add_row(tier.tier, _pct(tier.old_share), _pct(tier.new_share),
                      _pct(tier.old_churn), _pct(tier.new_churn))  # fmt: skip
    console.print(traits, tiers)
    console.print(f"New customers: {report.n_new_customers}, outside the ICP: "
                  f"{_pct(report.new_outside_icp)}")  # fmt: skip
    console.print(f"Newly churned: {report.n_new_churned}, outside the ICP: "
                  f"{_pct(report.churned_outside_icp)}")  # fmt: skip
    for line in report.advice:
        console.print(f"- {line}")


def drift(
    files: Annotated[list[Path], typer.Argument(help="The new data export file(s).")],
    rules: Annotated[Path, typer.Option("--rules", help="The icp.yaml rules file.")],
    previous: Annotated[
        list[Path] | None, typer.Option(help="Previous export (default: baseline in icp.yaml).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Report trait drift, tier health change and what to recalibrate."""
    try:
        fit = load_rules(rules)
        old = read_accounts(previous) if previous else None
        report = drift_report(fit, read_accounts(files), old)
    except InputError as exc:
        typer.echo(f"Error: {exc.render()}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(report.model_dump(), indent=2, ensure_ascii=False))
        return
    _render(report, Console())


def register(app: typer.Typer) -> None:
    """Add the `drift` command to the `icp` app."""
    app.command("drift")(drift)
