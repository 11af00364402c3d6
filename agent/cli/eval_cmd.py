"""`icp eval OUT_DIR`: run the groundedness gates on a run folder and write the eval report.

Exit codes: 0 every gate passes, 1 a gate failed (each failing sentence and id is printed),
2 the folder or one of its artifacts is missing or invalid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from evals.report import EvalReport
from evals.runner import run_gates, write_reports
from tools.errors import InputError

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _print(report: EvalReport) -> None:
    table = Table(title="Groundedness gates")
    for col in ("gate", "result", "score", "checked", "failures"):
        table.add_column(col)
    for g in report.gates:
        res = "[green]pass[/green]" if g.passed else "[red]FAIL[/red]"
        table.add_row(g.name, res, f"{g.score:.1%}", str(g.n), str(len(g.failures)))
    out.print(table)
    for g in report.gates:
        for f in g.failures:
            out.print(
                f"{g.name} line {f.line} ({f.rule}): {f.sentence}\n"
                f"    id: {f.id or '-'} | expected: {f.expected} | found: {f.found}",
                markup=False, highlight=False,
            )  # fmt: skip
    for c in report.changes:
        out.print(f"changed {c.gate}: {c.score_before} -> {c.score_after}, "
                  f"{len(c.new_failures)} new, {len(c.fixed_failures)} fixed")  # fmt: skip


def eval_run(
    out_dir: Annotated[
        Path, typer.Argument(help="Run folder written by `icp build` (holds ICP.md).")
    ],
    baseline: Annotated[
        Path | None, typer.Option(help="Another run folder to compare with.")
    ] = None,
    judge: Annotated[
        bool, typer.Option("--judge", help="Also score claim support (optional, not a gate).")
    ] = False,
) -> None:
    """Check every quote, citation, number, comparison and section of ICP.md against the run."""
    try:
        report = run_gates(out_dir, baseline=baseline)
        if judge:
            from evals.judge import judge_run
            from evals.rundata import load_run

            report.judge = judge_run(load_run(out_dir))
    except InputError as exc:
        err.print(f"Error: {exc.render()}", markup=False)
        raise typer.Exit(2) from exc
    json_path, md_path = write_reports(report, out_dir)
    _print(report)
    out.print(f"Report: {md_path}", markup=False, highlight=False)
    if not report.passed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_run)


if __name__ == "__main__":  # `python -m agent.cli.eval_cmd OUT_DIR` without the other commands
    _app = typer.Typer(add_completion=False, callback=lambda: None)  # keeps `eval` a sub-command
    register(_app)
    _app()
