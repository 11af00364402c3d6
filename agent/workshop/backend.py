"""The workshop's ONE adapter to the rest of the product (pipeline, ingest, tools, store, LLM).

Everything the chat needs from other modules goes through `Backend`, and comes back as plain
workshop values (`Snapshot`, `IngestSummary`, `NoteExtraction`), so a signature change elsewhere
is fixed here and tests drive the chat with a small fake of this class. Build results are read
from the returned LangGraph state when present and otherwise from the run folder's artifacts
(`stats.json`, `evidence.jsonl`, `tiers.json`, `personas.json`, ...), which is the documented
contract between the build and its readers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, cast

import pandas as pd
import yaml

from agent.workshop.session import RuleOverride
from tools.models import ColumnMapping, Evidence, IngestIssue, Insight, Interviewee, Persona, Stat

Progress = Callable[[str, str], None]


@dataclass(frozen=True)
class BuildSpec:
    customers: list[Path]
    interviews: list[Path]
    out: Path
    mapping_file: Path | None = None
    weights: dict[str, float] | None = None
    llm: str = "offline"
    as_of: date | None = None
    company: str = ""


@dataclass
class IngestSummary:
    mappings: list[ColumnMapping]
    issues: list[IngestIssue]
    n_accounts: int
    n_deals: int


@dataclass
class NoteExtraction:
    interview_id: str
    interviewees: list[Interviewee]
    insights: list[Insight]
    evidence: list[Evidence]


@dataclass
class Snapshot:
    """What one build left behind, in the shapes the chat reads."""

    out_dir: Path
    document_path: Path | None
    passed: bool
    seconds: float
    stats: dict[str, Stat]
    evidence: dict[str, Evidence]
    tests: list[Any]  # tools.models.PatternTest
    tiers: list[Any]  # tools.models.Tier
    tier_of_account: dict[str, str]
    accounts: pd.DataFrame
    deals: pd.DataFrame
    personas: list[Persona] = field(default_factory=list)
    interviewees: list[Interviewee] = field(default_factory=list)
    insights: list[Insight] = field(default_factory=list)
    sufficiency: list[str] = field(default_factory=list)
    validation: list[tuple[str, str, list[str]]] = field(
        default_factory=list
    )  # metric, verdict, ids
    rules: Any = None  # tools.fitrules.FitRules
    mappings: list[ColumnMapping] = field(default_factory=list)


def _read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return default


class Backend:
    """The real adapter: calls the pipeline and tools. One instance per session."""

    def __init__(self, llm: str = "offline") -> None:
        self.llm = llm
        self._embed: Any = None

    # ---------------------------------------------------------------- customers
    def inspect(self, paths: list[Path], mapping_file: Path | None) -> IngestSummary:
        from tools.ingest import load_customer_data

        data = load_customer_data(paths, mapping_file=mapping_file)
        rep = data.report
        return IngestSummary(list(rep.mappings), list(rep.issues), rep.n_accounts, rep.n_deals)

    def write_mapping(
        self, path: Path, summary: IngestSummary | None, column: str, field_name: str
    ) -> Path:
        """Add `column -> field` to the project's mapping file (YAML: {column: field})."""
        current = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
        data = current if isinstance(current, dict) else {}
        data[column] = None if field_name == "custom" else field_name
        path.write_text(yaml.safe_dump(data, sort_keys=True, allow_unicode=True), encoding="utf-8")
        return path

    # ---------------------------------------------------------------- build
    def build(self, spec: BuildSpec, progress: Progress | None = None) -> Snapshot:
        from agent.pipeline import BuildOptions, run_build

        opts = BuildOptions.from_cli(
            customers=spec.customers, out=spec.out, interviews=spec.interviews, sidecar=None,
            mapping=spec.mapping_file, sheet=None, churn_definition=None,
            as_of=spec.as_of or date.today(),
            weights=",".join(f"{k}={v:g}" for k, v in (spec.weights or {}).items()) or None,
            settings=None, llm=spec.llm, company=spec.company,
        )  # fmt: skip
        # A fresh thread starts with empty context variables, so the build graph does not
        # inherit the chat graph's checkpointer (LangGraph would treat it as a subgraph).
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="icp-build")
        try:
            result = pool.submit(run_build, opts, progress).result()
        finally:
            pool.shutdown(wait=False)
        return self._snapshot(spec, result)

    def _snapshot(self, spec: BuildSpec, result: Any) -> Snapshot:
        st: dict[str, Any] = dict(result.state or {})
        out = spec.out.resolve()
        data = st.get("data") or self._ingest(spec)
        stats = st.get("stats") or {
            s["id"]: Stat.model_validate(s) for s in _read_json(out / "stats.json", [])
        }
        evidence = (
            {e.id: e for e in st["interviews"].evidence} if st.get("interviews") else _evidence(out)
        )
        tiers_json = _read_json(out / "tiers.json", {})
        icp = st.get("icp")
        patterns = st.get("patterns")
        return Snapshot(
            out_dir=out, document_path=result.document_path, passed=result.passed,
            seconds=result.seconds, stats=dict(stats), evidence=evidence,
            tests=list(patterns.tests) if patterns is not None else _tests(out),
            tiers=list(icp.tiers) if icp is not None else _tiers(tiers_json),
            tier_of_account=dict(icp.tier_of_account if icp is not None
                                 else tiers_json.get("tier_of_account", {})),
            accounts=data.accounts, deals=data.deals,
            **self._people(st, out),
            sufficiency=_sufficiency(patterns),
            validation=_validation(getattr(icp, "validation", None)),
            rules=getattr(icp, "rules", None) or _rules(out / "icp.yaml"),
            mappings=list(data.report.mappings),
        )  # fmt: skip

    def _ingest(self, spec: BuildSpec) -> Any:
        from tools.ingest import load_customer_data

        return load_customer_data(spec.customers, mapping_file=spec.mapping_file)

    def _people(self, st: dict[str, Any], out: Path) -> dict[str, Any]:
        bundle = st.get("personas")
        if bundle is not None:
            return {"personas": list(bundle.personas), "interviewees": list(bundle.interviewees),
                    "insights": list(bundle.insights)}  # fmt: skip
        personas = [
            Persona.model_validate(p) for p in _unwrap(_read_json(out / "personas.json", []))
        ]
        people = [
            Interviewee.model_validate(p)
            for p in _unwrap(_read_json(out / "interviewees.json", []), "interviewees")
        ]
        insights = [i for p in personas for i in p.insights]
        return {"personas": personas, "interviewees": people, "insights": insights}

    # ---------------------------------------------------------------- notes
    def read_note(self, path: Path) -> NoteExtraction:
        from tools.evidence import build_evidence
        from tools.insights import extract_insights
        from tools.transcripts import read_interview

        iv = read_interview(path)
        evidence = build_evidence([iv])
        people, insights = extract_insights([iv], evidence, self.embedder())
        return NoteExtraction(iv.interview_id, people, insights, evidence)

    def interview_files(self, paths: list[Path]) -> tuple[list[Path], list[Path]]:
        """The interview notes the build will read under `paths`, and the sidecars it will use."""
        from tools.transcripts import interview_files

        notes: list[Path] = []
        sidecars: list[Path] = []
        skipped: list[Any] = []  # the build reports these; here only notes are counted
        for p in paths:
            if not p.is_dir():
                notes.append(p)
                continue
            notes += interview_files(p, skipped)
            if (p / "interviews.csv").is_file():
                sidecars.append(p / "interviews.csv")
        return notes, sidecars

    def index_note(self, store_dir: Path, path: Path, note: NoteExtraction) -> int:
        """Add the note's evidence to the project's evidence store; returns items embedded."""
        from agent.retrieval import EvidenceStore
        from tools.transcripts import read_interview

        store = EvidenceStore(store_dir, self.embedder_function())
        stats = store.upsert_interviews([read_interview(path)], note.evidence)
        return int(stats.get("embedded", 0))

    def embedder_function(self) -> Any:
        if self._embed is None:
            from agent.retrieval import MiniLMEmbedding

            self._embed = MiniLMEmbedding()
        return self._embed

    def embedder(self) -> Callable[[list[str]], Any]:
        return self.embedder_function().embed

    # ---------------------------------------------------------------- rules
    def retier(
        self, rules: Any, accounts: pd.DataFrame, overrides: list[RuleOverride]
    ) -> tuple[dict[str, str], Any]:
        """Apply rule overrides to the learned rules and re-tier the accounts."""
        from tools.fitrules import score_frame

        adjusted = apply_overrides(rules, overrides)
        scored = score_frame(adjusted, accounts)
        ids = scored[adjusted.id_column].astype(str)
        return dict(zip(ids, scored["tier"].astype(str), strict=True)), adjusted

    def excluded_accounts(
        self, rules: Any, accounts: pd.DataFrame, override: RuleOverride
    ) -> tuple[int, list[str]]:
        """How many accounts an exclusion would hit, and the attribute's values (for a hint)."""
        from tools.fitrules import match

        crit = apply_overrides(rules, [override]).disqualifiers[-1]
        values = accounts[override.attribute].dropna().astype(str).str.strip()
        values = sorted(set(values[values != ""]))
        return int(match(accounts, crit).sum()), values

    def save_rules(self, rules: Any, path: Path) -> Path:
        from tools.fitrules import save_rules

        return save_rules(rules, path)

    # ---------------------------------------------------------------- llm
    def make_llm(self, run_dir: Path) -> Any:
        from agent.llm.factory import make_llm
        from agent.settings import LLMModeSetting, LLMSettings

        return make_llm(LLMSettings(llm=cast("LLMModeSetting", self.llm)), run_dir)


def apply_overrides(rules: Any, overrides: list[RuleOverride]) -> Any:
    """Exclusions become disqualifiers; a tightened range replaces the bounds of range criteria."""
    from tools.fitrules import RuleCriterion

    criteria = list(rules.criteria)
    disq = list(rules.disqualifiers)
    for o in overrides:
        if o.kind == "exclude":
            kind: Literal["multi", "category"] = "multi" if any(c.attribute == o.attribute and c.kind == "multi"
                                  for c in criteria) else "category"  # fmt: skip
            disq.append(RuleCriterion(id=f"workshop-exclude-{o.attribute}-{o.value}",
                                      attribute=o.attribute, kind=kind, signal=f"excluded {o.value}",
                                      values=[o.value]))  # fmt: skip
        else:
            criteria = [c.model_copy(update={"low": o.low, "high": o.high})
                        if c.attribute == o.attribute and c.kind == "range" else c
                        for c in criteria]  # fmt: skip
    return rules.model_copy(update={"criteria": criteria, "disqualifiers": disq})


def _unwrap(data: Any, key: str = "personas") -> list[Any]:
    return data.get(key, []) if isinstance(data, dict) else list(data or [])


def _evidence(out: Path) -> dict[str, Evidence]:
    path = out / "evidence.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return {e.id: e for e in (Evidence.model_validate_json(x) for x in lines if x.strip())}


def _tests(out: Path) -> list[Any]:
    from tools.models import PatternTest

    return [
        PatternTest.model_validate(t)
        for t in _unwrap(_read_json(out / "patterns.json", {}), "tests")
    ]


def _tiers(data: dict[str, Any]) -> list[Any]:
    from tools.models import Tier

    return [Tier.model_validate(t) for t in data.get("tiers", [])]


def _rules(path: Path) -> Any:
    from tools.fitrules import load_rules

    return load_rules(path) if path.is_file() else None


def _sufficiency(patterns: Any) -> list[str]:
    suf = getattr(patterns, "sufficiency", None)
    if suf is None:
        return []
    head = (f"Data sufficiency: {suf.level} ({suf.n_accounts} accounts, {suf.n_won} won, "
            f"{suf.n_lost} lost, {suf.n_open} open deals)")  # fmt: skip
    return [head, *suf.reasons]


def _validation(report: Any) -> list[tuple[str, str, list[str]]]:
    if report is None:
        return []
    rows = [(m.metric, m.verdict, list(m.stat_ids)) for m in report.metrics]
    if report.pipeline is not None:
        rows.append(
            ("open pipeline in Tier 1", report.pipeline.verdict, list(report.pipeline.stat_ids))
        )
    return rows
