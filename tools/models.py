"""Plain data models shared by every stage: statistics, evidence, patterns, tiers, personas.

These are the contracts between `tools/` (which computes them), `agent/` (which moves them
through the LangGraph workflow) and `evals/` (which checks the rendered document against them).
They hold no behaviour beyond validation. Ids are content-derived (see `tools.ids`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Unit = Literal["pct", "ratio", "count", "money", "days", "score", "number", "pvalue", "years"]
Segment = Literal["ideal", "acceptable", "bad_fit"]
DecisionRole = Literal["champion", "economic_buyer", "technical_buyer", "end_user", "blocker"]
AttributeKind = Literal["categorical", "multi", "numeric", "boolean"]
AttributeGroup = Literal["firmographic", "technographic", "behavioural", "custom"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Stat(Frozen):
    """One computed statistic the document may cite.

    `id` is derived from `key` (what is measured), never from the value, so a rerun on the
    same data yields the same id. `value` is in the natural unit: pct as a fraction (0.34),
    ratio as a multiple (2.1), money in currency units, days as days.
    """

    id: str
    key: str
    definition: str
    value: float | None
    n: int
    unit: Unit
    ci_low: float | None = None
    ci_high: float | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


class Evidence(Frozen):
    """A verbatim span of an interview source: `text == source_text[start:end]`."""

    id: str
    interview_id: str
    source: str  # absolute path of the source file as read
    start: int
    end: int
    speaker: str
    speaker_role: Literal["interviewee", "interviewer", "narration", "unknown"]
    text: str
    title: str | None = None
    company: str | None = None
    account_id: str | None = None
    title_inferred: bool = False


class AttributeSpec(Frozen):
    name: str
    kind: AttributeKind
    group: AttributeGroup
    label: str  # words for a marketer, e.g. "Industry"


class IngestIssue(Frozen):
    """A problem found while reading input. Never silently dropped."""

    severity: Literal["error", "warning", "info"]
    file: str
    row: int | None = None  # 1-based data row in the file, header excluded
    column: str | None = None
    message: str
    hint: str = ""


class CleaningCount(Frozen):
    column: str
    value_class: str  # e.g. "money with suffix", "placeholder as missing"
    count: int
    example: str = ""


class ColumnMapping(Frozen):
    file: str
    column: str
    field: str | None  # canonical field name, or None = kept as custom attribute
    confidence: float
    reason: str


class IngestReport(Frozen):
    files: list[dict[str, Any]] = Field(default_factory=list)  # path, sha256, rows, role
    mappings: list[ColumnMapping] = Field(default_factory=list)
    issues: list[IngestIssue] = Field(default_factory=list)
    cleaning: list[CleaningCount] = Field(default_factory=list)
    decisions: list[str] = Field(default_factory=list)  # e.g. outcome definition chosen
    n_accounts: int = 0
    n_deals: int = 0


class PatternTest(Frozen):
    """One trait tested for over-representation among ideal vs bad-fit customers."""

    id: str
    attribute: str
    label: str  # "Industry = FinTech", "Employees 50–200"
    kind: Literal["value", "range", "combo", "missing"]
    value: str | None = None
    low: float | None = None
    high: float | None = None
    n_all: int
    n_trait: int
    n_top: int
    n_top_trait: int
    n_bottom: int
    n_bottom_trait: int
    share_top: float | None
    share_bottom: float | None
    share_all: float | None
    lift: float | None  # share_top / share_all
    odds_ratio: float | None  # top vs bottom
    ci_low: float | None  # Wilson interval of share_top
    ci_high: float | None
    p_value: float | None
    q_value: float | None
    direction: Literal["ideal", "bad_fit", "none"]
    status: Literal["significant", "not_significant", "insufficient_evidence"]
    reason: str = ""
    stat_ids: list[str] = Field(default_factory=list)


class Criterion(Frozen):
    """A company-level rule: attribute matches a value set or falls in a numeric range."""

    attribute: str
    label: str
    values: list[str] = Field(default_factory=list)
    low: float | None = None
    high: float | None = None
    points: int = 0
    stat_ids: list[str] = Field(default_factory=list)
    pattern_id: str | None = None


class Tier(Frozen):
    name: str  # "Tier 1"
    summary: str
    criteria: list[Criterion]
    n_match: int
    stat_ids: list[str] = Field(default_factory=list)
    differs_from_above: str = ""


class NegativeSignal(Frozen):
    criterion: Criterion
    why: str
    n: int
    example_accounts: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)  # churn / loss reasons from the data
    stat_ids: list[str] = Field(default_factory=list)
    quote_ids: list[str] = Field(default_factory=list)
    # disqualify: a rule in icp.yaml; deprioritise: a warning sign only (too common among all
    # customers to reject on, or no worse outcome in the data)
    action: Literal["disqualify", "deprioritise"] = "disqualify"


class LintFinding(Frozen):
    code: str
    severity: Literal["high", "medium", "low"]
    message: str
    fix: str
    stat_ids: list[str] = Field(default_factory=list)


class Insight(Frozen):
    interview_id: str
    kind: Literal[
        "pain",
        "goal",
        "objection",
        "trigger",
        "job",
        "information_source",
        "content_preference",
        "responsibility",
        "phrase",
    ]
    evidence_id: str
    text: str
    score: float = 0.0
    speaker: str | None = None  # interviewee name (an interview may have several)


class Interviewee(Frozen):
    interview_id: str
    source: str
    name: str
    title: str | None
    title_inferred: bool = False
    company: str | None = None
    account_id: str | None = None
    decision_role: DecisionRole
    role_reason: str
    n_evidence: int = 0


class Persona(Frozen):
    id: str
    decision_role: DecisionRole
    tier: str | None  # None when interviews are not linked to accounts
    titles: list[str]
    interviewees: list[str]  # interview ids
    emerging: bool  # fewer than two interviewees
    insights: list[Insight]
