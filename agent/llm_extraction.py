"""Persona insights proposed by the LLM from one interview, accepted only when code verifies them.

The model sees the interview's evidence items (PII masked, each tagged with its id and speaker
role) and proposes a decision role plus pains, goals, objections and other insights, each tied
to an evidence id and/or a verbatim quote. Code accepts an item only when its evidence id exists
and is an interviewee's turn, and its quote (if any) is found verbatim (whitespace and quote-mark
normalisation only) inside that item — or, with no id, inside exactly one interviewee item.
Near-misses are rejected with a reason, never repaired. Offline mode proposes nothing; the
deterministic extractor in `tools/` covers that path.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from agent.llm.errors import LLMError, LLMOutputError
from agent.llm.grounding import locate_verbatim
from agent.llm.privacy import mask_pii
from agent.llm.prompts import render_prompt
from agent.llm.protocol import LLM
from tools.models import DecisionRole, Evidence, Insight

InsightKind = Literal[
    "pain",
    "goal",
    "objection",
    "trigger",
    "job",
    "information_source",
    "content_preference",
    "responsibility",
    "phrase",
]
MIN_QUOTE_WORDS = 3


class ProposedInsight(BaseModel):
    kind: InsightKind
    evidence_id: str | None = None
    quote: str | None = Field(default=None, description="Exact words copied from that item")


class InsightProposals(BaseModel):
    decision_role: DecisionRole | None = None
    role_reason: str = ""
    items: list[ProposedInsight] = Field(default_factory=list, max_length=30)


class Rejected(BaseModel):
    item: ProposedInsight
    reason: str


class ExtractionResult(BaseModel):
    interview_id: str
    insights: list[Insight] = Field(default_factory=list)
    rejected: list[Rejected] = Field(default_factory=list)
    decision_role: DecisionRole | None = None
    role_reason: str = ""
    mode: Literal["llm", "offline", "fallback"] = "llm"
    error: str | None = None
    calls: int = 0


def _verify(item: ProposedInsight, by_id: dict[str, Evidence], interview_id: str) -> Insight | str:
    """An accepted Insight, or the reason the proposal is rejected."""
    if item.evidence_id is not None:
        ev = by_id.get(item.evidence_id)
        if ev is None:
            return f"evidence id {item.evidence_id} does not exist in this interview"
        if ev.speaker_role != "interviewee":
            return f"evidence {ev.id} is a {ev.speaker_role} turn, not the interviewee's"
        candidates = [ev]
    else:
        candidates = [e for e in by_id.values() if e.speaker_role == "interviewee"]
    if item.quote is None:
        if item.evidence_id is None:
            return "neither an evidence id nor a quote was given"
        ev = candidates[0]
        return Insight(interview_id=interview_id, kind=item.kind, evidence_id=ev.id, text=ev.text)
    if len(item.quote.split()) < MIN_QUOTE_WORDS:
        return f"quote is shorter than {MIN_QUOTE_WORDS} words"
    hits = [(e, span) for e in candidates if (span := locate_verbatim(item.quote, e.text))]
    if not hits:
        return "quote is not a verbatim span of the interviewee's words"
    if len(hits) > 1:
        return "quote occurs in more than one evidence item; give its evidence id"
    ev, (start, end) = hits[0]
    return Insight(
        interview_id=interview_id, kind=item.kind, evidence_id=ev.id, text=ev.text[start:end]
    )


def extract_interview(llm: LLM, interview_id: str, evidence: list[Evidence]) -> ExtractionResult:
    """Ask the LLM for proposals on one interview and keep only what code can verify."""
    items = sorted((e for e in evidence if e.interview_id == interview_id), key=lambda e: e.start)
    by_id = {e.id: e for e in items}
    prompt = render_prompt(
        "extract.persona_insights",
        offline={"items": []},
        items=[
            {"id": e.id, "role": e.speaker_role, "title": e.title or "", "text": mask_pii(e.text)}
            for e in items
        ],
    )
    try:
        result = llm.generate(prompt, InsightProposals, None)
    except LLMError as exc:
        calls = exc.requests if isinstance(exc, LLMOutputError) else 0
        return ExtractionResult(
            interview_id=interview_id, mode="fallback", error=str(exc), calls=calls
        )
    if result.mode == "offline":
        return ExtractionResult(interview_id=interview_id, mode="offline")
    out = ExtractionResult(
        interview_id=interview_id,
        decision_role=result.parsed.decision_role,
        role_reason=result.parsed.role_reason,
        calls=result.calls,
    )
    seen: set[tuple[str, str, str]] = set()
    for item in result.parsed.items:
        verdict = _verify(item, by_id, interview_id)
        if isinstance(verdict, str):
            out.rejected.append(Rejected(item=item, reason=verdict))
        elif (key := (verdict.kind, verdict.evidence_id, verdict.text)) not in seen:
            seen.add(key)
            out.insights.append(verdict)
    return out


def propose_insights(llm: LLM, interview_id: str, evidence: list[Evidence]) -> list[Insight]:
    """The verified insights only (see `extract_interview` for role, rejections and mode)."""
    return extract_interview(llm, interview_id, evidence).insights
