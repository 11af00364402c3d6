"""Value parsers: table-driven cases plus hypothesis properties (no exceptions, round trips)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.ingest.categories import clean_category, split_multi
from tools.ingest.dates import parse_date
from tools.ingest.values import format_money, parse_bool, parse_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$1.2M", 1_200_000), ("1,200,000", 1_200_000), ("€1.2m", 1_200_000), ("120k", 120_000),
        ("51-200", 125.5), ("1,000-5,000 employees", 3000), ("10000+", 10000),
        ("May-20", 12.5), ("20-May", 12.5), ("45%", 0.45), ("(1,200)", -1200), ("1,5", 1.5),
        ("$1M-$5M", 3_000_000), ("N/A", None), ("-", None), ("Select", None), ("", None),
    ],
)  # fmt: skip
def test_parse_number_cases(raw: str, expected: float | None) -> None:
    value = parse_number(pd.Series([raw])).values.iloc[0]
    if expected is None:
        assert math.isnan(value)
    else:
        assert value == pytest.approx(expected)


def test_unparseable_number_is_flagged_not_guessed() -> None:
    p = parse_number(pd.Series(["12", "lots"]))
    assert p.bad.tolist() == [False, True]
    assert p.classes["unparseable -> missing"][0] == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Yes", True), ("no", False), ("TRUE", True), ("0", False), ("Churned", True),
     ("Stayed", False), ("N/A", None), ("maybe", None)],
)  # fmt: skip
def test_parse_bool_cases(raw: str, expected: bool | None) -> None:
    value = parse_bool(pd.Series([raw])).values.iloc[0]
    assert (value is pd.NA) if expected is None else (value == expected)


def test_dates_day_first_decided_from_the_column() -> None:
    p = parse_date(pd.Series(["20-10-16", "01-03-17"]))
    assert p.values.tolist() == [pd.Timestamp("2016-10-20"), pd.Timestamp("2017-03-01")]
    assert p.values.dtype == "datetime64[ns]"


def test_dates_us_excel_serial_and_iso() -> None:
    us = parse_date(pd.Series(["03/04/2022", "12/31/2021"])).values
    assert us.iloc[0] == pd.Timestamp("2022-03-04")
    assert parse_date(pd.Series(["44197"])).values.iloc[0] == pd.Timestamp("2021-01-01")
    assert parse_date(pd.Series(["2023-07-28 3:00"])).values.iloc[0] == pd.Timestamp("2023-07-28")


def test_category_typos_and_known_names() -> None:
    ind = clean_category(pd.Series(["technolgy", "retail", "Retail ", "retail"]), "industry").values
    assert ind.tolist() == ["technology", "retail", "retail", "retail"]
    assert clean_category(pd.Series(["Philipines"]), "country").values.tolist() == ["Philippines"]


def test_category_does_not_merge_different_short_words() -> None:
    vals = clean_category(pd.Series(["Iran", "Iraq", "Iraq"]), "country").values.tolist()
    assert vals == ["Iran", "Iraq", "Iraq"]


def test_multi_valued_cells_become_sorted_tuples() -> None:
    vals = split_multi(pd.Series(["Salesforce; Slack", "slack | HubSpot", None])).values
    assert vals.tolist() == [("Salesforce", "Slack"), ("HubSpot", "Slack"), ()]


def test_large_columns_use_distinct_values_with_correct_counts() -> None:
    p = parse_number(pd.Series(["$1.2M", "N/A"] * 15_000))
    assert p.values.iloc[0] == 1_200_000 and math.isnan(p.values.iloc[1])
    assert p.classes["placeholder as missing"][0] == 15_000


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=20))
def test_parsers_never_raise_on_arbitrary_strings(cells: list[str]) -> None:
    s = pd.Series(cells)
    for parser in (parse_number, parse_bool, parse_date, clean_category, split_multi):
        out = parser(s)
        assert len(out.values) == len(s)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_money_round_trip(amount: int) -> None:
    text = format_money(float(amount))
    parsed = parse_number(pd.Series([text])).values.iloc[0]
    assert parsed == pytest.approx(amount, rel=1e-6)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_range_parses_to_midpoint(a: int, b: int) -> None:
    low, high = sorted((a, b))
    parsed = parse_number(pd.Series([f"{low:,}-{high:,}"])).values.iloc[0]
    assert parsed == pytest.approx((low + high) / 2)


@settings(max_examples=100, deadline=None)
@given(
    st.dates(
        min_value=pd.Timestamp("1950-01-01").date(), max_value=pd.Timestamp("2060-12-31").date()
    )
)
def test_iso_date_round_trip(day) -> None:
    assert parse_date(pd.Series([day.isoformat()])).values.iloc[0] == pd.Timestamp(day)
