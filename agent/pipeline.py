"""One entry point for a build, shared by `icp build` and the workshop.

Turns user options into a `BuildRequest` and a `RunContext`, invokes the graph, and returns
where the outputs are and whether the groundedness checks passed.
"""

from __future__ import annotations

import importlib.metadata as md
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

import yaml

from agent.artifacts import RunFolder
from agent.context import RunContext
from agent.state import BuildRequest
from tools.errors import InputError
from tools.schema import DEFAULT_WEIGHTS

SETTINGS_KEYS = {"weights", "top", "bottom", "fdr", "min_support"}


def parse_weights(text: str | None) -> dict[str, float]:
    """'revenue=30,retention=20' -> {'revenue': 30.0, 'retention': 20.0}; unknown names rejected."""
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in DEFAULT_WEIGHTS:
            raise ValueError(
                f"unknown health component '{name}' in --weights; use one of "
                f"{', '.join(DEFAULT_WEIGHTS)}"
            )
        try:
            out[name] = float(value)
        except ValueError as exc:
            raise ValueError(f"--weights: '{part}' needs a number, e.g. {name}=25") from exc
        if out[name] < 0:
            raise ValueError(f"--weights: {name} must not be negative")
    return out


def load_settings(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ValueError(f"cannot read settings file {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ValueError(
            f"settings file {path} is not valid YAML{where}; write one 'key: value' per line, "
            f"e.g. 'fdr: 0.1' (allowed keys: {', '.join(sorted(SETTINGS_KEYS))})"
        ) from exc
    if not isinstance(data, dict) or set(data) - SETTINGS_KEYS:
        raise ValueError(
            f"settings file {path}: allowed keys are {', '.join(sorted(SETTINGS_KEYS))}"
        )
    checks = {
        "fdr": lambda v: 0 < float(v) < 1,
        "top": lambda v: 0 < float(v) < 1,
        "bottom": lambda v: 0 < float(v) < 1,
        "min_support": lambda v: int(v) >= 1,
    }
    for key, ok in checks.items():
        if key in data:
            try:
                good = ok(data[key])
            except (TypeError, ValueError):
                good = False
            if not good:
                raise ValueError(
                    f"settings file {path}: '{key}: {data[key]}' is out of range "
                    "(fdr, top and bottom are fractions between 0 and 1; min_support is a "
                    "whole number of at least 1)"
                )
    if "weights" in data:
        if not isinstance(data["weights"], dict):
            raise ValueError(f"settings file {path}: 'weights' must map components to numbers")
        try:
            parse_weights(",".join(f"{k}={v}" for k, v in data["weights"].items()))
        except ValueError as exc:
            raise ValueError(
                f"settings file {path}: {exc}".replace("--weights", "weights")
            ) from exc
    return data


@dataclass(frozen=True)
class BuildOptions:
    request: BuildRequest
    out: Path
    llm: str

    @classmethod
    def from_cli(
        cls,
        *,
        customers: list[Path],
        out: Path,
        interviews: list[Path],
        sidecar: Path | None,
        mapping: Path | None,
        sheet: str | None,
        churn_definition: str | None,
        as_of: date,
        weights: str | None,
        settings: Path | None,
        llm: str,
        company: str,
        tam: Path | None = None,
        revenue_target: float | None = None,
    ) -> BuildOptions:
        if (tam is None) != (revenue_target is None):
            raise ValueError("--tam and --revenue-target go together: give both or neither")
        for p in [*customers, *interviews, *(x for x in (sidecar, mapping, settings, tam) if x)]:
            if not p.exists():
                raise ValueError(f"{p} does not exist; check the path")
        if llm not in {"auto", "offline", "openai"}:
            raise ValueError("--llm must be auto, offline or openai")
        conf = load_settings(settings)
        w = {**(conf.get("weights") or {}), **parse_weights(weights)}
        if w:
            parse_weights(",".join(f"{k}={v}" for k, v in w.items()))
        req = BuildRequest(
            customers=[p.resolve() for p in customers],
            interviews=[p.resolve() for p in interviews],
            interviews_sidecar=sidecar.resolve() if sidecar else None,
            mapping_file=mapping.resolve() if mapping else None,
            sheet=sheet,
            churn_definition=churn_definition,
            as_of=as_of,
            weights={**DEFAULT_WEIGHTS, **w} if w else None,
            top=float(conf.get("top", 0.2)),
            bottom=float(conf.get("bottom", 0.2)),
            fdr=float(conf.get("fdr", 0.10)),
            min_support=int(conf.get("min_support", 5)),
            company=company,
            tam=tam.resolve() if tam else None,
            revenue_target=revenue_target,
        )
        return cls(request=req, out=out, llm=llm)


@dataclass(frozen=True)
class BuildResult:
    document_path: Path
    eval_report: Path
    passed: bool
    seconds: float
    state: dict[str, Any]


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("icp-workshop", "langgraph", "pandas", "scipy", "chromadb", "openai", "pydantic"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def make_context(opts: BuildOptions, progress: Callable[[str, str], None] | None) -> RunContext:
    from agent.llm.factory import LLMSettings, make_llm
    from agent.retrieval import MiniLMEmbedding
    from agent.settings import LLMModeSetting

    run = RunFolder(opts.out.resolve())
    run.prepare()
    settings = LLMSettings(llm=cast("LLMModeSetting", opts.llm))  # checked in BuildOptions
    if settings.resolved_mode() == "openai" and not (
        settings.openai_base_url or settings.openai_api_key
    ):
        raise InputError(
            "--llm openai needs an endpoint",
            hint="set OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (a local server such as "
            "http://localhost:11434/v1), or use --llm offline",
        )
    llm = make_llm(settings, run.root)
    embed = MiniLMEmbedding()
    kwargs: dict[str, Any] = {"progress": progress} if progress else {}
    return RunContext(
        run=run, llm=llm, llm_mode=llm.describe(), embed=embed, versions=versions(), **kwargs
    )


def run_build(
    opts: BuildOptions,
    progress: Callable[[str, str], None] | None = None,
    context: RunContext | None = None,
) -> BuildResult:
    from agent.graph import build_graph

    t0 = time.perf_counter()
    ctx = context or make_context(opts, progress)
    graph = build_graph()
    state = graph.invoke({"request": opts.request}, context=ctx, config={"max_concurrency": 4})
    if "document_path" not in state:
        raise InputError("the build stopped before writing the document", hint="see messages above")
    summary = state.get("eval_summary", {})
    return BuildResult(
        document_path=Path(state["document_path"]),
        eval_report=ctx.run.path("eval-report.md"),
        passed=bool(summary.get("passed", False)),
        seconds=time.perf_counter() - t0,
        state=state,
    )
