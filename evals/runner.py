"""Run every gate on a run folder and write `eval-report.json` + `eval-report.md`.

`run_gates(out_dir)` is what `icp eval`, the build's final check, CI and the bench call.
With a baseline folder, `run_gates(out_dir, baseline=other)` also evaluates the other run and
records per-gate changes (new and fixed failures, score moves).
"""

from __future__ import annotations

import json
from pathlib import Path

from evals.gates import evaluate
from evals.report import EvalReport, diff_reports, render_markdown
from evals.rundata import RunData, load_run

REPORT_JSON = "eval-report.json"
REPORT_MD = "eval-report.md"


def evaluate_run(run: RunData) -> EvalReport:
    """Gate results for an already-loaded run (used by the mutation suite)."""
    gates = evaluate(run)
    return EvalReport(out_dir=str(run.out_dir), passed=all(g.passed for g in gates), gates=gates)


def run_gates(out_dir: Path, baseline: Path | None = None) -> EvalReport:
    """Evaluate `out_dir/ICP.md` against its artifacts; raises InputError on a bad folder."""
    report = evaluate_run(load_run(Path(out_dir)))
    if baseline is not None:
        base = evaluate_run(load_run(Path(baseline)))
        report.baseline = str(baseline)
        report.changes = diff_reports(report, base)
    return report


def write_reports(report: EvalReport, out_dir: Path) -> tuple[Path, Path]:
    """Write eval-report.json and eval-report.md into `out_dir`; return both paths."""
    out_dir = Path(out_dir)
    js, md = out_dir / REPORT_JSON, out_dir / REPORT_MD
    js.write_text(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n",
                  encoding="utf-8")  # fmt: skip
    md.write_text(render_markdown(report), encoding="utf-8")
    return js, md
