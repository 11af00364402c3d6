"""Every table in ../shared/data/crm loads with sensible mappings and declared decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.errors import InputError
from tools.ingest import inspect_files, load_customer_data, render_ingest_report

CRM = Path(__file__).resolve().parents[2] / "shared" / "data" / "crm"
pytestmark = pytest.mark.skipif(not CRM.is_dir(), reason=f"shared data folder missing: {CRM}")


def _mapped(data, file: str) -> dict[str, str | None]:
    return {m.column: m.field for m in data.report.mappings if m.file == file}


@pytest.fixture(scope="module")
def raven():
    return load_customer_data(sorted((CRM / "ravenstack-saas").glob("*.csv")))


def test_ravenstack_multi_table_aggregates_to_500_accounts(raven) -> None:
    acc = raven.accounts
    assert len(acc) == 500 and acc["account_id"].is_unique
    roles = sorted(f["role"] for f in raven.report.files)
    assert roles == ["accounts", "churn_events", "subscriptions", "tickets", "usage"]
    assert acc["tickets"].sum() == 2000  # every ticket joins
    assert acc["usage"].notna().sum() > 400  # usage reached accounts via subscriptions
    assert acc["arr"].notna().all() and (acc["arr"] >= 0).all()
    assert str(acc["start_date"].dtype) == "datetime64[ns]"
    assert str(acc["churned"].dtype) == "boolean"


def test_ravenstack_churn_definitions_are_declared_and_selectable(raven) -> None:
    text = " ".join(raven.report.decisions)
    assert "accounts_flag = 110" in text and "churn_events = 352" in text
    assert "subscriptions = 312" in text and "Churn definition used: accounts_flag" in text
    assert int(raven.accounts["churned"].sum()) == 110
    events = load_customer_data(
        sorted((CRM / "ravenstack-saas").glob("*.csv")), churn_definition="churn_events"
    )
    assert int(events.accounts["churned"].sum()) == 352
    with pytest.raises(InputError, match="not available"):
        load_customer_data([CRM / "ravenstack-saas" / "ravenstack_accounts.csv"],
                           churn_definition="churn_events")  # fmt: skip


def test_ravenstack_attributes_exclude_outcomes(raven) -> None:
    names = {a.name for a in raven.attributes}
    assert {"industry", "country", "acquisition_channel", "plan", "is_trial"} <= names
    assert not names & {"arr", "churned", "csat", "tickets", "nps"}


@pytest.mark.parametrize(
    "pipeline", ["sales_pipeline.csv", "variant_sales_pipeline_ddmmyy_with_quarters.csv"]
)
def test_maven_accounts_and_deals(pipeline: str) -> None:
    maven = CRM / "maven-crm"
    data = load_customer_data([maven / "accounts.csv", maven / pipeline])
    acc = data.accounts
    assert len(acc) == 85
    assert "technolgy" not in set(acc["industry"]) and "technology" in set(acc["industry"])
    assert "Philippines" in set(acc["country"])
    assert set(data.deals["deal_stage"]) == {"won", "lost", "open"}
    assert (data.deals["deal_stage"] == "won").sum() == 4238
    assert data.deals["deal_closed"].min().year == 2017  # dd-mm-yy read day-first
    assert acc["time_to_close_days"].notna().all() and acc["contract_value"].gt(0).all()
    assert any("1425 deal(s) have no account" in i.message for i in data.report.issues)
    assert _mapped(data, "accounts.csv")["sector"] == "industry"


def test_maven_lookup_tables_are_reported_not_used() -> None:
    maven = CRM / "maven-crm"
    data = load_customer_data(sorted(maven.glob("*.csv"))[:1] + [maven / "sales_pipeline.csv",
                              maven / "products.csv", maven / "sales_teams.csv"])  # fmt: skip
    roles = {Path(f["path"]).name: f["role"] for f in data.report.files}
    assert roles["products.csv"] == "lookup" and roles["sales_teams.csv"] == "lookup"
    assert any("products.csv: lookup table" in d for d in data.report.decisions)


def test_cs_health_sample_is_flagged_too_small() -> None:
    data = load_customer_data([CRM / "cs-health-sample" / "sample_data.csv"])
    assert len(data.accounts) == 10
    assert any("too small for findings" in i.message for i in data.report.issues)
    m = _mapped(data, "sample_data.csv")
    assert m["ARR"] == "arr" and m["NPS"] == "nps" and m["Tickets_Last_90d"] == "tickets"
    report = render_ingest_report(data.report)
    assert "too small for findings" in report and "## Column mapping" in report


def test_inspect_real_files_reports_roles_and_types() -> None:
    res = inspect_files(sorted((CRM / "ravenstack-saas").glob("*.csv")))
    roles = {Path(f.path).name: f.role for f in res.files}
    assert roles["ravenstack_feature_usage.csv"] == "usage"
    acc = next(f for f in res.files if f.role == "accounts")
    churn = next(c for c in acc.columns if c.name == "churn_flag")
    assert churn.field == "churned" and churn.dtype == "bool" and churn.confidence > 0.9
