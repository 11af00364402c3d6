"""Nodes: plan the document (offline sections), fan out narrative drafting, assemble ICP.md."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import Send

from agent.context import RunContext
from agent.nodes.timing import timed
from agent.plan import DocumentPlan, plan_document
from agent.state import BuildState
from tools.document import render_markdown
from tools.drafting import assemble


@timed("plan_document")
def plan_document_node(state: BuildState, runtime: Runtime[RunContext]) -> dict:
    plan = plan_document(state, runtime.context)
    return {"plan": plan, "stats": {s.id: s for s in plan.new_stats}}


def route_drafts(state: BuildState) -> list[Send]:
    """One drafting branch per narrative (tier rationale, negative ICP, persona)."""
    plan: DocumentPlan = state["plan"]
    return [Send("draft_narrative", {"task": t}) for t in plan.tasks]


@timed("draft_narrative")
def draft_narrative_node(payload: dict[str, Any], runtime: Runtime[RunContext]) -> dict:
    from agent.drafting import draft_narrative

    task = payload["task"]
    result = draft_narrative(runtime.context.llm, task)
    return {"narratives": {task.section_id: result}}


@timed("assemble_document")
def assemble_document(state: BuildState, runtime: Runtime[RunContext]) -> dict:
    ctx, plan = runtime.context, state["plan"]
    drafted = {
        sid: (r.paragraph, list(r.quote_blocks), r.flag)
        for sid, r in sorted(state.get("narratives", {}).items())
    }
    doc = assemble(plan.title, plan.sections, drafted)
    stats = state["stats"]
    evidence = {e.id: e for e in state["interviews"].evidence}
    text = render_markdown(doc, stats, evidence)
    path = ctx.run.write_text("ICP.md", text)
    ctx.run.write_json("stats.json", sorted(stats.values(), key=lambda s: s.id))
    ctx.run.stage("document", "draft", doc)
    modes = sorted({r.mode for r in state.get("narratives", {}).values()})
    return {"document_path": str(path), "notices": [f"narratives drafted: {', '.join(modes)}"]}
