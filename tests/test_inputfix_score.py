"""`icp score` and `icp inspect` on the lists a new user actually has."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from agent.cli.app import app
from tests.test_fitrules import make_rules
from tools.fitrules import save_rules

FULL = """account_id,name,domain,industry,employees,tech_stack,funding_stage
p9,Zeta Pay,zeta.io,FinTech,120,Stripe; Slack,Seed
p1,Alpha – Retail,alpha.io,Retail,150,Adyen,Series A
p5,Mid Co,mid.io,FinTech,60,Slack,Series A
"""


def _score(tmp_path: Path, text: str, *extra: str):
    (tmp_path / "list.csv").write_text(text, encoding="utf-8")
    save_rules(make_rules(), tmp_path / "icp.yaml")
    args = ["score", str(tmp_path / "list.csv"), "--rules", str(tmp_path / "icp.yaml"),
            "--out", str(tmp_path / "scored.csv"), *extra]  # fmt: skip
    res = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    return res, tmp_path / "scored.csv"


def test_missing_rule_columns_are_named_with_row_counts(tmp_path: Path) -> None:
    text = "Company,Website,Industry\nZeta,zeta.io,FinTech\nAlpha,alpha.io,\n"
    res, out = _score(tmp_path, text)
    assert res.exit_code == 0, res.output
    assert "employees (not in the file, required)" in res.stderr
    assert "industry (empty in 1 of 2 rows, required)" in res.stderr
    assert "tech_stack (not in the file)" in res.stderr
    assert set(pd.read_csv(out)["tier"]) == {"Insufficient data"}


def test_domain_only_list_is_scored_with_domain_as_id(tmp_path: Path) -> None:
    res, out = _score(tmp_path, "domain\nzeta.io\nalpha.io\n")
    assert res.exit_code == 0, res.output
    assert pd.read_csv(out)["account_id"].tolist() == ["zeta.io", "alpha.io"]


def test_output_keeps_input_row_order(tmp_path: Path) -> None:
    res, out = _score(tmp_path, FULL, "--salesforce", str(tmp_path / "sf.csv"))
    assert res.exit_code == 0, res.output
    assert pd.read_csv(out)["account_id"].tolist() == ["p9", "p1", "p5"]
    assert pd.read_csv(tmp_path / "sf.csv")["ICP_Source_ID__c"].tolist() == ["p9", "p1", "p5"]


def test_hubspot_file_matches_on_domain_and_opens_in_excel(tmp_path: Path) -> None:
    res, _ = _score(tmp_path, FULL, "--hubspot", str(tmp_path / "hs.csv"))
    assert res.exit_code == 0, res.output
    raw = (tmp_path / "hs.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
    hub = pd.read_csv(tmp_path / "hs.csv", encoding="utf-8-sig")
    assert "Record ID" not in hub.columns  # HubSpot's own internal id: never ours
    assert list(hub.columns)[:3] == ["Name", "Company Domain Name", "ICP Source ID"]
    assert hub["Name"].tolist()[1] == "Alpha – Retail"
    assert "ICP Tier, ICP Fit Score and ICP Signals in HubSpot before importing" in res.stdout


def test_inspect_says_where_the_mapping_file_went(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "list.csv").write_text(FULL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["inspect", "list.csv"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    written = tmp_path / "icp-mapping.yaml"
    assert written.is_file()
    assert f"Mapping written to {written.resolve()}" in res.stdout.replace("\n", "")
