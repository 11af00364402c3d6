"""Grounded drafting and LLM insight extraction driven by the strict scripted fake."""

from __future__ import annotations

from typing import Any

from agent.drafting import DraftReply, NarrativeTask, draft_narrative
from agent.llm.errors import BudgetExceeded, LLMUnavailable
from agent.llm.fake import FakeLLM
from agent.llm.offline import OfflineLLM
from agent.llm.protocol import LLMResult, RenderedPrompt
from agent.llm_extraction import extract_interview, propose_insights
from tests.llm_samples import (
    EVIDENCE,
    INJECTED,
    LIFT,
    OFFLINE,
    PAIN,
    QUESTION,
    STATS,
    good_reply,
    tier_task,
)
from tools.document import Document, Section, render_markdown


def test_llm_draft_builds_cited_sentences_and_quote_blocks() -> None:
    fake = FakeLLM({"draft.tier_rationale": [good_reply()]})
    result = draft_narrative(fake, tier_task())
    assert result.mode == "llm" and result.model == "fake"
    assert result.paragraph.sentences[0].cites == (LIFT.id,)
    assert [q.evidence_id for q in result.quote_blocks] == [PAIN.id]
    md = render_markdown(
        Document(title="x", sections=[Section(id="t", title="Tier 1", blocks=result.blocks)]),
        STATS,
        EVIDENCE,
    )
    assert "at 2.4× the base rate" in md


def test_persona_and_negative_prompts_are_used_by_kind() -> None:
    fake = FakeLLM({"draft.persona": [good_reply()], "draft.negative_icp": [good_reply()]})
    assert draft_narrative(fake, tier_task(kind="persona", subject="Economic buyer")).mode == "llm"
    assert (
        draft_narrative(fake, tier_task(kind="negative_icp", subject="Negative ICP")).mode == "llm"
    )
    assert [c.prompt.id for c in fake.calls] == ["draft.persona", "draft.negative_icp"]


def test_account_names_are_pseudonymised_in_prompt_and_restored_in_text() -> None:
    reply = {
        "sentences": [
            {
                "text": f"Account A is typical, at {{{LIFT.id}}} the base rate.",
                "stat_ids": [LIFT.id],
                "quote_ids": [],
            }
        ]
    }
    fake = FakeLLM([reply])
    task = tier_task(subject="Tier 1 led by Initech", private_names=["Initech"])
    result = draft_narrative(fake, task)
    sent = fake.calls[0].messages[1]["content"]
    assert "Initech" not in sent and "Account A" in sent
    assert result.paragraph.sentences[0].text.startswith("Initech is typical")


def test_endpoint_failure_and_budget_fall_back_with_reason() -> None:
    for exc, words in [
        (LLMUnavailable("the LLM endpoint x timed out"), "timed out"),
        (BudgetExceeded("the LLM budget of 5 calls for this run is spent"), "budget"),
    ]:
        result = draft_narrative(FakeLLM([exc]), tier_task())
        assert result.mode == "fallback" and result.paragraph == OFFLINE
        assert words in (result.flag or "")


class _Unchecked:
    """An LLM that hands back an object parsed without grounding context (e.g. a buggy wrapper)."""

    def generate(
        self,
        prompt: RenderedPrompt,
        response_model: type[Any],
        validation_context: dict[str, Any] | None = None,
    ) -> LLMResult[Any]:
        bad = {"sentences": [{"text": "Revenue doubled to 99%.", "stat_ids": [LIFT.id]}]}
        return LLMResult[DraftReply](parsed=DraftReply.model_validate(bad), model="m")


def test_grounding_is_rechecked_outside_parsing() -> None:
    result = draft_narrative(_Unchecked(), tier_task())
    assert result.mode == "fallback" and any("99" in f for f in result.failures)


def test_offline_llm_gives_offline_text_not_pretend_llm() -> None:
    task: NarrativeTask = tier_task()
    result = draft_narrative(OfflineLLM(), task)
    assert result.mode == "offline" and result.flag is None and result.paragraph == task.offline


def test_extraction_keeps_only_verified_interviewee_quotes() -> None:
    proposals = {
        "decision_role": "economic_buyer",
        "role_reason": "signs off spend",
        "items": [
            {"kind": "pain", "quote": "two full days every single month"},
            {"kind": "pain", "evidence_id": QUESTION.id, "quote": "slows your finance team down"},
            {"kind": "objection", "evidence_id": INJECTED.id},
            {"kind": "goal", "evidence_id": PAIN.id, "quote": "two full days every single week"},
        ],
    }
    out = extract_interview(FakeLLM([proposals]), "int-1", list(EVIDENCE.values()))
    assert out.decision_role == "economic_buyer" and out.mode == "llm"
    assert [(i.kind, i.evidence_id) for i in out.insights] == [
        ("pain", PAIN.id),
        ("objection", INJECTED.id),
    ]
    assert out.insights[0].text == "two full days every single month"
    reasons = [r.reason for r in out.rejected]
    assert "interviewer turn" in reasons[0] and "not a verbatim span" in reasons[1]


def test_extraction_offline_and_failure_modes() -> None:
    assert extract_interview(OfflineLLM(), "int-1", list(EVIDENCE.values())).mode == "offline"
    failed = extract_interview(FakeLLM([LLMUnavailable("down")]), "int-1", list(EVIDENCE.values()))
    assert failed.mode == "fallback" and failed.insights == [] and failed.error == "down"
    assert propose_insights(OfflineLLM(), "int-1", list(EVIDENCE.values())) == []


def test_extraction_prompt_masks_pii() -> None:
    fake = FakeLLM([{"items": []}])
    extract_interview(fake, "int-1", list(EVIDENCE.values()))
    user = fake.calls[0].messages[1]["content"]
    assert "jo@example.com" not in user and "[email]" in user
    assert f'<evidence id="{QUESTION.id}" speaker_role="interviewer"' in user
