"""The messy-file corpus (tests/data/messy): each file's documented behaviour, table-driven.

Each case is (file, check): `check` is either the text an `InputError` must contain (nothing
usable remains) or a function of the loaded `CustomerData` that must hold.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from tools.errors import InputError
from tools.ingest import CustomerData, load_customer_data, render_ingest_report

MESSY = Path(__file__).resolve().parent / "data" / "messy"


def col(d: CustomerData, name: str) -> list:
    return d.accounts[name].tolist()


def issue(d: CustomerData, text: str) -> bool:
    return any(text in i.message for i in d.report.issues)


CASES: list[tuple[str, str | Callable[[CustomerData], bool]]] = [
    ("semicolon.csv", lambda d: col(d, "employees") == [12, 40, 7]),
    ("pipe.csv", lambda d: col(d, "name") == ["Alpha", "Beta", "Gamma"]),
    ("tab.tsv", lambda d: col(d, "employees") == [12, 40, 7]),
    ("bom_utf8.csv", lambda d: col(d, "account_id") == ["A1", "A2"]),
    ("latin1.csv", lambda d: col(d, "name")[0] == "Société Générale"),
    ("utf16.csv", lambda d: col(d, "name")[0] == "Ålpha"),
    ("quoted_newlines.csv", lambda d: len(d.accounts) == 3 and "line two" in col(d, "notes")[0]),
    ("no_header.csv", lambda d: col(d, "account_id") == ["A-001", "A-002", "A-003"]),
    ("money_formats.csv", lambda d: col(d, "arr") == [1.2e6, 1.2e6, 1.2e6, 1.2e5, 950]),
    ("employee_ranges.csv", lambda d: col(d, "employees") == [125.5, 3000, 10000, 12.5, 30.5]),
    ("percentages.csv", lambda d: col(d, "growth_rate") == pytest.approx([0.12, 0.055, -0.03])),
    ("booleans.csv", lambda d: col(d, "churned") == [True, False, True, False, True, False]),
    ("churn_status_words.csv", lambda d: col(d, "churned")[:3] == [False, True, False]),
    ("dates_ddmmyy.csv", lambda d: col(d, "start_date")[0] == pd.Timestamp("2021-12-25")),
    ("dates_us.csv", lambda d: col(d, "start_date")[1] == pd.Timestamp("2022-03-04")),
    ("excel_serials.csv", lambda d: col(d, "start_date")[0] == pd.Timestamp("2021-01-01")),
    ("placeholders.csv", lambda d: d.accounts["industry"].isna().sum() == 3
     and math.isnan(col(d, "employees")[0])),
    ("category_variants.csv", lambda d: d.accounts["industry"].nunique() == 2),
    ("multi_valued.csv", lambda d: col(d, "tech_stack")[:2] == [("Salesforce", "Slack"), ("HubSpot", "Slack")]),
    ("custom_multi_commas.csv", lambda d: col(d, "pets")[0] == ("cat", "wolf")
     and any(a.name == "pets" and a.kind == "multi" for a in d.attributes)),
    ("duplicate_ids.csv", lambda d: len(d.accounts) == 3 and issue(d, "repeat an earlier account id") and issue(d, "(rows 3)")),
    ("missing_ids.csv", lambda d: len(d.accounts) == 2 and issue(d, "have no account id and are skipped (rows 2)")),
    ("mixed_types.csv", lambda d: issue(d, "mixed types") and "employees" not in d.accounts),
    ("ragged_rows.csv", lambda d: len(d.accounts) == 3 and issue(d, "extra fields ignored")),
    ("duplicate_headers.csv", lambda d: "industry_2" in d.accounts and issue(d, "duplicate column")),
    ("hubspot.json", lambda d: col(d, "domain") == ["alpha.io", "beta.com"] and col(d, "revenue")[1] == 5e6),
    ("salesforce.json", lambda d: col(d, "account_id") == ["0011", "0012"] and col(d, "tech_stack")[0] == ("Jira", "Slack")),
    ("accounts.jsonl", lambda d: col(d, "arr") == [1000, 2000]),
    ("deals_only.csv", lambda d: col(d, "time_to_close_days") == [30, 10]
     and d.deals["deal_stage"].tolist() == ["won", "lost", "won", "open"]),
    ("two_sheets.xlsx", lambda d: col(d, "account_id") == ["A1", "A2"]
     and col(d, "start_date")[0] == pd.Timestamp("2024-01-05")),
    ("typed.parquet", lambda d: col(d, "employees") == [10, 20, 30] and str(d.accounts["churned"].dtype) == "boolean"),
    ("empty.csv", "empty (0 bytes)"),
    ("whitespace_only.csv", "no rows"),
    ("header_only.csv", "no data rows"),
    ("fake_pdf.csv", "PDF"),
    ("binary.csv", "binary file"),
    ("no_id.csv", "no column identifies the account"),
    ("all_ids_blank.csv", "every row has an empty account id"),
    ("bad.json", "invalid JSON"),
    ("corrupt.xlsx", "Excel file cannot be opened"),
]  # fmt: skip


def test_corpus_has_at_least_30_files_all_covered() -> None:
    files = {p.name for p in MESSY.iterdir()}
    assert len(files) >= 30
    assert files == {name for name, _ in CASES}


@pytest.mark.parametrize(("name", "check"), CASES, ids=[c[0] for c in CASES])
def test_messy_file_behaviour(name: str, check: str | Callable[[CustomerData], bool]) -> None:
    path = MESSY / name
    if isinstance(check, str):
        with pytest.raises(InputError) as info:
            load_customer_data([path])
        assert check in info.value.message and info.value.file and info.value.hint
        return
    data = load_customer_data([path])
    assert data.accounts["account_id"].is_unique
    assert check(data)
    assert render_ingest_report(data.report).startswith("# Ingest report")


def test_named_sheet_is_read_and_missing_sheet_is_explained() -> None:
    data = load_customer_data([MESSY / "two_sheets.xlsx"], sheet="Second")
    assert col(data, "account_id") == ["B1"]
    with pytest.raises(InputError, match="no sheet named 'Nope'"):
        load_customer_data([MESSY / "two_sheets.xlsx"], sheet="Nope")


def test_bad_file_among_good_ones_is_reported_and_build_proceeds() -> None:
    data = load_customer_data([MESSY / "semicolon.csv", MESSY / "fake_pdf.csv"])
    assert len(data.accounts) == 3
    assert any(i.severity == "error" and "PDF" in i.message for i in data.report.issues)


def test_oversized_file_gets_a_clear_message(tmp_path: Path, monkeypatch) -> None:
    from tools.ingest import readers

    monkeypatch.setattr(readers, "MAX_BYTES", 10)
    with pytest.raises(InputError, match="above the"):
        load_customer_data([MESSY / "semicolon.csv"])


def test_cleaning_counts_reach_the_report() -> None:
    data = load_customer_data([MESSY / "money_formats.csv"])
    classes = {(c.value_class, c.count) for c in data.report.cleaning}
    assert ("k/M/B suffix", 3) in classes
    assert "k/M/B suffix" in render_ingest_report(data.report)
