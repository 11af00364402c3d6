"""The composed run LLM: cache replay (zero HTTP calls on rerun), call log, budget, `icp cache`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from agent.cli.cache_cmd import register
from agent.drafting import draft_narrative
from agent.llm.cache import cache_stats
from agent.llm.factory import CALL_LOG, make_llm
from agent.llm.logging_llm import read_call_log
from agent.llm.openai_compat import forget_capabilities
from agent.settings import LLMSettings
from tests.llm_samples import good_reply, tier_task
from tests.stub_openai import StubOpenAI, only_localhost  # noqa: F401

pytestmark = pytest.mark.usefixtures("only_localhost")


@pytest.fixture
def stub() -> Iterator[StubOpenAI]:
    with StubOpenAI() as server:
        yield server


@pytest.fixture(autouse=True)
def _fresh_memo() -> None:
    forget_capabilities()


def settings(stub: StubOpenAI, cache: Path, **kw: object) -> LLMSettings:
    return LLMSettings(
        openai_base_url=stub.url,
        openai_api_key="sk-secret-123",
        cache_dir=cache,
        model="test-model",
        **kw,
    )  # type: ignore[arg-type]


def build(llm, n: int = 3) -> list:  # type: ignore[no-untyped-def]
    return [
        draft_narrative(llm, tier_task(section_id=f"tier-{i}", subject=f"Tier {i}"))
        for i in range(1, n + 1)
    ]


def test_rerun_with_warm_cache_makes_zero_http_calls(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.responder = lambda body: good_reply()
    cfg = settings(stub, tmp_path / "cache")
    first = build(make_llm(cfg, tmp_path / "run1"))
    assert stub.hits == 3 and all(r.mode == "llm" for r in first)
    second = build(make_llm(cfg, tmp_path / "run2"))
    assert stub.hits == 3, "a rerun with unchanged inputs must not call the endpoint"
    assert [r.paragraph for r in second] == [r.paragraph for r in first]
    log = read_call_log(tmp_path / "run2" / CALL_LOG)
    assert len(log) == 3 and all(line["cache_hit"] and line["calls"] == 0 for line in log)
    assert sum(line["calls"] for line in read_call_log(tmp_path / "run1" / CALL_LOG)) == 3


def test_changed_input_misses_the_cache(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.responder = lambda body: good_reply()
    cfg = settings(stub, tmp_path / "cache")
    build(make_llm(cfg, tmp_path / "run1"), n=1)
    draft_narrative(make_llm(cfg, tmp_path / "run2"), tier_task(subject="Tier 9"))
    assert stub.hits == 2


def test_call_log_has_accounting_and_no_secrets_or_bodies(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.responder = lambda body: good_reply()
    build(make_llm(settings(stub, tmp_path / "cache"), tmp_path / "run"), n=1)
    raw = (tmp_path / "run" / CALL_LOG).read_text()
    line = json.loads(raw)
    assert line["prompt_id"] == "draft.tier_rationale" and line["prompt_version"] == 1
    assert line["model"] == "test-model" and line["prompt_tokens"] == 50
    assert line["outcome"] == "ok" and line["structured_mode"] == "json_schema"
    assert "sk-secret-123" not in raw and "Reconciling invoices" not in raw


def test_budget_exhausted_mid_run_falls_back_cleanly(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.responder = lambda body: good_reply()
    results = build(make_llm(settings(stub, tmp_path / "cache", max_calls=2), tmp_path / "run"))
    assert [r.mode for r in results] == ["llm", "llm", "fallback"]
    assert "budget of 2 calls" in (results[2].flag or "")
    assert stub.hits == 2


def test_offline_mode_says_so_and_makes_no_calls(tmp_path: Path) -> None:
    llm = make_llm(LLMSettings(), tmp_path / "run")
    assert llm.mode == "offline" and "offline" in llm.describe()
    result = draft_narrative(llm, tier_task())
    assert result.mode == "offline" and result.paragraph == tier_task().offline
    assert read_call_log(tmp_path / "run" / CALL_LOG)[0]["mode"] == "offline"


def test_auto_mode_and_manifest_dump_without_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    monkeypatch.setenv("ICP_MODEL_DRAFT", "big-model")
    cfg = LLMSettings()
    assert cfg.resolved_mode() == "openai" and cfg.role_models() == {"draft": "big-model"}
    dumped = json.dumps(cfg.manifest_dump())
    assert "sk-from-env" not in dumped and '"openai_api_key_set": true' in dumped
    assert LLMSettings(llm="offline").resolved_mode() == "offline"


def test_cache_cli_stats_and_clear(stub: StubOpenAI, tmp_path: Path) -> None:
    stub.responder = lambda body: good_reply()
    cache = tmp_path / "cache"
    build(make_llm(settings(stub, cache), tmp_path / "run"), n=2)
    (cache / "keep-me.txt").write_text("not ours")
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)  # a second command keeps `cache` a sub-group
    runner = CliRunner()
    out = runner.invoke(app, ["cache", "stats", "--dir", str(cache)])
    assert out.exit_code == 0 and "draft.tier_rationale" in out.output and "2 entries" in out.output
    out = runner.invoke(app, ["cache", "clear", "--dir", str(cache), "--yes"])
    assert out.exit_code == 0 and "Removed 2" in out.output
    assert cache_stats(cache)["entries"] == 0 and (cache / "keep-me.txt").exists()


def test_grounded_responder_serves_a_whole_build(tmp_path: Path) -> None:
    from agent.llm_extraction import extract_interview
    from tests.llm_samples import EVIDENCE, PAIN
    from tests.stub_openai import grounded_responder

    with StubOpenAI(responder=grounded_responder) as server:
        llm = make_llm(settings(server, tmp_path / "cache"), tmp_path / "run")
        assert draft_narrative(llm, tier_task()).mode == "llm"
        out = extract_interview(llm, "int-1", list(EVIDENCE.values()))
    assert out.mode == "llm" and out.insights[0].evidence_id == PAIN.id


def test_network_other_than_loopback_is_blocked() -> None:
    import socket

    with pytest.raises(ConnectionRefusedError, match="network blocked"):
        socket.create_connection(("93.184.216.34", 80), timeout=1)
