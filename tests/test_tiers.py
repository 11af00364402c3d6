"""Tiers, negative ICP and lint from pattern tests: what a marketer would see in ICP.md."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.citations import StatBook
from tools.fitrules import score_frame
from tools.models import AttributeSpec, PatternTest
from tools.tiers import build_icp, choose_criteria, overlaps

AS_OF = date(2026, 6, 30)
ATTRS = [
    AttributeSpec(name="industry", kind="categorical", group="firmographic", label="Industry"),
    AttributeSpec(name="employees", kind="numeric", group="firmographic", label="Employees"),
    AttributeSpec(name="tech_stack", kind="multi", group="technographic", label="Tech stack"),
    AttributeSpec(name="funding_stage", kind="categorical", group="firmographic", label="Funding"),
    AttributeSpec(name="job_title", kind="categorical", group="custom", label="Job title"),
]


def pat(
    pid: str, attr: str, direction: str, status: str, q: float, *, value: str | None = None,
    low: float | None = None, high: float | None = None, lift: float = 2.0, n: int = 40,
) -> PatternTest:  # fmt: skip
    return PatternTest(
        id=pid, attribute=attr, label=pid, kind="range" if low is not None else "value",
        value=value, low=low, high=high, n_all=200, n_trait=n, n_top=40, n_top_trait=20,
        n_bottom=40, n_bottom_trait=5, share_top=0.5, share_bottom=0.125, share_all=0.25,
        lift=lift, odds_ratio=3.0, ci_low=0.3, ci_high=0.6, p_value=q / 2, q_value=q,
        direction=direction, status=status, stat_ids=[f"s-{abs(hash(pid)) % 10**8:08x}"],
    )  # fmt: skip


PATTERNS = [
    pat("industry=FinTech", "industry", "ideal", "significant", 0.001, value="FinTech"),
    pat("employees@50..200", "employees", "ideal", "significant", 0.01, low=50, high=200),
    pat("industry=Health", "industry", "ideal", "significant", 0.04, value="Health"),
    pat(
        "tech_stack=Stripe",
        "tech_stack",
        "ideal",
        "not_significant",
        0.3,
        value="Stripe",
        lift=1.4,
        n=30,
    ),  # fmt: skip
    pat("job_title=CTO", "job_title", "ideal", "significant", 0.001, value="CTO"),
    pat(
        "funding_stage=Bootstrapped",
        "funding_stage",
        "bad_fit",
        "significant",
        0.02,
        value="Bootstrapped",
    ),  # fmt: skip
    pat("employees@150..900", "employees", "bad_fit", "significant", 0.03, low=150, high=900),
]


def data() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)
    n = 200
    industry = rng.choice(["FinTech", "Health", "Retail", "Media"], n)
    employees = rng.choice([10, 30, 60, 120, 180, 400, 1000], n).astype(float)
    fit = (industry == "FinTech") & (employees >= 50) & (employees <= 200)
    acc = pd.DataFrame({
        "account_id": [f"A{i:03d}" for i in range(n)],
        "industry": industry,
        "employees": employees,
        "tech_stack": [("Stripe",) if i % 3 == 0 else ("Slack",) for i in range(n)],
        "funding_stage": rng.choice(["Seed", "Series A", "Bootstrapped"], n),
        "job_title": rng.choice(["CTO", "CEO"], n),
        "churned": pd.array(rng.random(n) < np.where(fit, 0.05, 0.4), dtype="boolean"),
        "churn_reason": np.where(rng.random(n) < 0.5, "price", "missing features"),
        "arr": rng.uniform(5_000, 50_000, n),
        "expansion_arr": np.where(fit, 8_000.0, 500.0),
        "tickets": np.where(fit, 2.0, 9.0),
        "cac": rng.uniform(2_000, 9_000, n),
        "start_date": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 800, n), "D"),
    })  # fmt: skip
    acc["churn_reason"] = acc["churn_reason"].where(acc["churned"].to_numpy(dtype=bool))
    won = rng.random(n) < np.where(fit, 0.7, 0.2)
    deals = pd.DataFrame({
        "deal_id": [f"D{i}" for i in range(n)], "account_id": acc["account_id"],
        "deal_stage": np.where(won, "won", "lost"), "deal_amount": 1000.0,
        "deal_created": acc["start_date"] - pd.Timedelta(days=60),
        "deal_closed": acc["start_date"] - pd.to_timedelta(np.where(fit, 40, 0), "D"),
        "loss_reason": np.where(won, None, "budget"),
    })  # fmt: skip
    matrix = pd.DataFrame({
        "account_id": acc["account_id"], "health_score": np.where(fit, 80.0, 40.0),
    })  # fmt: skip
    return acc, deals, matrix


def build(patterns: list[PatternTest] = PATTERNS):
    acc, deals, matrix = data()
    book = StatBook()
    return build_icp(acc, matrix, patterns, ATTRS, deals, book=book, as_of=AS_OF), acc, book


def test_tier1_uses_the_strongest_significant_traits_and_rules_reproduce_tiers() -> None:
    icp, acc, book = build()
    t1, t2, t3 = icp.tiers
    assert [c.pattern_id for c in t1.criteria] == ["industry=FinTech", "employees@50..200"]
    assert [c.pattern_id for c in t2.criteria] == ["industry=Health"]
    assert [c.pattern_id for c in t3.criteria] == ["tech_stack=Stripe"]
    scored = score_frame(icp.rules, acc)
    assert dict(zip(scored["account_id"], scored["tier"], strict=True)) == icp.tier_of_account
    assert set(icp.tier_of_account) == set(acc["account_id"])
    assert t1.n_match == sum(v == "Tier 1" for v in icp.tier_of_account.values())
    fit = (acc["industry"] == "FinTech") & acc["employees"].between(50, 200)
    in_t1 = acc["account_id"].map(icp.tier_of_account).eq("Tier 1")
    assert not (in_t1 & ~fit).any()  # Tier 1 is narrow: only the planted segment
    for sid in t1.stat_ids:
        assert sid in book
    churn = [book.get(s) for s in t1.stat_ids if book.get(s).key == "tier:1.churn_rate"][0]
    assert churn.value < 0.2


def test_job_titles_are_never_company_criteria() -> None:
    icp, _, _ = build()
    attrs = {c.attribute for t in icp.tiers for c in t.criteria}
    assert "job_title" not in attrs
    assert "persona_trait_kept_out" in {f.code for f in icp.lint}


def test_negative_icp_explains_itself_and_never_overlaps_tier1() -> None:
    icp, acc, book = build()
    assert [s.criterion.pattern_id for s in icp.negative] == ["funding_stage=Bootstrapped"]
    sig = icp.negative[0]
    assert sig.n == int((acc["funding_stage"] == "Bootstrapped").sum())
    assert sig.example_accounts == sorted(sig.example_accounts) and len(sig.example_accounts) == 5
    assert "overall" in sig.why and "churn" in sig.why
    assert any(r.startswith("budget") for r in sig.reasons)
    assert all(s in book for s in sig.stat_ids[1:])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["ideal", "bad_fit"]),
            st.sampled_from(["significant", "not_significant"]),
            st.floats(0.0001, 0.2),
            st.one_of(
                st.sampled_from(["FinTech", "Health", "Retail"]),
                st.tuples(st.integers(0, 500), st.integers(0, 500)),
            ),
        ),
        max_size=8,
    )
)
def test_property_negative_never_overlaps_positive(specs) -> None:
    pats = []
    for i, (direction, status, q, v) in enumerate(specs):
        if isinstance(v, tuple):
            lo, hi = sorted(v)
            pats.append(pat(f"e{i}", "employees", direction, status, q, low=lo, high=hi))
        else:
            pats.append(pat(f"i{i}", "industry", direction, status, q, value=v))
    positive, disq = choose_criteria(pats, ATTRS, ["industry", "employees"])
    assert not any(overlaps(d, c) for d in disq for c in positive)
    assert all(c.tier == 1 for c in positive[:1])


def test_no_significant_pattern_means_insufficient_evidence() -> None:
    weak = [p.model_copy(update={"status": "not_significant"}) for p in PATTERNS]
    icp, acc, _ = build(weak)
    assert all(t.criteria == [] for t in icp.tiers)
    assert all("Insufficient evidence" in t.summary for t in icp.tiers)
    assert set(icp.tier_of_account.values()) == {"Not ICP"}
    assert "no_negative_icp" in {f.code for f in icp.lint}


def test_lint_flags_small_stale_data_and_tier1_in_sample_validation() -> None:
    acc, deals, matrix = data()
    small, book = acc.head(20), StatBook()
    icp = build_icp(small, matrix, PATTERNS, ATTRS, deals.head(20), book=book,
                    as_of=date(2028, 1, 1))  # fmt: skip
    codes = {f.code for f in icp.lint}
    assert {"too_little_data", "directional_only", "stale_data"} <= codes
    assert all(f.fix for f in icp.lint)
    full, _, _ = build()
    win = [m for m in full.validation.metrics if m.metric == "win_rate"][0]
    assert win.verdict == "met" and win.ratio >= 2
