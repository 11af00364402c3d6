"""Outcomes by trait: churn / win rate of each value vs the rest, with intervals and its own FDR."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_patterns_data import attributes, make_accounts

from tools.citations import StatBook
from tools.ids import stat_id
from tools.models import AttributeSpec
from tools.outcome_tests import MIN_OUTCOME_N, outcome_null_control
from tools.pattern_report import patterns_json, render_pattern_analysis
from tools.patterns import analyse_patterns
from tools.scoring import score_customers
from tools.traits import encode

AS_OF = date(2025, 6, 30)
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
RAVEN = DATA / "crm" / "ravenstack-saas"
MAVEN = DATA / "crm" / "maven-crm"
SECTOR = [AttributeSpec(name="industry", kind="categorical", group="firmographic", label="Sector")]


def _run(acc, deals=None, attrs=None, **kw):
    book = StatBook()
    scoring = score_customers(acc, deals, as_of=AS_OF, book=book)
    rep = analyse_patterns(acc, scoring.matrix, attrs or attributes(), deals, book=book, **kw)
    return rep, scoring, book


def _by_id(rep):
    return {t.id: t for t in rep.outcome_tests}


@pytest.fixture(scope="module")
def raven():
    if not RAVEN.is_dir():
        pytest.skip(f"RavenStack data absent ({RAVEN}); it lives in ../shared/data beside the repo")
    from tools.ingest import load_customer_data

    data = load_customer_data(sorted(RAVEN.glob("*.csv")))
    return data, *_run(data.accounts, data.deals, data.attributes)


def test_ravenstack_industry_churn_breakdown_has_intervals(raven):
    data, rep, scoring, book = raven
    assert int(data.accounts["churned"].sum()) == 110  # default definition: accounts churn_flag
    tests = _by_id(rep)
    dev, cyber = tests["churn_rate:industry=DevTools"], tests["churn_rate:industry=Cybersecurity"]
    assert dev.rate > cyber.rate
    assert dev.rate == pytest.approx(35 / 113) and cyber.rate == pytest.approx(16 / 100)
    for t in (dev, cyber):
        assert t.ci_low < t.rate < t.ci_high and t.rest_ci_low < t.rate_rest < t.rest_ci_high
        assert t.n + t.n_rest == 500 and t.p_value is not None and t.q_value >= t.p_value
        assert t.status in {"significant", "not_significant"}
    assert dev.direction == "higher" and cyber.direction == "lower"
    stat = book.get(stat_id("outcome:churn_rate:industry=DevTools"))
    assert (stat.value, stat.n, stat.ci_low) == (dev.rate, 113, dev.ci_low)
    partner = tests["churn_rate:acquisition_channel=partner"]
    assert partner.rate < tests["churn_rate:acquisition_channel=event"].rate
    assert tests["churn_rate:country=DE"].rate > tests["churn_rate:country=AU"].rate


def test_ravenstack_outcomes_are_rendered_and_in_json(raven):
    _, rep, scoring, book = raven
    md = render_pattern_analysis(rep, scoring, book)
    section = md[md.index("## Outcomes by trait") : md.index("## Checked, but could be chance")]
    line = next(x for x in section.splitlines() if "Industry = DevTools" in x)
    assert "churned at 31% (95% interval" in line and "for the rest" in line
    assert "significant" in line
    for marker in set(__import__("re").findall(r"\[\^(s-[0-9a-f]{8})\]", section)):
        assert f"[^{marker}]:" in md
    data = json.loads(json.dumps(patterns_json(rep)))
    assert len(data["outcome_tests"]) == len(rep.outcome_tests) >= 15
    assert {"churn_rate:industry=DevTools"} <= {t["id"] for t in data["outcome_tests"]}


def test_outcome_family_leaves_health_tests_unchanged():
    acc = make_accounts(300, 8, signal=1.2)
    matrix = score_customers(acc, None, as_of=AS_OF, book=StatBook()).matrix
    reps = [
        analyse_patterns(a, matrix, attributes(), None, book=StatBook())
        for a in (acc, acc.drop(columns=["churned"]))
    ]
    assert reps[0].outcome_tests and not reps[1].outcome_tests
    assert [(t.id, t.q_value) for t in reps[0].tests] == [(t.id, t.q_value) for t in reps[1].tests]


@pytest.mark.skipif(not MAVEN.is_dir(), reason=f"Maven CRM data absent ({MAVEN})")
def test_maven_sector_win_rates_show_no_significant_difference():
    from tools.ingest import load_customer_data

    data = load_customer_data([MAVEN / "accounts.csv", MAVEN / "sales_pipeline.csv"])
    rep, _, _ = _run(data.accounts, data.deals, data.attributes)
    sector = [t for t in rep.outcome_tests if t.outcome == "win_rate" and t.attribute == "industry"]
    assert len(sector) >= 8 and all(t.n >= MIN_OUTCOME_N for t in sector)
    assert all(0.5 < t.rate < 0.75 and t.ci_low < t.rate < t.ci_high for t in sector)
    assert not [t for t in sector if t.status == "significant"]


def _deals(acc, win_prob, rng, per_account=6):
    ids = np.repeat(acc["account_id"].to_numpy(), per_account)
    p = np.repeat(win_prob, per_account)
    return pd.DataFrame(
        {
            "deal_id": [f"d{i}" for i in range(len(ids))],
            "account_id": ids,
            "deal_stage": np.where(rng.random(len(ids)) < p, "won", "lost"),
        }
    )


def test_planted_win_rate_difference_is_found():
    rng = np.random.default_rng(3)
    acc = pd.DataFrame(
        {
            "account_id": [f"a{i}" for i in range(120)],
            "industry": rng.choice(["tech", "retail", "finance"], 120),
            "arr": rng.lognormal(10, 1, 120),
        }
    )
    deals = _deals(acc, np.where(acc["industry"] == "tech", 0.8, 0.4), rng)
    rep, _, _ = _run(acc, deals, SECTOR)
    tech = _by_id(rep)["win_rate:industry=tech"]
    assert tech.status == "significant" and tech.direction == "higher"
    assert tech.n == 6 * int((acc["industry"] == "tech").sum())


def test_small_groups_are_insufficient_evidence_not_claims():
    rep, scoring, book = _run(make_accounts(30, 1))
    small = [t for t in rep.outcome_tests if t.n < MIN_OUTCOME_N or t.n_rest < MIN_OUTCOME_N]
    assert small and all(t.status == "insufficient_evidence" for t in small)
    assert all(t.p_value is None and t.q_value is None and t.reason for t in small)
    md = render_pattern_analysis(rep, scoring, book)
    assert "insufficient evidence — fewer than 20 customers" in md


def test_two_valued_attribute_is_one_comparison():
    acc = make_accounts(200, 5).assign(tier=lambda d: np.where(d.index % 3 == 0, "gold", "std"))
    spec = [AttributeSpec(name="tier", kind="categorical", group="custom", label="Tier")]
    tests = _by_id(_run(acc, attrs=spec)[0])
    gold, std = tests["churn_rate:tier=gold"], tests["churn_rate:tier=std"]
    assert gold.p_value == pytest.approx(std.p_value) and gold.q_value == std.q_value


def test_null_control_permuted_churn_rarely_gives_any_significant_outcome():
    acc = make_accounts(400, 9)
    encs = [encode(acc, s) for s in attributes()]
    any_sig = outcome_null_control(encs, acc, runs=200, seed=1, fdr=0.10, min_n=MIN_OUTCOME_N)
    assert len(any_sig) == 200 and any_sig.mean() <= 0.10
