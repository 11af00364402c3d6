"""Node: health score, rank and segment for every customer (the Customer Scoring Matrix)."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.context import RunContext
from agent.nodes.timing import timed
from agent.state import BuildState, ScoringBox
from tools.citations import StatBook
from tools.scoring import score_customers


@timed("score_accounts")
def score_accounts(state: BuildState, runtime: Runtime[RunContext]) -> dict:
    req, data, ctx = state["request"], state["data"], runtime.context
    ctx.progress("score", f"scoring {len(data.accounts)} customers")
    book = StatBook()
    result = score_customers(
        data.accounts,
        data.deals,
        weights=req.weights,
        as_of=req.as_of,
        top=req.top,
        bottom=req.bottom,
        book=book,
    )
    ctx.run.stage("score", "matrix", result.matrix)  # the final matrix gains tiers later
    box = ScoringBox(
        matrix=result.matrix,
        effective_weights=result.effective_weights,
        missing_components=result.missing_components,
        notes=result.notes,
    )
    return {"scoring": box, "stats": {s.id: s for s in book.all()}}
