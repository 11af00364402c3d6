"""The build workflow: nodes and edges only.

ingest ─▶ score ─▶ patterns ─▶ tiers ─┐
interviews ─▶ (extract per interview) ┴▶ personas ─▶ plan ─▶ (draft per narrative) ─▶
assemble ─▶ checks ─▶ manifest
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from agent.context import RunContext
from agent.nodes.document import (
    assemble_document,
    draft_narrative_node,
    plan_document_node,
    route_drafts,
)
from agent.nodes.finish import check_groundedness, write_manifest
from agent.nodes.ingest import ingest_customers
from agent.nodes.interviews import extract_interview, read_interviews_node, route_interviews
from agent.nodes.patterns import analyse_patterns_node
from agent.nodes.personas import build_personas_node
from agent.nodes.score import score_accounts
from agent.nodes.tiers import build_tiers
from agent.state import BuildInput, BuildOutput, BuildState


def build_graph():  # noqa: ANN201 - a compiled LangGraph graph
    g = StateGraph(
        BuildState, context_schema=RunContext, input_schema=BuildInput, output_schema=BuildOutput
    )
    g.add_node("ingest_customers", ingest_customers)
    g.add_node("score_accounts", score_accounts)
    g.add_node("analyse_patterns", analyse_patterns_node)
    g.add_node("build_tiers", build_tiers)
    g.add_node("read_interviews", read_interviews_node)
    g.add_node("extract_interview", extract_interview)
    g.add_node("build_personas", build_personas_node)
    g.add_node("plan_document", plan_document_node)
    g.add_node("draft_narrative", draft_narrative_node)
    g.add_node("assemble_document", assemble_document)
    g.add_node("check_groundedness", check_groundedness)
    g.add_node("write_manifest", write_manifest)

    g.add_edge(START, "ingest_customers")
    g.add_edge(START, "read_interviews")
    g.add_edge("ingest_customers", "score_accounts")
    g.add_edge("score_accounts", "analyse_patterns")
    g.add_edge("analyse_patterns", "build_tiers")
    g.add_conditional_edges("read_interviews", route_interviews, ["extract_interview"])
    g.add_edge(["build_tiers", "extract_interview"], "build_personas")
    g.add_edge("build_personas", "plan_document")
    g.add_conditional_edges("plan_document", route_drafts, ["draft_narrative"])
    g.add_edge("draft_narrative", "assemble_document")
    g.add_edge("assemble_document", "check_groundedness")
    g.add_edge("check_groundedness", "write_manifest")
    g.add_edge("write_manifest", END)
    return g.compile()


graph = build_graph
