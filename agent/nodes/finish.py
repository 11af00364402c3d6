"""Nodes: run the groundedness gates on the rendered run, then write the manifest."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.artifacts import sha256_file
from agent.context import RunContext
from agent.nodes.timing import timed
from agent.state import BuildState


@timed("check_groundedness")
def check_groundedness(state: BuildState, runtime: Runtime[RunContext]) -> dict:
    from evals.runner import run_gates, write_reports

    ctx = runtime.context
    ctx.progress("checks", "checking every quote, citation and number")
    report = run_gates(ctx.run.root)
    write_reports(report, ctx.run.root)
    summary = {
        "passed": report.passed,
        "gates": {g.name: {"passed": g.passed, "score": g.score, "n": g.n} for g in report.gates},
    }
    return {"eval_summary": summary}


def _inputs(paths: list) -> list[dict]:
    files = []
    for p in paths:
        items = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p]
        files += [
            {"path": str(x), "sha256": sha256_file(x), "bytes": x.stat().st_size} for x in items
        ]
    return files


@timed("write_manifest")
def write_manifest(state: BuildState, runtime: Runtime[RunContext]) -> dict:
    ctx, req = runtime.context, state["request"]
    settings = req.model_dump(mode="json")
    manifest = {
        "inputs": {
            "customers": _inputs(list(req.customers)),
            "interviews": _inputs(list(req.interviews)),
        },
        "settings": settings,
        "llm_mode": ctx.llm_mode,
        "llm_settings": ctx.llm_settings,
        "versions": ctx.versions,
        "timings_s": dict(sorted(state.get("timings", {}).items())),
        "counts": {
            "accounts": len(state["data"].accounts),
            "deals": len(state["data"].deals),
            "interviews": len(state["interviews"].interviews),
            "evidence_items": len(state["interviews"].evidence),
            "statistics": len(state.get("stats", {})),
            "personas": len(state["personas"].personas),
            "ingest_issues": len(state["data"].report.issues),
        },
        "groundedness": state.get("eval_summary", {}),
    }
    ctx.run.write_json("manifest.json", manifest)
    return {}
