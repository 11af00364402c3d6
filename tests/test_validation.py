"""Backtest, pipeline audit and TAM check: honest verdicts on held-out customers."""

from __future__ import annotations

import pandas as pd

from tests.test_tiers import AS_OF, ATTRS, PATTERNS, data
from tools.citations import StatBook
from tools.tiers import learn_rules
from tools.validation import backtest, pipeline_audit, tam_check


def learn(acc: pd.DataFrame, deals: pd.DataFrame):
    return learn_rules(acc, PATTERNS, ATTRS, as_of=AS_OF)


def test_time_based_holdout_shows_tier1_beating_non_icp() -> None:
    acc, deals, _ = data()
    seen: list[int] = []

    def spy(a: pd.DataFrame, d: pd.DataFrame):
        seen.append(len(a))
        assert a["start_date"].max() <= acc["start_date"].quantile(0.71)
        return learn(a, d)

    report = backtest(acc, deals, spy, book=StatBook(), as_of=AS_OF)
    assert "time-based" in report.method and seen == [140] and report.n_test == 60
    verdicts = {m.metric: m.verdict for m in report.metrics}
    assert verdicts["win_rate"] == "met"
    assert verdicts["churn_rate"] == "met"
    assert set(verdicts.values()) <= {"met", "missed", "insufficient data"}
    assert all(m.verdict in m.words for m in report.metrics)


def test_k_fold_without_dates_and_missing_metrics_say_insufficient() -> None:
    acc, deals, _ = data()
    acc = acc.drop(columns=["start_date", "cac"])
    deals = deals.drop(columns=["deal_created", "deal_closed"])
    report = backtest(acc, deals, learn, book=StatBook(), as_of=AS_OF, folds=4)
    assert report.method.startswith("4-fold")
    verdicts = {m.metric: m.verdict for m in report.metrics}
    assert verdicts["cac"] == "insufficient data"
    assert verdicts["time_to_close"] == "insufficient data"
    assert verdicts["win_rate"] == "met"


def test_pipeline_audit_flags_a_targeting_problem() -> None:
    acc, deals, _ = data()
    rules = learn(acc, deals)
    open_deals = deals.assign(deal_stage="open")
    audit = pipeline_audit(rules, acc, open_deals, book=StatBook())
    assert audit is not None and audit.share_tier1 < 0.4
    assert audit.verdict.startswith("targeting problem")


def test_tam_check_against_revenue_target() -> None:
    acc, deals, _ = data()
    rules = learn(acc, deals)
    ok = tam_check(rules, acc, revenue_target=10_000, acv=20_000, book=StatBook())
    assert ok.verdict.startswith("met") and ok.multiple >= 3
    short = tam_check(rules, acc, revenue_target=10_000_000, acv=20_000, book=StatBook())
    assert short.verdict.startswith("missed")
