"""Validation of ICP rules against history: outcome statistics per group, backtest, audits.

`group_outcomes` measures a set of accounts (churn, NRR proxy, win rate, time-to-close, LTV,
CAC) as citable `Stat`s; tiers use it for their profile and the backtest uses it to compare
Tier 1 with non-ICP accounts on data the rules were not learned on (time-based holdout when
start or deal dates exist, otherwise k-fold). Verdicts are in plain words and say "missed" and
"insufficient data" when that is the truth. Pipeline audit and TAM check live here too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from tools.citations import StatBook, format_stat
from tools.fitrules import FitRules, score_frame
from tools.models import Stat
from tools.tier_outcomes import group_outcomes, wilson

MIN_GROUP = 5
NON_ICP = ("Not ICP", "Disqualified")
# metric -> (target ratio Tier 1 / non-ICP, higher is better, words)
LABELS = {
    "win_rate": "win rate",
    "churn_rate": "churn rate",
    "nrr": "NRR proxy",
    "time_to_close": "time to close",
    "cac": "CAC",
}
# Words avoid comparison words on purpose: a target is a threshold, not a finding.
TARGETS: dict[str, tuple[float, bool, str]] = {
    "win_rate": (2.0, True, "a Tier 1 / non-ICP ratio of at least"),
    "churn_rate": (1.0, False, "a Tier 1 / non-ICP ratio under"),
    "nrr": (1.2, True, "a Tier 1 / non-ICP ratio of at least"),
    "time_to_close": (0.7, False, "a Tier 1 / non-ICP ratio of at most"),
    "cac": (0.7, False, "a Tier 1 / non-ICP ratio of at most"),
}


class _M(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MetricCheck(_M):
    metric: str
    tier1: float | None
    non_icp: float | None
    ratio: float | None
    target: str
    verdict: str  # "met" | "missed" | "insufficient data"
    words: str
    stat_ids: list[str] = Field(default_factory=list)


class PipelineAudit(_M):
    n_open: int
    share_tier1: float | None
    verdict: str
    stat_ids: list[str] = Field(default_factory=list)


class TamCheck(_M):
    n_tier1: int
    tier1_market: float | None
    revenue_target: float
    multiple: float | None
    verdict: str
    stat_ids: list[str] = Field(default_factory=list)


class ValidationReport(_M):
    method: str
    n_train: int = 0
    n_test: int = 0
    metrics: list[MetricCheck] = Field(default_factory=list)
    pipeline: PipelineAudit | None = None
    tam: TamCheck | None = None
    notes: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- Tier 1 vs non-ICP


def compare(
    t1: dict[str, Stat], non: dict[str, Stat], book: StatBook, key: str
) -> list[MetricCheck]:
    """Tier 1 against non-ICP per metric, with the practice target and a plain verdict.

    The ratio, the target and the minimum group size are registered statistics, so every
    number in the verdict sentence is citable.
    """
    checks = []
    minimum = book.add(
        "validation:min_group", "minimum customers per group for a comparison", MIN_GROUP, 0,
        "count",
    )  # fmt: skip
    for metric, (target, higher, phrase) in TARGETS.items():
        a, b = t1.get(metric), non.get(metric)
        ids = [s.id for s in (a, b) if s is not None]
        tgt = book.add(
            f"target:{metric}", f"practice target for {metric.replace('_', ' ')}: {phrase}",
            target, 0, "ratio",
        )  # fmt: skip
        words = f"{phrase} {format_stat(tgt)}"
        ids.append(tgt.id)
        if (
            a is None
            or b is None
            or a.value is None
            or b.value is None
            or min(a.n, b.n) < MIN_GROUP
        ):
            checks.append(
                MetricCheck(
                    metric=metric,
                    tier1=a.value if a else None,
                    non_icp=b.value if b else None,
                    ratio=None,
                    target=words,
                    verdict="insufficient data",
                    stat_ids=[*ids, minimum.id],
                    words=f"{LABELS[metric]}: insufficient data (need at least "
                    f"{format_stat(minimum)} in Tier 1 and in non-ICP).",
                )
            )
            continue
        ratio = a.value / b.value if b.value else None
        if ratio is None:
            met = (a.value > 0) if higher else False
        else:
            met = ratio >= target if higher else (ratio <= target if target < 1 else ratio < 1)
        verdict = "met" if met else "missed"
        shown = "n/a"
        if ratio is not None:
            r = book.add(
                f"{key}:{metric}:ratio",
                f"Tier 1 {metric.replace('_', ' ')} divided by non-ICP ({key})",
                ratio, min(a.n, b.n), "ratio",
            )  # fmt: skip
            ids.append(r.id)
            shown = format_stat(r)
        checks.append(
            MetricCheck(
                metric=metric,
                tier1=a.value,
                non_icp=b.value,
                ratio=ratio,
                target=words,
                verdict=verdict,
                stat_ids=ids,
                words=f"{LABELS[metric]}: Tier 1 is {shown} non-ICP; target {words} — {verdict}.",
            )
        )
    return checks


def evaluate(
    rules: FitRules,
    accounts: pd.DataFrame,
    deals: pd.DataFrame,
    *,
    book: StatBook,
    as_of: date,
    key: str,
    method: str,
    n_train: int = 0,
) -> ValidationReport:
    """Score `accounts` with `rules` and compare Tier 1 with non-ICP accounts."""
    tiers = score_frame(rules, accounts)["tier"].to_numpy()
    groups = {}
    for name, mask in (("tier1", tiers == "Tier 1"), ("non_icp", np.isin(tiers, NON_ICP))):
        groups[name] = group_outcomes(
            accounts,
            deals,
            mask,
            book=book,
            key=f"{key}.{name}",
            as_of=as_of,
            label="Tier 1 accounts" if name == "tier1" else "non-ICP accounts",
        )
    return ValidationReport(
        method=method,
        n_train=n_train,
        n_test=len(accounts),
        metrics=compare(groups["tier1"], groups["non_icp"], book, key),
        pipeline=pipeline_audit(rules, accounts, deals, book=book, key=f"{key}.pipeline"),
    )


def _start_dates(accounts: pd.DataFrame, deals: pd.DataFrame) -> pd.Series | None:
    if "start_date" in accounts.columns and accounts["start_date"].notna().mean() >= 0.5:
        return accounts["start_date"]
    if not deals.empty and "deal_created" in deals.columns and deals["deal_created"].notna().any():
        first = deals.groupby(deals["account_id"].astype("string"))["deal_created"].min()
        dates = accounts["account_id"].astype("string").map(first)
        if dates.notna().mean() >= 0.5:
            return dates
    return None


def backtest(
    accounts: pd.DataFrame,
    deals: pd.DataFrame,
    learn: Callable[[pd.DataFrame, pd.DataFrame], FitRules],
    *,
    book: StatBook,
    as_of: date,
    holdout: float = 0.3,
    folds: int = 5,
) -> ValidationReport:
    """Learn rules on earlier customers and test them on later ones (k-fold without dates)."""
    starts = _start_dates(accounts, deals)
    ids = accounts["account_id"].astype("string")
    if starts is not None:
        order = starts.rank(method="first", na_option="top").to_numpy()
        test = order > len(accounts) * (1 - holdout)
        return _fold(
            accounts,
            deals,
            learn,
            test,
            book=book,
            as_of=as_of,
            key="backtest",
            method=f"time-based holdout: learned on the earliest {1 - holdout:.0%}, "
            f"tested on the latest {holdout:.0%} by start date",
        )
    fold_of = ids.map(lambda s: int(hashlib.sha256(s.encode()).hexdigest()[:8], 16) % folds)
    reports = [
        _fold(
            accounts,
            deals,
            learn,
            (fold_of == f).to_numpy(),
            book=book,
            as_of=as_of,
            key=f"backtest.fold{f}",
            method="fold",
        )
        for f in range(folds)
    ]
    pooled = [m for r in reports for m in r.metrics]
    notes = [
        f"fold {i + 1}: " + "; ".join(m.words for m in r.metrics) for i, r in enumerate(reports)
    ]
    return ValidationReport(
        method=f"{folds}-fold cross-validation (no start or deal dates for a time split)",
        n_train=int(np.mean([r.n_train for r in reports])),
        n_test=len(accounts),
        metrics=_majority(pooled),
        notes=notes,
    )


def _majority(checks: list[MetricCheck]) -> list[MetricCheck]:
    out = []
    for metric in TARGETS:
        mine = [c for c in checks if c.metric == metric]
        decided = [c for c in mine if c.verdict != "insufficient data"]
        verdict = "insufficient data"
        if decided:
            met = sum(c.verdict == "met" for c in decided)
            verdict = "met" if met * 2 > len(decided) else "missed"
        out.append(
            mine[0].model_copy(
                update={
                    "verdict": verdict,
                    "tier1": None,
                    "non_icp": None,
                    "ratio": None,
                    "stat_ids": sorted({i for c in mine for i in c.stat_ids}),
                    "words": f"{LABELS[metric]}: target {mine[0].target} — {verdict} "
                    f"({len(decided)} of {len(mine)} folds had enough data).",
                }
            )
        )
    return out


def _fold(accounts, deals, learn, test, *, book, as_of, key, method) -> ValidationReport:
    train_acc, test_acc = accounts[~test], accounts[test]
    keep = deals["account_id"].astype("string").isin(train_acc["account_id"].astype("string"))
    rules = learn(train_acc.reset_index(drop=True), deals[keep].reset_index(drop=True))
    return evaluate(
        rules,
        test_acc.reset_index(drop=True),
        deals,
        book=book,
        as_of=as_of,
        key=key,
        method=method,
        n_train=len(train_acc),
    )


def pipeline_audit(
    rules: FitRules,
    accounts: pd.DataFrame,
    deals: pd.DataFrame,
    *,
    book: StatBook,
    key: str = "pipeline",
) -> PipelineAudit | None:
    """Share of open deals whose account is Tier 1 (<40% = targeting problem, goal >60%)."""
    if deals.empty or "deal_stage" not in deals.columns:
        return None
    open_ids = deals.loc[deals["deal_stage"].eq("open"), "account_id"].astype("string")
    if open_ids.empty:
        return None
    tiers = score_frame(rules, accounts).set_index(rules.id_column)["tier"]
    k, n = int(open_ids.map(tiers).eq("Tier 1").sum()), len(open_ids)
    stat = book.add(
        f"{key}.share_tier1",
        "share of open deals whose account is Tier 1",
        k / n,
        n,
        "pct",
        *wilson(k, n),
    )
    share = k / n
    low = book.add(
        "target:pipeline_low", "pipeline audit threshold: a targeting problem under", 0.4, 0, "pct"
    )
    goal = book.add(
        "target:pipeline_goal", "pipeline audit goal for the Tier 1 share", 0.6, 0, "pct"
    )
    verdict = (
        "targeting problem: under 40% of open pipeline is Tier 1"
        if share < 0.4
        else "below the 60% goal"
        if share <= 0.6
        else "on goal: over 60% of pipeline is Tier 1"
    )
    return PipelineAudit(
        n_open=n, share_tier1=share, verdict=verdict, stat_ids=[stat.id, low.id, goal.id]
    )


def tam_check(
    rules: FitRules,
    tam: pd.DataFrame,
    revenue_target: float,
    acv: float | None,
    *,
    book: StatBook,
) -> TamCheck:
    """Tier 1 companies in the market list × average contract value vs the revenue target."""
    n1 = int((score_frame(rules, tam)["tier"] == "Tier 1").sum())
    s_n = book.add(
        "tam.tier1_n", "companies in the market list scored Tier 1", n1, len(tam), "count"
    )
    if not acv:
        return TamCheck(
            n_tier1=n1,
            tier1_market=None,
            revenue_target=revenue_target,
            multiple=None,
            verdict="insufficient data: no ARR to size the market",
            stat_ids=[s_n.id],
        )
    market = n1 * acv
    mult = market / revenue_target if revenue_target else None
    s_m = book.add(
        "tam.tier1_market", "Tier 1 market: Tier 1 companies × mean Tier 1 ARR", market, n1, "money"
    )
    s_x = book.add(
        "tam.multiple", "Tier 1 market as a multiple of the revenue target", mult, n1, "ratio"
    )
    ok = mult is not None and mult >= 3
    s_t = book.add(
        "target:tam_multiple",
        "TAM target: Tier 1 market as a multiple of the revenue target",
        3.0,
        0,
        "ratio",
    )
    verdict = (
        "met: Tier 1 market is at least 3.0× the target"
        if ok
        else (
            "missed: Tier 1 market is under 3.0× the revenue target; widen Tier 2 or revisit the target"
        )
    )
    return TamCheck(
        n_tier1=n1,
        tier1_market=market,
        revenue_target=revenue_target,
        multiple=mult,
        verdict=verdict,
        stat_ids=[s_n.id, s_m.id, s_x.id, s_t.id],
    )
