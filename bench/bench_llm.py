"""Benchmark of the LLM boundary against the local stub with simulated per-call latency.

`start_stub(latency_s)` starts the stub (grounded replies to every prompt) and returns it: the
lead points a whole build at `stub.url` (OPENAI_BASE_URL) and reads `stub.hits`. `run()` drafts
`n_tasks` sections through `make_llm` at the given concurrency, then reruns with the warm cache,
and returns calls, tokens, wall time and the sum of latencies vs the critical path.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
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


def start_stub(latency_s: float = 1.0) -> StubOpenAI:
    """A running stub answering every prompt with a grounded reply after `latency_s`."""
    return StubOpenAI(latency_s=latency_s, responder=grounded_responder).start()


def _draft_all(settings: LLMSettings, run_dir: Path, n_tasks: int) -> tuple[float, list[Any]]:
    llm = make_llm(settings, run_dir)
    tasks = [tier_task(section_id=f"tier-{i}", subject=f"Tier {i}") for i in range(1, n_tasks + 1)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
        results = list(pool.map(lambda t: draft_narrative(llm, t), tasks))
    return time.perf_counter() - started, results


def run(latency_s: float = 1.0, n_tasks: int = 8, concurrency: int = 4) -> dict[str, Any]:
    """Cold run then warm rerun; figures as a dict (also printed by `__main__`)."""
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


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
