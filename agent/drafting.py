"""Grounded narrative drafting: the LLM writes prose around ids, code checks and fills it.

`draft_narrative(llm, task)` asks for structured sentences (text with `{s-xxxxxxxx}` placeholders
for every number, plus the stat and quote ids each sentence rests on). Grounding checks run
inside parsing (`DraftReply`'s validator reads the validation context), so a failing reply gets
one bounded repair round with the failures listed; if it still fails, or the endpoint fails for
good, or the budget is spent, the deterministic offline paragraph is used and the section is
flagged. Quotes are rendered by code from quote ids as `QuoteBlock`s, never from model text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from agent.llm.errors import LLMError, LLMOutputError
from agent.llm.grounding import check_sentences
from agent.llm.privacy import Pseudonyms, mask_pii
from agent.llm.prompts import render_prompt
from agent.llm.protocol import LLM
from tools.citations import format_value
from tools.document import Block, Paragraph, QuoteBlock, Sentence
from tools.models import Evidence, Stat, Unit

NarrativeKind = Literal["tier_rationale", "negative_icp", "persona"]


class Fact(BaseModel):
    """A statistic the model may use: id, what it measures, its rendered value."""

    stat_id: str
    definition: str
    formatted: str
    unit: Unit | None = None
    value: float | None = None

    @classmethod
    def from_stat(cls, stat: Stat) -> Fact:
        return cls(
            stat_id=stat.id,
            definition=stat.definition,
            formatted=format_value(stat.value, stat.unit),
            unit=stat.unit,
            value=stat.value,
        )


class QuoteRef(BaseModel):
    """An interview span the model may cite by id (its text is shown, never copied)."""

    evidence_id: str
    text: str
    speaker: str
    title: str | None = None

    @classmethod
    def from_evidence(cls, ev: Evidence) -> QuoteRef:
        return cls(evidence_id=ev.id, text=ev.text, speaker=ev.speaker, title=ev.title)


class NarrativeTask(BaseModel):
    section_id: str
    kind: NarrativeKind
    subject: str  # "Tier 1", "Negative ICP", "Economic buyer (Tier 1)"
    facts: list[Fact]
    quotes: list[QuoteRef] = Field(default_factory=list)
    offline: Paragraph
    offline_quotes: list[QuoteBlock] = Field(default_factory=list)
    private_names: list[str] = Field(default_factory=list)  # pseudonymised in the prompt


class DraftSentence(BaseModel):
    text: str = Field(description="One sentence; numbers only as {s-xxxxxxxx} placeholders")
    stat_ids: list[str] = Field(default_factory=list)
    quote_ids: list[str] = Field(default_factory=list)


class DraftReply(BaseModel):
    sentences: list[DraftSentence] = Field(min_length=1, max_length=8)

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> DraftReply:
        ctx = info.context or {}
        if ctx.get("check") == "narrative":
            failures = check_sentences(_triples(self), _facts_map(ctx), ctx["quotes"])
            if failures:
                raise ValueError("\n- ".join(["draft is not grounded:", *failures]))
        return self


class NarrativeResult(BaseModel):
    section_id: str
    paragraph: Paragraph
    quote_blocks: list[QuoteBlock] = Field(default_factory=list)
    mode: Literal["llm", "offline", "fallback"]
    flag: str | None = None  # for Section.flagged when mode == "fallback"
    failures: list[str] = Field(default_factory=list)
    calls: int = 0
    model: str | None = None
    cache_hit: bool = False

    @property
    def blocks(self) -> list[Block]:
        return [self.paragraph, *self.quote_blocks]


def facts_from_stats(stats: Iterable[Stat]) -> list[Fact]:
    return [Fact.from_stat(s) for s in sorted(stats, key=lambda s: s.id)]


def quotes_from_evidence(evidence: Iterable[Evidence]) -> list[QuoteRef]:
    return [QuoteRef.from_evidence(e) for e in evidence if e.speaker_role == "interviewee"]


def _triples(reply: DraftReply) -> list[tuple[str, list[str], list[str]]]:
    return [(s.text, s.stat_ids, s.quote_ids) for s in reply.sentences]


def _facts_map(ctx: dict[str, Any]) -> dict[str, tuple[str, float | None]]:
    return {sid: (unit, value) for sid, (unit, value) in ctx["facts"].items()}


def validation_context(task: NarrativeTask, names: Pseudonyms) -> dict[str, Any]:
    return {
        "check": "narrative",
        "facts": {f.stat_id: (f.unit or "number", f.value) for f in task.facts},
        "quotes": {q.evidence_id: names.hide(mask_pii(q.text)) for q in task.quotes},
    }


def _offline_payload(task: NarrativeTask) -> dict[str, Any]:
    return {
        "sentences": [
            {
                "text": s.text,
                "stat_ids": [c for c in s.cites if c.startswith("s-")],
                "quote_ids": [c for c in s.cites if c.startswith("q-")],
            }
            for s in task.offline.sentences
        ]
    }


def build_prompt(task: NarrativeTask, names: Pseudonyms) -> Any:
    facts = [
        {"id": f.stat_id, "definition": names.hide(f.definition), "value": f.formatted}
        for f in task.facts
    ]
    quotes = [
        {
            "id": q.evidence_id,
            "speaker": names.hide(q.title or "interviewee"),
            "text": names.hide(mask_pii(q.text)),
        }
        for q in task.quotes
    ]
    return render_prompt(
        f"draft.{task.kind}",
        offline=_offline_payload(task),
        subject=names.hide(task.subject),
        facts=facts,
        quotes=quotes,
    )


def _fallback(task: NarrativeTask, reason: str, failures: list[str], calls: int) -> NarrativeResult:
    return NarrativeResult(
        section_id=task.section_id,
        paragraph=task.offline,
        quote_blocks=task.offline_quotes,
        mode="fallback",
        flag=f"LLM draft not used ({reason}); offline text shown",
        failures=failures,
        calls=calls,
    )


def draft_narrative(llm: LLM, task: NarrativeTask) -> NarrativeResult:
    """Draft one section's narrative; never raises for LLM trouble (falls back and flags)."""
    names = Pseudonyms(task.private_names)
    ctx = validation_context(task, names)
    try:
        result = llm.generate(build_prompt(task, names), DraftReply, ctx)
    except LLMOutputError as exc:
        return _fallback(
            task, "it failed the groundedness checks twice", exc.failures, exc.requests
        )
    except LLMError as exc:
        return _fallback(task, str(exc), [], 0)
    if result.mode == "offline":
        return NarrativeResult(
            section_id=task.section_id,
            paragraph=task.offline,
            quote_blocks=task.offline_quotes,
            mode="offline",
            model="offline",
        )
    reply = result.parsed
    # Re-check outside parsing too: a wrapper that skipped validation must not bypass grounding.
    failures = check_sentences(_triples(reply), _facts_map(ctx), ctx["quotes"])
    if failures:
        return _fallback(task, "it failed the groundedness checks", failures, result.calls)
    sentences = [
        Sentence(
            text=names.reveal(s.text).strip(), cites=tuple(dict.fromkeys(s.stat_ids + s.quote_ids))
        )
        for s in reply.sentences
    ]
    quote_ids = list(dict.fromkeys(q for s in reply.sentences for q in s.quote_ids))
    return NarrativeResult(
        section_id=task.section_id,
        paragraph=Paragraph(sentences=sentences),
        quote_blocks=[QuoteBlock(evidence_id=q) for q in quote_ids],
        mode="llm",
        calls=result.calls,
        model=result.model,
        cache_hit=result.cache_hit,
    )
