"""Benchmark of the LLM boundary against the local stub with simulated per-call latency.

`start_stub(latency_s)` starts the stub (grounded replies to every prompt) and returns it.
`run_drafting()` drafts `n_tasks` sections through `make_llm` at the given concurrency, then
reruns with the warm cache. `run_build()` builds examples/acme for real (the LangGraph pipeline,
`--llm openai` against the stub), reads `<out>/llm_calls.jsonl` and compares the wall time with
the graph's critical path: the offline build time (measured separately) plus
ceil(extraction branches / c) + ceil(drafting branches / c) call latencies, since extraction fans
out one branch per interview and drafting one per narrative; then a warm rerun (0 requests).
`run()` returns both sets of figures (`draft.*`, `build.*`).
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from agent.drafting import draft_narrative  # noqa: E402
from agent.llm.factory import CALL_LOG, make_llm  # noqa: E402
from agent.llm.logging_llm import read_call_log  # noqa: E402
from agent.settings import LLMSettings  # noqa: E402
from tests.llm_samples import tier_task  # noqa: E402
from tests.stub_openai import StubOpenAI, grounded_responder  # noqa: E402


def start_stub(
    latency_s: float = 1.0, arrivals: list[tuple[str, float]] | None = None
) -> StubOpenAI:
    """A running stub answering every prompt with a grounded reply after `latency_s`.

    When `arrivals` is given, each request appends (kind, perf_counter time) to it, kind being
    "extract" for interview extraction prompts and "draft" otherwise.
    """

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        if arrivals is not None:
            kind = "extract" if "<interview>" in body["messages"][1]["content"] else "draft"
            arrivals.append((kind, time.perf_counter()))
        return grounded_responder(body)

    return StubOpenAI(latency_s=latency_s, responder=respond).start()


def _draft_all(settings: LLMSettings, run_dir: Path, n_tasks: int) -> tuple[float, list[Any]]:
    llm = make_llm(settings, run_dir)
    tasks = [tier_task(section_id=f"tier-{i}", subject=f"Tier {i}") for i in range(1, n_tasks + 1)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
        results = list(pool.map(lambda t: draft_narrative(llm, t), tasks))
    return time.perf_counter() - started, results


def run_drafting(latency_s: float = 1.0, n_tasks: int = 8, concurrency: int = 4) -> dict[str, Any]:
    """Drafting only: cold run then warm rerun; figures as a dict."""
    stub = start_stub(latency_s)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = LLMSettings(
                openai_base_url=stub.url,
                openai_api_key="bench",
                model="bench-model",
                cache_dir=Path(tmp) / "cache",
                concurrency=concurrency,
            )
            cold_wall, results = _draft_all(settings, Path(tmp) / "cold", n_tasks)
            cold_log = read_call_log(Path(tmp) / "cold" / CALL_LOG)
            hits_after_cold = stub.hits
            warm_wall, _ = _draft_all(settings, Path(tmp) / "warm", n_tasks)
            warm_log = read_call_log(Path(tmp) / "warm" / CALL_LOG)
    finally:
        stub.stop()
    calls = sum(x["calls"] for x in cold_log)
    critical = math.ceil(n_tasks / concurrency) * latency_s
    return {
        "url": stub.url,
        "latency_s": latency_s,
        "tasks": n_tasks,
        "concurrency": concurrency,
        "http_requests": hits_after_cold,
        "calls": calls,
        "tokens": sum(x.get("prompt_tokens", 0) + x.get("completion_tokens", 0) for x in cold_log),
        "modes": sorted({r.mode for r in results}),
        "wall_s": round(cold_wall, 3),
        "sum_latency_s": round(calls * latency_s, 3),
        "critical_path_s": critical,
        "wall_over_critical": round(cold_wall / critical, 3),
        "rerun_calls": sum(x["calls"] for x in warm_log),
        "rerun_http_requests": stub.hits - hits_after_cold,
        "rerun_wall_s": round(warm_wall, 3),
    }


ACME = ROOT / "examples" / "acme"
LLM_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ICP_LLM", "ICP_MODEL", "ICP_CACHE_DIR",
           "ICP_CONCURRENCY")  # fmt: skip


@contextmanager
def _llm_env(values: dict[str, str]) -> Iterator[None]:
    """Point `LLMSettings` (read from the environment at build time) at the stub, then restore."""
    saved = {k: os.environ.get(k) for k in LLM_ENV}
    for k in LLM_ENV:
        os.environ.pop(k, None)
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None)
            if v is not None:
                os.environ[k] = v


def _build(out: Path, llm: str) -> float:
    """One real build of examples/acme; returns its wall time (imports excluded)."""
    from agent.pipeline import BuildOptions, run_build

    opts = BuildOptions.from_cli(
        customers=[ACME / "accounts.csv", ACME / "deals.csv"], out=out,
        interviews=[ACME / "interviews"], sidecar=None, mapping=None, sheet=None,
        churn_definition=None, as_of=date(2026, 6, 30), weights=None, settings=None, llm=llm,
        company="",
    )  # fmt: skip
    started = time.perf_counter()
    result = run_build(opts)
    wall = time.perf_counter() - started
    if not result.passed:
        raise RuntimeError(f"the {llm} build failed its groundedness checks: {result.eval_report}")
    return wall


def _tally(log: list[dict[str, Any]]) -> dict[str, Any]:
    live = [x for x in log if not x.get("cache_hit")]
    by_prompt: dict[str, int] = {}
    for x in live:
        by_prompt[x["prompt_id"]] = by_prompt.get(x["prompt_id"], 0) + x.get("calls", 0)
    return {
        "calls": sum(x.get("calls", 0) for x in live),
        "extract_branches": sum(1 for x in log if x["prompt_id"].startswith("extract.")),
        "draft_branches": sum(1 for x in log if x["prompt_id"].startswith("draft.")),
        "by_prompt": dict(sorted(by_prompt.items())),
        "prompt_tokens": sum(x.get("prompt_tokens", 0) for x in live),
        "completion_tokens": sum(x.get("completion_tokens", 0) for x in live),
        "sum_latency_s": round(sum(x.get("latency_s", 0.0) for x in live), 3),
        "errors": sum(1 for x in log if x.get("outcome") != "ok"),
    }


def _overlap(arrivals: list[tuple[str, float]], latency_s: float) -> dict[str, Any]:
    """How requests overlapped: most in flight at once, and each fan-out's span (first request
    sent to last reply), to compare with ceil(branches / concurrency) x latency."""
    out: dict[str, Any] = {}
    times = sorted(t for _, t in arrivals)
    out["max_in_flight"] = max((sum(1 for u in times if t - latency_s < u <= t) for t in times),
                               default=0)  # fmt: skip
    for kind in ("extract", "draft"):
        mine = sorted(t for k, t in arrivals if k == kind)
        out[f"{kind}_span_s"] = round(mine[-1] + latency_s - mine[0], 3) if mine else 0.0
    return out


def run_build(latency_s: float = 1.0, concurrency: int = 4) -> dict[str, Any]:
    """The example build offline (compute time, best of two), cold against the stub, then warm."""
    arrivals: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with _llm_env({"ICP_LLM": "offline"}):
            _build(root / "warmup", "offline")  # imports, model load, first-touch caches
            offline_s = min(_build(root / f"offline{i}", "offline") for i in (1, 2))
        stub = start_stub(latency_s, arrivals)
        try:
            env = {"OPENAI_BASE_URL": stub.url, "OPENAI_API_KEY": "bench", "ICP_MODEL": "stub-model",
                   "ICP_CACHE_DIR": str(root / "cache"), "ICP_CONCURRENCY": str(concurrency)}  # fmt: skip
            with _llm_env(env):
                cold_s = _build(root / "cold", "openai")
                cold_requests = stub.hits
                overlap = _overlap(arrivals, latency_s)
                prompt_chars = sum(
                    len(m.get("content") or "") for r in stub.requests for m in r["messages"]
                )
                warm_s = _build(root / "warm", "openai")
            warm_requests = stub.hits - cold_requests
        finally:
            stub.stop()
        cold = _tally(read_call_log(root / "cold" / CALL_LOG))
        warm_log = read_call_log(root / "warm" / CALL_LOG)
    waves = math.ceil(cold["extract_branches"] / concurrency) + math.ceil(
        cold["draft_branches"] / concurrency
    )
    critical = offline_s + waves * latency_s
    return {
        "latency_s": latency_s,
        "concurrency": concurrency,
        "http_requests": cold_requests,
        **cold,
        "est_prompt_tokens_sent": prompt_chars // 4,  # the stub reports fixed usage; ~4 chars/token
        "offline_build_s": round(offline_s, 3),
        "wall_s": round(cold_s, 3),
        "critical_path_s": round(critical, 3),
        "critical_path_waves": waves,
        **overlap,
        "wall_over_critical": round(cold_s / critical, 3),
        "wall_over_sum_latency": round(cold_s / max(cold["sum_latency_s"], 1e-9), 3),
        "rerun_calls": sum(x.get("calls", 0) for x in warm_log),
        "rerun_http_requests": warm_requests,
        "rerun_cache_hits": sum(1 for x in warm_log if x.get("cache_hit")),
        "rerun_wall_s": round(warm_s, 3),
    }


def run(latency_s: float = 1.0, concurrency: int = 4) -> dict[str, Any]:
    """Both benchmarks, flattened for `bench/run.py` (keys `draft.*` and `build.*`)."""
    figures = {f"draft.{k}": v for k, v in run_drafting(latency_s, 8, concurrency).items()}
    figures.update({f"build.{k}": v for k, v in run_build(latency_s, concurrency).items()})
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
