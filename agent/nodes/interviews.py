"""Nodes: read interview files into verbatim evidence, then extract insights per interview.

Extraction fans out with `Send`, one branch per interview; the offline extractor is
deterministic, an LLM proposes and code verifies when one is configured.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import Send

from agent.context import RunContext
from agent.nodes.timing import timed
from agent.state import BuildState, InterviewBundle
from tools.evidence import build_evidence
from tools.insights import extract_insights
from tools.transcripts import read_interviews


@timed("read_interviews")
def read_interviews_node(state: BuildState, runtime: Runtime[RunContext]) -> dict:
    req, ctx = state["request"], runtime.context
    ctx.progress("interviews", f"reading interview notes from {len(req.interviews)} path(s)")
    parsed, issues = read_interviews(list(req.interviews), sidecar_csv=req.interviews_sidecar)
    evidence = sorted(build_evidence(parsed), key=lambda e: (e.source, e.start, e.end))
    ctx.run.write_jsonl("evidence.jsonl", evidence)
    bundle = InterviewBundle(interviews=parsed, evidence=evidence, issues=issues)
    return {"interviews": bundle}


def route_interviews(state: BuildState) -> list[Send]:
    """One extraction branch per interview (at least one, so the join always fires)."""
    parsed = state["interviews"].interviews
    if not parsed:
        return [Send("extract_interview", {"interview": None})]
    evidence = state["interviews"].evidence
    return [
        Send(
            "extract_interview",
            {"interview": p, "evidence": [e for e in evidence if e.interview_id == p.interview_id]},
        )
        for p in parsed
    ]


@timed("extract_interview")
def extract_interview(payload: dict[str, Any], runtime: Runtime[RunContext]) -> dict:
    interview = payload["interview"]
    if interview is None:
        return {"insights": {}, "interviewees": {}}
    ctx = runtime.context
    people, insights = extract_insights([interview], payload["evidence"], ctx.embed)
    if ctx.llm.mode != "offline":
        from agent.llm_extraction import propose_insights

        # The LLM proposes; each proposal was verified verbatim against interviewee evidence.
        seen = {(i.evidence_id, i.kind) for i in insights}
        proposed = propose_insights(ctx.llm, interview.interview_id, payload["evidence"])
        insights += [i for i in proposed if (i.evidence_id, i.kind) not in seen]
    merged = {f"{p.interview_id}#{p.name}": p for p in people}
    by_interview: dict[str, list] = {}
    for ins in insights:
        by_interview.setdefault(ins.interview_id, []).append(ins)
    return {"insights": by_interview, "interviewees": merged}
