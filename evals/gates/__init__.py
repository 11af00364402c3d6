"""The five deterministic groundedness gates over a parsed `ICP.md` and its run folder.

Each gate module exposes `check(ctx: Context) -> GateResult`. `evaluate` runs them all in the
fixed order of `evals.report.GATE_ORDER`.
"""

from __future__ import annotations

from evals.gates import citations, directions, numbers, quotes, structure
from evals.gates.context import Context
from evals.markdown import parse
from evals.report import GateResult
from evals.rundata import RunData

GATES = {
    "quotes": quotes.check,
    "citations": citations.check,
    "numbers": numbers.check,
    "directions": directions.check,
    "structure": structure.check,
}


def evaluate(run: RunData) -> list[GateResult]:
    """Run every gate on the run's ICP.md text."""
    ctx = Context(doc=parse(run.icp_text), run=run)
    return [check(ctx) for check in GATES.values()]


__all__ = ["GATES", "Context", "evaluate"]
