"""Typed state of the build workflow.

Keys hold frozen pydantic models (tables ride in `Tables` boxes). Keys written by parallel
branches have idempotent merge-by-id reducers, so a re-delivered branch result changes nothing.
"""

from __future__ import annotations

import operator
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from tools.models import (
    AttributeSpec,
    Evidence,
    IngestIssue,
    IngestReport,
    Insight,
    Interviewee,
    Persona,
    Stat,
)


class Box(BaseModel):
    """A frozen holder for results that include DataFrames."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)


class BuildRequest(Box):
    customers: list[Path]
    interviews: list[Path] = Field(default_factory=list)
    interviews_sidecar: Path | None = None
    mapping_file: Path | None = None
    sheet: str | None = None
    churn_definition: str | None = None
    as_of: date
    weights: dict[str, float] | None = None
    top: float = 0.2
    bottom: float = 0.2
    fdr: float = 0.10
    min_support: int = 5
    company: str = ""
    tam: Path | None = None  # a market list to size Tier 1 against the revenue target
    revenue_target: float | None = None


class CustomerTables(Box):
    accounts: pd.DataFrame
    deals: pd.DataFrame
    attributes: list[AttributeSpec]
    report: IngestReport


class ScoringBox(Box):
    matrix: pd.DataFrame
    effective_weights: dict[str, float]
    missing_components: list[str]
    notes: list[str]


class InterviewBundle(Box):
    interviews: list[Any]  # tools.transcripts.ParsedInterview
    evidence: list[Evidence]
    issues: list[IngestIssue]


class PersonaBundle(Box):
    interviewees: list[Interviewee]
    insights: list[Insight]
    personas: list[Persona]
    links: dict[str, str | None]


def merge_by_key(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    """Idempotent merge: later branches add keys; the same key re-delivered is the same value."""
    out = dict(left or {})
    out.update(right or {})
    return out


def add_timings(left: dict[str, float] | None, right: dict[str, float] | None) -> dict[str, float]:
    """Fan-out branches of one node (one per interview or narrative) add up their wall time."""
    out = dict(left or {})
    for k, v in (right or {}).items():
        out[k] = round(out.get(k, 0.0) + v, 4)
    return out


class BuildState(TypedDict, total=False):
    request: BuildRequest
    data: CustomerTables
    scoring: ScoringBox
    patterns: Any  # tools.patterns.PatternReport
    icp: Any  # tools.tiers.IcpModel
    validation: list[Any]  # tools.validation.ValidationReport: in-sample, held-out
    interviews: InterviewBundle
    insights: Annotated[dict[str, list[Insight]], merge_by_key]
    interviewees: Annotated[dict[str, Interviewee], merge_by_key]
    personas: PersonaBundle
    plan: Any  # agent.nodes.document.DocumentPlan
    stats: Annotated[dict[str, Stat], merge_by_key]
    narratives: Annotated[dict[str, Any], merge_by_key]  # section id -> NarrativeResult
    document_path: str
    eval_summary: dict[str, Any]
    timings: Annotated[dict[str, float], add_timings]
    notices: Annotated[list[str], operator.add]


class BuildInput(TypedDict):
    request: BuildRequest


class BuildOutput(TypedDict, total=False):
    document_path: str
    eval_summary: dict[str, Any]
    timings: dict[str, float]
    notices: list[str]
