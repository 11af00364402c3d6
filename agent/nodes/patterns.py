"""Node: what the best customers share — every trait tested, with honest uncertainty."""

from __future__ import annotations

from typing import Any, cast

from langgraph.runtime import Runtime

from agent.context import RunContext
from agent.nodes.timing import timed
from agent.state import BuildState
from tools.citations import StatBook
from tools.pattern_report import patterns_json, render_pattern_analysis
from tools.patterns import analyse_patterns


@timed("analyse_patterns")
def analyse_patterns_node(state: BuildState, runtime: Runtime[RunContext]) -> dict:
    req, data, ctx = state["request"], state["data"], runtime.context
    ctx.progress("patterns", f"testing traits of {len(data.attributes)} attributes")
    book = StatBook()
    book.extend(state.get("stats", {}).values())
    report = analyse_patterns(
        data.accounts,
        state["scoring"].matrix,
        data.attributes,
        data.deals,
        fdr=req.fdr,
        min_support=req.min_support,
        book=book,
    )
    ctx.run.write_json("patterns.json", patterns_json(report))
    ctx.run.write_text(
        "icp-pattern-analysis.md",
        render_pattern_analysis(report, cast(Any, state["scoring"]), book),  # same fields read
    )
    return {"patterns": report, "stats": {s.id: s for s in book.all()}}
