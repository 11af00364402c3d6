"""Ingest fixes found by a new user: non-finite and negative numbers, deals given twice."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from tools.ingest import load_customer_data
from tools.ingest.values import parse_number

MAVEN = Path(__file__).resolve().parents[2] / "shared" / "data" / "crm" / "maven-crm"

ACCOUNTS = """account_id,name,employees,Support Tickets (12m),Days to Close,ARR
A1,Alpha,10,inf,30,1000
A2,Beta,-5,Infinity,1e400,-200
A3,Gamma,20,3,-1e309,300
A4,Delta,30,-2,12,400
"""


def _load(tmp_path: Path, text: str = ACCOUNTS):
    (tmp_path / "accounts.csv").write_text(text, encoding="utf-8")
    return load_customer_data([tmp_path / "accounts.csv"])


@pytest.mark.parametrize("raw", ["inf", "Infinity", "1e400", "-1e309", "-inf", "INF"])
def test_non_finite_number_is_missing_and_flagged(raw: str) -> None:
    p = parse_number(pd.Series([raw, "7"]))
    assert math.isnan(p.values.iloc[0]) and p.values.iloc[1] == 7
    assert p.nonfinite.tolist() == [True, False]
    assert p.classes["not a finite number -> missing"][0] == 1


def test_non_finite_numbers_in_a_file_are_issues_not_crashes(tmp_path: Path) -> None:
    d = _load(tmp_path)
    acc = d.accounts.set_index("account_id")
    assert acc["tickets"].isna().tolist() == [True, True, False, True]
    assert acc["time_to_close_days"].isna().tolist() == [False, True, True, False]
    numbers = acc.select_dtypes("number").to_numpy(dtype="float64")
    assert not (numbers == float("inf")).any() and not (numbers == -float("inf")).any()
    inf = [i for i in d.report.issues if "not a finite number" in i.message]
    by_col = {i.column: i for i in inf}
    assert by_col["Support Tickets (12m)"].row == 1 and "(rows 1-2)" in by_col[
        "Support Tickets (12m)"].message  # fmt: skip
    assert by_col["Days to Close"].row == 2 and by_col["Days to Close"].file == "accounts.csv"
    assert all(i.hint for i in inf)
    counted = {c.column: c.count for c in d.report.cleaning
               if c.value_class == "not a finite number -> missing"}  # fmt: skip
    assert counted == {"accounts.csv:Support Tickets (12m)": 2, "accounts.csv:Days to Close": 2}


def test_negative_counts_are_missing_and_negative_money_is_flagged(tmp_path: Path) -> None:
    d = _load(tmp_path)
    acc = d.accounts.set_index("account_id")
    assert math.isnan(acc.loc["A2", "employees"]) and math.isnan(acc.loc["A4", "tickets"])
    assert acc.loc["A2", "arr"] == -200  # money is kept, only reported
    neg = {i.column: i for i in d.report.issues if "negative value" in i.message}
    assert set(neg) == {"employees", "Support Tickets (12m)", "ARR"}
    assert neg["employees"].row == 2 and "treated as missing" in neg["employees"].message
    assert "kept" in neg["ARR"].message and neg["ARR"].severity == "warning"


DEALS = "opportunity_id,account,deal_stage,close_value\nD1,A1,Won,100\nD2,A2,Lost,50\n"
DEALS_AGAIN = "opportunity_id,account,deal_stage,close_value\nD2,A2,Lost,999\nD3,A1,Won,70\n"


def test_deals_in_two_files_are_counted_once(tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_text("account_id,name\nA1,Alpha\nA2,Beta\n")
    (tmp_path / "deals.csv").write_text(DEALS)
    (tmp_path / "deals_copy.csv").write_text(DEALS_AGAIN)
    paths = [tmp_path / n for n in ("accounts.csv", "deals.csv", "deals_copy.csv")]
    d = load_customer_data(paths)
    assert d.deals["deal_id"].tolist() == ["D1", "D2", "D3"] and d.report.n_deals == 3
    assert d.deals.set_index("deal_id").loc["D2", "deal_amount"] == 50  # first file's row
    msg = "1 deals appear in both deals.csv and deals_copy.csv"
    assert any(msg in i.message for i in d.report.issues)
    assert any(msg in x for x in d.report.decisions)


def test_accounts_in_two_files_are_reported_and_counted_once(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("account_id,name,employees\nA1,Alpha,10\nA2,Beta,20\n")
    (tmp_path / "b.csv").write_text("account_id,name,employees\nA2,Beta,99\nA3,Gamma,30\n")
    d = load_customer_data([tmp_path / "a.csv", tmp_path / "b.csv"])
    assert d.accounts["account_id"].tolist() == ["A1", "A2", "A3"]
    assert d.accounts.set_index("account_id").loc["A2", "employees"] == 20
    assert any("1 accounts appear in both a.csv and b.csv" in i.message for i in d.report.issues)


@pytest.mark.skipif(not MAVEN.is_dir(), reason=f"shared data missing at {MAVEN}")
def test_maven_pipeline_and_its_variant_count_each_deal_once() -> None:
    names = [
        "accounts.csv",
        "sales_pipeline.csv",
        "variant_sales_pipeline_ddmmyy_with_quarters.csv",
    ]
    d = load_customer_data([MAVEN / n for n in names])
    assert d.report.n_deals == 8800 and d.deals["deal_id"].is_unique
    assert any("8800 deals appear in both sales_pipeline.csv and variant_sales_pipeline"
               in i.message for i in d.report.issues)  # fmt: skip
