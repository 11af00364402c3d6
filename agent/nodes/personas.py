"""Node: merge interviewees into personas per decision role and ICP tier."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.context import RunContext
from agent.nodes.timing import timed
from agent.state import BuildState, PersonaBundle
from tools.personas import build_personas, link_interviews


@timed("build_personas")
def build_personas_node(state: BuildState, runtime: Runtime[RunContext]) -> dict:
    ctx = runtime.context
    people = sorted(state.get("interviewees", {}).values(), key=lambda p: (p.interview_id, p.name))
    insights = [i for k in sorted(state.get("insights", {})) for i in state["insights"][k]]
    links = link_interviews(people, state["data"].accounts)
    people = [p.model_copy(update={"account_id": links.get(p.interview_id)}) for p in people]
    # Personas are split by ICP tier; accounts outside Tier 1-3 are grouped together.
    tier_of_account = {
        k: v if v.startswith("Tier") else "Outside the ICP"
        for k, v in state["icp"].tier_of_account.items()
    }
    personas = build_personas(people, insights, tier_of_account)
    ctx.progress("personas", f"{len(personas)} persona(s) from {len(people)} interviewee(s)")
    ctx.run.write_json("personas.json", personas)
    ctx.run.write_json("interviewees.json", people)
    bundle = PersonaBundle(interviewees=people, insights=insights, personas=personas, links=links)
    return {"personas": bundle}
