"""ICP-as-code: icp.yaml round trip, editing rules, scoring semantics, Python == SQL on every row."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.errors import InputError
from tools.exports import to_hubspot_csv, to_salesforce_csv, to_sql
from tools.fitrules import (
    Cutoffs,
    FitRules,
    Provenance,
    RuleCriterion,
    load_rules,
    save_rules,
    score_frame,
)


def make_rules(low: float = 50, high: float = 200) -> FitRules:
    return FitRules(
        provenance=Provenance(data_sha256="ab" * 32, as_of=date(2026, 6, 30)),
        criteria=[
            RuleCriterion(
                id="c1",
                attribute="industry",
                kind="category",
                signal="FinTech",
                values=["FinTech"],
                points=10,
                tier=1,
            ),
            RuleCriterion(
                id="c2",
                attribute="employees",
                kind="range",
                signal=f"{low:g}–{high:g} employees",
                low=low,
                high=high,
                points=10,
                tier=1,
            ),
            RuleCriterion(
                id="c3",
                attribute="tech_stack",
                kind="multi",
                signal="Uses Stripe",
                values=["Stripe", "Adyen"],
                points=3,
                tier=2,
            ),
        ],
        disqualifiers=[
            RuleCriterion(
                id="d1",
                attribute="funding_stage",
                kind="category",
                signal="Bootstrapped",
                values=["bootstrapped"],
            )
        ],
        cutoffs=Cutoffs(tier_1=20, tier_2=6, tier_3=1),
        required_fields=["industry", "employees"],
    )


def accounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": [f"a{i}" for i in range(9)],
            "domain": [f"a{i}.com" for i in range(9)],
            "industry": [
                "FinTech",
                " fintech ",
                "Retail",
                None,
                "FinTech",
                "Retail",
                "FinTech",
                "Retail",
                "O'Neil",
            ],
            "employees": [50.0, 200.0, 120.0, 80.0, np.nan, 49.999, 201.0, 10.0, 60.0],
            "tech_stack": [
                ("Stripe", "Slack"),
                ("HubSpot",),
                (),
                ("Adyen",),
                None,
                ("stripe",),
                ("Slack", "Adyen"),
                ("Stripe",),
                ("Stripe",),
            ],
            "funding_stage": [
                "Seed",
                "Series A",
                None,
                "Seed",
                "Seed",
                "Bootstrapped",
                None,
                "Seed",
                "",
            ],
        }
    )


def to_warehouse(df: pd.DataFrame) -> pd.DataFrame:
    """The documented warehouse shape: multi-valued cells as ';'-joined text."""
    out = df.copy()
    out["tech_stack"] = out["tech_stack"].map(
        lambda v: ";".join(v) if isinstance(v, tuple) else None
    )
    return out


def run_duckdb(rules: FitRules, df: pd.DataFrame) -> pd.DataFrame:
    con = duckdb.connect()
    con.register("accounts", to_warehouse(df))
    return con.execute(to_sql(rules)).df()


def assert_same(py: pd.DataFrame, sql: pd.DataFrame) -> None:
    py = py.sort_values("account_id", kind="stable").reset_index(drop=True)
    sql = sql.sort_values("account_id", kind="stable").reset_index(drop=True)
    assert py["account_id"].tolist() == sql["account_id"].tolist()
    assert py["tier"].tolist() == sql["tier"].tolist()
    py_score = [None if pd.isna(v) else int(v) for v in py["fit_score"]]
    sql_score = [None if pd.isna(v) else int(v) for v in sql["fit_score"]]
    assert py_score == sql_score
    assert py["points"].astype(int).tolist() == sql["points"].astype(int).tolist()
    assert py["signals"].fillna("").tolist() == sql["signals"].fillna("").tolist()


def test_tiers_scores_and_signals_follow_the_rules() -> None:
    out = score_frame(make_rules(), accounts()).set_index("account_id")
    assert out.loc["a0", "tier"] == "Tier 1" and out.loc["a0", "fit_score"] == 100
    assert out.loc["a0", "signals"] == "+ FinTech, + 50–200 employees, + Uses Stripe"
    assert out.loc["a1", "tier"] == "Tier 1"  # case/space-insensitive, inclusive upper bound
    assert out.loc["a2", "tier"] == "Tier 2"  # one Tier 1 criterion = 10 points >= 6
    assert out.loc["a3", "tier"] == "Insufficient data"  # industry unknown: no low score
    assert pd.isna(out.loc["a3", "fit_score"])
    assert out.loc["a4", "tier"] == "Insufficient data"  # employees unknown
    assert out.loc["a5", "tier"] == "Disqualified" and out.loc["a5", "fit_score"] == 0
    assert "− Bootstrapped" in out.loc["a5", "signals"]
    assert out.loc["a6", "tier"] == "Tier 2"  # 201 employees misses the range by one
    assert out.loc["a7", "tier"] == "Tier 3"  # only the 3-point technographic signal
    assert out.loc["a8", "tier"] == "Tier 2"


def test_python_and_duckdb_sql_agree_on_every_row() -> None:
    rules, df = make_rules(), accounts()
    assert_same(score_frame(rules, df), run_duckdb(rules, df))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["FinTech", "fintech ", "Retail", "", None]),
            st.one_of(st.none(), st.sampled_from([0.0, 49.5, 50.0, 200.0, 200.5, 1e6])),
            st.lists(st.sampled_from(["Stripe", "Adyen", "Slack"]), max_size=3),
            st.sampled_from(["Seed", "Bootstrapped", None]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_property_python_equals_sql(rows: list[tuple]) -> None:
    df = pd.DataFrame(
        {
            "account_id": [f"x{i:03d}" for i in range(len(rows))],
            "domain": [f"x{i}.io" for i in range(len(rows))],
            "industry": pd.Series([r[0] for r in rows], dtype="string"),
            "employees": pd.Series([r[1] for r in rows], dtype="float64"),
            "tech_stack": [tuple(r[2]) if r[2] else None for r in rows],
            "funding_stage": pd.Series([r[3] for r in rows], dtype="string"),
        }
    )
    rules = make_rules()
    py = score_frame(rules, df)
    assert py["fit_score"].dropna().between(0, 100).all()
    assert (py["signals"].str.len() < 1024).all()
    assert_same(py, run_duckdb(rules, df))


def _pg_literal(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "NULL"
    if isinstance(v, float):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


@pytest.mark.skipif(
    not os.environ.get("PG_DSN") or not shutil.which("psql"),
    reason="no PostgreSQL server: set PG_DSN (and have psql on PATH) to run",
)
def test_python_and_postgres_sql_agree(tmp_path) -> None:
    rules, df = make_rules(), to_warehouse(accounts())
    rows = ",\n".join(
        "(" + ", ".join(_pg_literal(v) for v in row) + ")"
        for row in df.astype(object).itertuples(index=False)
    )
    script = tmp_path / "pg.sql"
    script.write_text(
        "CREATE TEMP TABLE accounts (account_id TEXT, domain TEXT, industry TEXT, "
        "employees DOUBLE PRECISION, tech_stack TEXT, funding_stage TEXT);\n"
        f"INSERT INTO accounts VALUES {rows};\n{to_sql(rules)}",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            "psql",
            os.environ["PG_DSN"],
            "-q",
            "-X",
            "--csv",
            "-v",
            "ON_ERROR_STOP=1",
            "-f",
            str(script),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    sql = pd.read_csv(io.StringIO(done.stdout), dtype={"account_id": str, "signals": str})
    assert_same(score_frame(rules, accounts()), sql)


def test_editing_icp_yaml_changes_scores(tmp_path) -> None:
    path = save_rules(make_rules(), tmp_path / "icp.yaml")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# icp.yaml")
    before = score_frame(load_rules(path), accounts()).set_index("account_id")
    # a marketer tightens the employee range from 50–200 to 100–200 in the file
    path.write_text(text.replace("low: 50.0", "low: 100.0"), encoding="utf-8")
    after = score_frame(load_rules(path), accounts()).set_index("account_id")
    assert before.loc["a0", "tier"] == "Tier 1" and after.loc["a0", "tier"] == "Tier 2"
    assert after.loc["a0", "fit_score"] < before.loc["a0", "fit_score"]
    assert after.loc["a1", "tier"] == "Tier 1"  # 200 employees still inside
    assert "50–200 employees" not in after.loc["a0", "signals"]


def test_bad_yaml_reports_line(tmp_path) -> None:
    path = tmp_path / "icp.yaml"
    path.write_text("version: 1\ncriteria:\n  - id: c1\n   attribute: x\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_rules(path)
    assert err.value.row == 4 and "YAML" in err.value.message


def test_invalid_rule_reports_field_and_line(tmp_path) -> None:
    path = save_rules(make_rules(), tmp_path / "icp.yaml")
    path.write_text(
        path.read_text(encoding="utf-8").replace("high: 200.0", "high: 20.0"), encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        load_rules(path)
    assert "low 50.0 > high 20.0" in err.value.message and err.value.row is not None


def test_non_numeric_cell_is_an_input_error() -> None:
    df = accounts().assign(employees=["50", "x", None, 1, 2, 3, 4, 5, 6])
    with pytest.raises(InputError) as err:
        score_frame(make_rules(), df)
    assert err.value.column == "employees" and err.value.row == 2


def test_crm_exports_have_expected_columns(tmp_path) -> None:
    scored = score_frame(make_rules(), accounts())
    hub = pd.read_csv(to_hubspot_csv(scored, tmp_path / "hubspot.csv"))
    assert list(hub.columns) == [
        "Company Domain Name",
        "ICP Source ID",
        "ICP Tier",
        "ICP Fit Score",
        "ICP Signals",
    ]
    assert hub.loc[hub["ICP Source ID"] == "a0", "ICP Tier"].item() == "Tier 1"
    sf = pd.read_csv(to_salesforce_csv(scored, tmp_path / "sf.csv"))
    assert list(sf.columns) == [
        "Website",
        "ICP_Source_ID__c",
        "ICP_Tier__c",
        "ICP_Fit_Score__c",
        "ICP_Signals__c",
    ]
    assert len(sf) == len(scored)
