"""Golden expectations: does a run find what a dataset's ground truth says it must?

An expectations file (`evals/datasets/golden/<name>.json`, format in evals/README.md) lists
traits that must be Tier 1 criteria, traits that may sit in any tier, traits that must be
negative-ICP signals, pains that must be found (case-insensitive substrings of the Personas
section of ICP.md) and noise attributes the run must not claim (absent from every tier
criterion and negative signal). `check_golden(out_dir, path)` returns one pass/fail per check.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from evals.markdown import parse
from evals.rundata import load_run
from tools.errors import InputError
from tools.models import Criterion

GOLDEN_DIR = Path(__file__).resolve().parent / "datasets" / "golden"


class Trait(BaseModel):
    attribute: str
    value: str | None = None  # categorical value, or
    low: float | None = None  # numeric range
    high: float | None = None
    min_overlap: float = 0.5  # intersection over union of ranges


class Expectations(BaseModel):
    name: str
    example: str = ""  # repo-relative folder of the example's inputs
    tier1_traits: list[Trait] = Field(default_factory=list)
    any_tier_traits: list[Trait] = Field(default_factory=list)
    negative_traits: list[Trait] = Field(default_factory=list)
    must_find_pains: list[str] = Field(default_factory=list)
    must_not_claim: list[str] = Field(default_factory=list)  # attribute names


class GoldenCheck(BaseModel):
    check: str
    expected: str
    found: str
    passed: bool


class GoldenResult(BaseModel):
    name: str
    passed: bool
    checks: list[GoldenCheck]


def _overlap(t: Trait, c: Criterion) -> float:
    lo, hi = (
        c.low if c.low is not None else float("-inf"),
        c.high if c.high is not None else float("inf"),
    )
    tlo, thi = (
        t.low if t.low is not None else float("-inf"),
        t.high if t.high is not None else float("inf"),
    )
    inter = min(hi, thi) - max(lo, tlo)
    union = max(hi, thi) - min(lo, tlo)
    if inter < 0 or union <= 0 or union == float("inf"):
        return 1.0 if inter >= 0 and (lo, hi) == (tlo, thi) else 0.0
    return inter / union


def matches(t: Trait, c: Criterion) -> bool:
    """Does criterion `c` express trait `t`?"""
    if c.attribute != t.attribute:
        return False
    if t.value is not None:
        wanted = t.value.casefold()
        return any(v.casefold() == wanted for v in c.values) or wanted in c.label.casefold()
    return _overlap(t, c) >= t.min_overlap


def _describe(t: Trait) -> str:
    return (
        f"{t.attribute} = {t.value}" if t.value is not None else f"{t.attribute} {t.low}–{t.high}"
    )


def _trait_checks(name: str, traits: list[Trait], pool: list[Criterion]) -> list[GoldenCheck]:
    found = ", ".join(c.label for c in pool) or "none"
    return [
        GoldenCheck(check=name, expected=_describe(t), found=found,
                    passed=any(matches(t, c) for c in pool))
        for t in traits
    ]  # fmt: skip


def load_expectations(path: Path) -> Expectations:
    try:
        return Expectations.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read expectations: {exc}", file=str(path),
                         hint="see evals/README.md for the format") from exc  # fmt: skip


def check_golden(out_dir: Path, expectations: Path | Expectations) -> GoldenResult:
    """Check a run folder against an expectations file."""
    exp = (
        expectations if isinstance(expectations, Expectations) else load_expectations(expectations)
    )
    run = load_run(Path(out_dir))
    tier1 = [c for t in run.tiers if t.name == "Tier 1" for c in t.criteria]
    every = [c for t in run.tiers for c in t.criteria]
    negative = [s.criterion for s in run.negative]
    checks = _trait_checks("tier1_trait", exp.tier1_traits, tier1)
    checks += _trait_checks("any_tier_trait", exp.any_tier_traits, every)
    checks += _trait_checks("negative_trait", exp.negative_traits, negative)
    persona_text = " ".join(
        u.text for u in parse(run.icp_text).units if u.h2.startswith("Personas")
    )
    for pain in exp.must_find_pains:
        ok = pain.casefold() in persona_text.casefold()
        checks.append(GoldenCheck(check="must_find_pain", expected=pain,
                                  found="found" if ok else "absent from Personas", passed=ok))  # fmt: skip
    claimed = {c.attribute for c in every + negative}
    for attr in exp.must_not_claim:
        checks.append(GoldenCheck(check="must_not_claim", expected=f"{attr} absent",
                                  found=f"{attr} claimed" if attr in claimed else "absent",
                                  passed=attr not in claimed))  # fmt: skip
    return GoldenResult(name=exp.name, passed=all(c.passed for c in checks), checks=checks)


def golden_files() -> list[Path]:
    return sorted(GOLDEN_DIR.glob("*.json"))


def summary(result: GoldenResult) -> dict[str, Any]:
    return {"name": result.name, "passed": result.passed,
            "failed": [c.model_dump() for c in result.checks if not c.passed]}  # fmt: skip
