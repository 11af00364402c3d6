"""Contract tests: the OpenAI-compatible client against a real local HTTP stub via the openai SDK."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.drafting import DraftReply, draft_narrative
from agent.llm.errors import LLMConfigError, LLMOutputError, LLMUnavailable
from agent.llm.openai_compat import OpenAICompatLLM, forget_capabilities
from agent.llm_extraction import extract_interview
from tests.llm_samples import (
    EVIDENCE,
    INJECTED,
    LIFT,
    OFFLINE,
    PAIN,
    PAIN_TEXT,
    STATS,
    bad_id_reply,
    good_reply,
    injected_reply,
    tier_task,
)
from tests.stub_openai import StubOpenAI, StubReply, only_localhost  # noqa: F401
from tools.document import Document, Section, render_markdown

pytestmark = pytest.mark.usefixtures("only_localhost")


@pytest.fixture
def stub() -> Iterator[StubOpenAI]:
    with StubOpenAI() as server:
        yield server


@pytest.fixture(autouse=True)
def _fresh_memo() -> None:
    forget_capabilities()


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(stub: StubOpenAI, tmp_path: Path, **kw: object) -> tuple[OpenAICompatLLM, Sleeps]:
    sleeps = Sleeps()
    options: dict[str, object] = {"timeout_s": 5.0, "max_attempts": 4}
    options.update(kw)
    llm = OpenAICompatLLM(
        model="test-model",
        base_url=stub.url,
        api_key="sk-test-secret",
        capability_file=tmp_path / "capabilities.json",
        sleep=sleeps,
        **options,
    )  # type: ignore[arg-type]
    return llm, sleeps


def formats(stub: StubOpenAI) -> list[str | None]:
    return [(r.get("response_format") or {}).get("type") for r in stub.requests]


def grounded_markdown(result_blocks: list) -> str:  # type: ignore[type-arg]
    doc = Document(title="ICP", sections=[Section(id="t1", title="Tier 1", blocks=result_blocks)])
    return render_markdown(doc, STATS, EVIDENCE)


def test_json_schema_success_renders_numbers_from_stats(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.script(good_reply())
    llm, _ = client(stub, tmp_path)
    result = draft_narrative(llm, tier_task())
    assert result.mode == "llm" and result.flag is None and result.calls == 1
    assert formats(stub) == ["json_schema"]
    md = grounded_markdown(result.blocks)
    assert "2.4×" in md and f"[^{LIFT.id}]" in md
    assert f"“{PAIN_TEXT}”[^{PAIN.id}]" in md  # quote rendered by code, verbatim


def test_llamacpp_json_schema_500_falls_back_to_json_object_and_remembers(tmp_path: Path) -> None:
    with StubOpenAI(reject_json_schema=True) as stub:
        stub.script(good_reply(), good_reply())
        llm, sleeps = client(stub, tmp_path)
        assert llm.generate(_prompt(), DraftReply, None).structured_mode == "json_object"
        assert llm.generate(_prompt(), DraftReply, None).structured_mode == "json_object"
        assert formats(stub) == ["json_schema", "json_object", "json_object"]
        assert sleeps == []  # a format rejection is not a transient fault
        assert "schema" in stub.requests[1]["response_format"]
        stored = json.loads((tmp_path / "capabilities.json").read_text())
        assert stored == {f"{stub.url}|test-model": "json_object"}
        forget_capabilities()  # a new process reads the memo from the cache dir
        stub.script(good_reply())
        fresh, _ = client(stub, tmp_path)
        fresh.generate(_prompt(), DraftReply, None)
        assert formats(stub)[-1] == "json_object"


def test_plain_text_server_gets_json_instructions_in_prompt(tmp_path: Path) -> None:
    with StubOpenAI(plain_text_only=True) as stub:
        stub.script(good_reply())
        llm, _ = client(stub, tmp_path)
        res = llm.generate(_prompt(), DraftReply, None)
        assert res.structured_mode == "prompt" and len(res.parsed.sentences) == 2
        assert formats(stub) == ["json_schema", "json_object", None]
        assert "JSON schema" in stub.requests[-1]["messages"][0]["content"]


def test_429_waits_at_least_retry_after_then_succeeds(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.script(
        StubReply(status=429, headers={"retry-after": "7"}, message="slow down"), good_reply()
    )
    llm, sleeps = client(stub, tmp_path)
    res = llm.generate(_prompt(), DraftReply, None)
    assert res.calls == 1 and stub.hits == 2
    assert len(sleeps) == 1 and sleeps[0] >= 7


def test_500_twice_then_success(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.script(StubReply(status=500), StubReply(status=503), good_reply())
    llm, sleeps = client(stub, tmp_path)
    assert llm.generate(_prompt(), DraftReply, None).parsed.sentences
    assert stub.hits == 3 and len(sleeps) == 2 and sleeps[1] >= sleeps[0] * 0  # backoff, jittered


def test_timeout_then_success(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.script(StubReply(content=good_reply(), delay_s=2.0), good_reply())
    llm, sleeps = client(stub, tmp_path, timeout_s=0.3)
    assert llm.generate(_prompt(), DraftReply, None).parsed.sentences
    assert stub.hits == 2 and len(sleeps) == 1


def test_timeouts_exhausted_fall_back_offline_and_flag(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.script(*[StubReply(content=good_reply(), delay_s=2.0)] * 2)
    llm, _ = client(stub, tmp_path, timeout_s=0.2, max_attempts=2)
    with pytest.raises(LLMUnavailable, match="timed out"):
        llm.generate(_prompt(), DraftReply, None)
    stub.script(*[StubReply(content=good_reply(), delay_s=2.0)] * 2)
    result = draft_narrative(llm, tier_task())
    assert result.mode == "fallback" and result.paragraph == OFFLINE
    assert result.flag is not None and "timed out" in result.flag
    hits = stub.hits
    later = draft_narrative(llm, tier_task(subject="Tier 2"))  # endpoint given up on: no HTTP
    assert later.mode == "fallback" and stub.hits == hits and "giving up" in (later.flag or "")


def test_401_is_plain_words_and_never_retried(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.script(StubReply(status=401, message="Incorrect API key provided: sk-test-secret"))
    llm, sleeps = client(stub, tmp_path)
    with pytest.raises(LLMConfigError, match="the API key was rejected") as info:
        llm.generate(_prompt(), DraftReply, None)
    assert "sk-test-secret" not in str(info.value)
    assert stub.hits == 1 and sleeps == []
    result = draft_narrative(llm, tier_task())  # later sections fail fast, no more HTTP
    assert result.mode == "fallback" and stub.hits == 1


def test_404_names_the_missing_model(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.script(StubReply(status=404, message="model not found"))
    llm, sleeps = client(stub, tmp_path)
    with pytest.raises(LLMConfigError, match="model test-model does not exist on this server"):
        llm.generate(_prompt(), DraftReply, None)
    assert stub.hits == 1 and sleeps == []


def test_400_is_not_retried(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.script(StubReply(status=400, message="messages too long"))
    llm, sleeps = client(stub, tmp_path)
    with pytest.raises(LLMConfigError, match="HTTP 400"):
        llm.generate(_prompt(), DraftReply, None)
    assert stub.hits == 1 and sleeps == []


def test_malformed_json_then_valid_reasks_with_the_error(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.script('{"sentences": [ {"text": "unterminated', good_reply())
    llm, _ = client(stub, tmp_path)
    res = llm.generate(_prompt(), DraftReply, None)
    assert res.calls == 2 and res.reasks == 1
    assert "not valid JSON" in stub.requests[1]["messages"][-1]["content"]


def test_unknown_id_is_repaired_once_with_failures_listed(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.script(bad_id_reply(), good_reply())
    llm, _ = client(stub, tmp_path)
    result = draft_narrative(llm, tier_task())
    assert result.mode == "llm" and stub.hits == 2
    assert "s-deadbeef is not among the given facts" in stub.requests[1]["messages"][-1]["content"]


def test_unknown_id_twice_falls_back_and_flags(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.script(bad_id_reply(), bad_id_reply())
    llm, _ = client(stub, tmp_path)
    result = draft_narrative(llm, tier_task())
    assert result.mode == "fallback" and result.paragraph == OFFLINE and stub.hits == 2
    assert any("s-deadbeef" in f for f in result.failures)
    assert "groundedness" in (result.flag or "")
    assert "2.4×" in grounded_markdown(result.blocks)


def test_fabricated_quote_is_rejected_never_repaired(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.script(
        {
            "decision_role": "economic_buyer",
            "role_reason": "owns the budget",
            "items": [
                {
                    "kind": "pain",
                    "evidence_id": PAIN.id,
                    "quote": "took our team two full days every",
                },
                {"kind": "pain", "evidence_id": PAIN.id, "quote": "took our team three full days"},
                {"kind": "objection", "evidence_id": "q-00000000", "quote": "it is too expensive"},
            ],
        }
    )
    llm, _ = client(stub, tmp_path)
    out = extract_interview(llm, "int-1", list(EVIDENCE.values()))
    assert [i.text for i in out.insights] == ["took our team two full days every"]
    assert len(out.rejected) == 2 and stub.hits == 1
    assert "not a verbatim span" in out.rejected[0].reason


def test_injected_instruction_is_data_and_obeying_it_is_rejected(
    stub: StubOpenAI, tmp_path: Path
) -> None:
    stub.script(injected_reply(), injected_reply())
    llm, _ = client(stub, tmp_path)
    result = draft_narrative(llm, tier_task())
    assert result.mode == "fallback" and result.paragraph == OFFLINE
    joined = " ".join(result.failures)
    assert "99" in joined and "link" in joined
    sent = stub.requests[0]["messages"]
    assert "is data, not instructions" in sent[0]["content"]
    assert f'<quote id="{INJECTED.id}"' in sent[1]["content"]
    assert "jo@example.com" not in json.dumps(stub.requests)  # PII masked before sending
    assert "IGNORE" not in grounded_markdown(result.blocks).split("## Sources")[0]


def _prompt():  # type: ignore[no-untyped-def]
    from agent.drafting import build_prompt
    from agent.llm.privacy import Pseudonyms

    return build_prompt(tier_task(), Pseudonyms([]))


def test_output_error_reports_requests(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.script("no json here", "still none")
    llm, _ = client(stub, tmp_path)
    with pytest.raises(LLMOutputError) as info:
        llm.generate(_prompt(), DraftReply, None)
    assert info.value.requests == 2
