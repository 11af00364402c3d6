"""Drift between the learning data and a new export: what a marketer should recalibrate."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.test_tiers import AS_OF, ATTRS, PATTERNS, data
from tools.citations import StatBook
from tools.drift import drift_report, psi
from tools.fitrules import load_rules, save_rules
from tools.tiers import learn_rules


def test_unchanged_export_is_stable(tmp_path) -> None:
    acc, _, _ = data()
    rules = load_rules(save_rules(learn_rules(acc, PATTERNS, ATTRS, as_of=AS_OF),
                                  tmp_path / "icp.yaml"))  # fmt: skip
    report = drift_report(rules, acc)
    assert all(t.level == "stable" for t in report.traits)
    assert report.n_new_customers == 0
    assert report.advice[0].startswith("No material drift")


def test_shifted_export_reports_psi_new_customers_outside_icp_and_advice() -> None:
    acc, _, _ = data()
    rules = learn_rules(acc, PATTERNS, ATTRS, as_of=AS_OF)
    new = pd.DataFrame({
        "account_id": [f"N{i}" for i in range(100)], "industry": "Retail",
        "employees": 5000.0, "tech_stack": [("Slack",)] * 100, "funding_stage": "Seed",
        "churned": pd.array([False] * 100, dtype="boolean"),
        "start_date": pd.Timestamp("2026-09-01"),
    })  # fmt: skip
    both = pd.concat([acc, new], ignore_index=True)
    book = StatBook()
    report = drift_report(rules, both, acc, book=book)
    by_attr = {t.attribute: t for t in report.traits}
    assert by_attr["industry"].level == "major shift"
    assert by_attr["industry"].stat_id in book
    assert report.n_new_customers == 100 and report.new_outside_icp == 1.0
    assert any("industry" in a for a in report.advice)
    assert any("outside the ICP" in a for a in report.advice)
    # without the old table the baseline stored in icp.yaml is used, new = started after as-of
    alone = drift_report(rules, both)
    assert alone.n_new_customers == 100
    assert {t.attribute: t.level for t in alone.traits}["industry"] == "major shift"


def test_psi_is_zero_for_identical_and_grows_with_shift() -> None:
    a = np.array([0.5, 0.3, 0.2])
    assert psi(a, a) == 0
    assert psi(a, np.array([0.2, 0.3, 0.5])) > psi(a, np.array([0.4, 0.3, 0.3])) > 0


def test_icp_drift_cli_prints_advice(tmp_path) -> None:
    from typer.testing import CliRunner

    from agent.cli.app import app

    acc, _, _ = data()
    save_rules(learn_rules(acc, PATTERNS, ATTRS, as_of=AS_OF), tmp_path / "icp.yaml")
    (tmp_path / "new.csv").write_text(
        "account_id,industry,employees,funding_stage\n"
        + "".join(f"n{i},Retail,5000,Seed\n" for i in range(40)),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["drift", str(tmp_path / "new.csv"), "--rules", str(tmp_path / "icp.yaml"), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert '"major shift"' in result.output and "re-run the pattern analysis" in result.output
