"""What a workshop session remembers between turns and across restarts.

`WorkshopSession` is plain, JSON-serialisable data (no DataFrames, no clients): the files the
marketer loaded, the notes they pasted, their weight and rule adjustments, persona approvals, tier
names, review decisions and the last build's tier assignment (to show what moved). It is the
value checkpointed by the conversation graph after every turn; build results themselves are
recomputed from these inputs (same inputs, same outputs) and are never checkpointed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NoteRecord(_Model):
    """A pasted interview note saved under `<project>/notes/`."""

    path: str
    interview_id: str
    chars: int
    person: str = ""
    role: str = ""


class RuleOverride(_Model):
    """An adjustment to the learned fit rules: exclude a segment or tighten a numeric range."""

    kind: Literal["exclude", "range"]
    attribute: str
    value: str = ""
    low: float | None = None
    high: float | None = None

    def describe(self) -> str:
        if self.kind == "exclude":
            return f"exclude {self.attribute} = {self.value}"
        return f"{self.attribute} range {_num(self.low)}–{_num(self.high)}"


def _num(x: float | None) -> str:
    if x is None:
        return "…"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"


class ReviewItem(_Model):
    """The marketer's decision on one ICP.md section."""

    status: Literal["approved", "edited", "flagged"]
    text: str = ""  # replacement text for "edited"
    note: str = ""  # reason for "flagged"


class WorkshopSession(_Model):
    """Everything a session needs to continue where the marketer left off."""

    project: str
    customers: list[str] = Field(default_factory=list)
    interviews: list[str] = Field(default_factory=list)
    mapping_file: str | None = None
    as_of: str | None = None  # the analysis' "today" (YYYY-MM-DD) given with --as-of
    notes: list[NoteRecord] = Field(default_factory=list)
    weights: dict[str, float] = Field(default_factory=dict)
    overrides: list[RuleOverride] = Field(default_factory=list)
    tier_names: dict[str, str] = Field(default_factory=dict)  # "Tier 1" -> marketer's name
    persona_decisions: dict[str, str] = Field(
        default_factory=dict
    )  # persona id -> approved|rejected
    review: dict[str, ReviewItem] = Field(default_factory=dict)  # section title -> decision
    review_queue: list[str] = Field(default_factory=list)  # sections still to review, in order
    last_tiers: dict[str, str] = Field(default_factory=dict)  # account id -> tier at last build
    last_document: str | None = None
    turns: int = 0

    def tier_label(self, tier: str) -> str:
        """The marketer's name for a tier, keeping the canonical name visible."""
        name = self.tier_names.get(tier)
        return f"{name} ({tier})" if name else tier

    def build_inputs_key(self) -> tuple[object, ...]:
        """What a build depends on; a change means the cached build is stale."""
        return (
            tuple(self.customers),
            tuple(self.interviews),
            self.mapping_file,
            tuple(n.path for n in self.notes),
            tuple(sorted(self.weights.items())),
            self.as_of,
        )
