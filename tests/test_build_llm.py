"""The full example build through a local OpenAI-compatible stub: drafted, verified, cached."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.stub_openai import StubOpenAI, grounded_responder

REPO = Path(__file__).resolve().parents[1]
ACME = REPO / "examples" / "acme"


def _build(out: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    cmd = [
        sys.executable, "-m", "agent.cli.app", "build",
        "--customers", str(ACME / "accounts.csv"), "--customers", str(ACME / "deals.csv"),
        "--interviews", str(ACME / "interviews"), "--out", str(out), "--as-of", "2026-06-30",
        "--quiet",
    ]  # fmt: skip
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


def _calls(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "llm_calls.jsonl").read_text().splitlines()]


@pytest.fixture
def stub():
    with StubOpenAI(responder=grounded_responder) as s:
        yield s


def test_example_build_through_stub_then_rerun_makes_zero_calls(
    stub: StubOpenAI, tmp_path: Path
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ICP_"))},
        "OPENAI_BASE_URL": stub.url,
        "OPENAI_API_KEY": "test-key-not-secret",
        "ICP_MODEL": "stub-model",
        "ICP_CACHE_DIR": str(tmp_path / "cache"),
    }
    first = _build(tmp_path / "one", env)
    assert first.returncode == 0, first.stderr[-3000:]
    doc = (tmp_path / "one" / "ICP.md").read_text()
    assert "stub-model" in doc  # the header says which model drafted it
    assert "This group stands out at" in doc  # an LLM sentence, with a number filled by code
    calls = _calls(tmp_path / "one")
    prompts = {c["prompt_id"] for c in calls}
    assert {"draft.tier_rationale", "draft.negative_icp", "extract.persona_insights"} <= prompts
    assert stub.hits >= len(calls) > 0
    assert json.loads((tmp_path / "one" / "eval-report.json").read_text())["passed"] is True
    manifest = (tmp_path / "one" / "manifest.json").read_text()
    assert "test-key-not-secret" not in manifest
    assert "test-key-not-secret" not in (tmp_path / "one" / "llm_calls.jsonl").read_text()

    hits = stub.hits
    second = _build(tmp_path / "two", env)
    assert second.returncode == 0, second.stderr[-3000:]
    assert stub.hits == hits  # no request reached the endpoint
    assert all(c["cache_hit"] for c in _calls(tmp_path / "two"))
    assert (tmp_path / "two" / "ICP.md").read_bytes() == (tmp_path / "one" / "ICP.md").read_bytes()


def test_openai_mode_without_endpoint_is_a_usage_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ICP_"))}
    cmd = [
        sys.executable, "-m", "agent.cli.app", "build", "--customers", str(ACME / "accounts.csv"),
        "--out", str(tmp_path / "o"), "--llm", "openai", "--quiet",
    ]  # fmt: skip
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert "OPENAI_API_KEY" in proc.stderr and "Traceback" not in proc.stderr
