"""`icp score` and `icp drift` through the real CLI, the way a marketer runs them."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from agent.cli.app import app
from tests.test_fitrules import make_rules
from tools.fitrules import save_rules

PROSPECTS = """account_id,domain,industry,employees,tech_stack,funding_stage
p1,alpha.io,FinTech,120,Stripe; Slack,Seed
p2,beta.io,FinTech,60,Slack,Series A
p3,gamma.io,Retail,150,Adyen,Bootstrapped
p4,delta.io,,80,Stripe,Seed
p5,eps.io,Retail,3000,HubSpot,Seed
"""


def _run(tmp_path, *extra: str) -> pd.DataFrame:
    result = CliRunner().invoke(
        app,
        ["score", str(tmp_path / "prospects.csv"), "--rules", str(tmp_path / "icp.yaml"),
         "--out", str(tmp_path / "scored.csv"), *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return pd.read_csv(tmp_path / "scored.csv", dtype={"account_id": str}).set_index("account_id")


def test_icp_score_then_tightening_the_range_in_icp_yaml(tmp_path) -> None:
    (tmp_path / "prospects.csv").write_text(PROSPECTS, encoding="utf-8")
    rules_path = save_rules(make_rules(), tmp_path / "icp.yaml")
    before = _run(tmp_path, "--hubspot", str(tmp_path / "hs.csv"), "--sql",
                  str(tmp_path / "fit_score.sql"))  # fmt: skip
    assert before.loc["p1", "tier"] == "Tier 1" and before.loc["p2", "tier"] == "Tier 1"
    assert before.loc["p3", "tier"] == "Disqualified"
    assert before.loc["p4", "tier"] == "Insufficient data"
    assert before.loc["p1", "signals"] == "+ FinTech, + 50–200 employees, + Uses Stripe"
    assert "ICP Tier" in pd.read_csv(tmp_path / "hs.csv").columns
    assert "CASE" in (tmp_path / "fit_score.sql").read_text(encoding="utf-8")
    text = rules_path.read_text(encoding="utf-8")
    rules_path.write_text(text.replace("low: 50.0", "low: 100.0"), encoding="utf-8")
    after = _run(tmp_path)
    assert after.loc["p1", "tier"] == "Tier 1"  # 120 employees still inside 100–200
    assert after.loc["p2", "tier"] == "Tier 2"  # 60 employees now outside
    assert after.loc["p2", "fit_score"] < before.loc["p2", "fit_score"]


def test_icp_score_bad_rules_file_exits_2(tmp_path) -> None:
    (tmp_path / "prospects.csv").write_text(PROSPECTS, encoding="utf-8")
    (tmp_path / "icp.yaml").write_text("criteria: [\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["score", str(tmp_path / "prospects.csv"), "--rules", str(tmp_path / "icp.yaml")]
    )
    assert result.exit_code == 2 and "YAML" in result.output
