"""Customer health scoring: components, weights, missing values, segments, drivers, xlsx."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_patterns_data import make_accounts

from tools.citations import StatBook
from tools.errors import InputError
from tools.scoring import resolve_weights, score_customers, write_matrix_xlsx

AS_OF = date(2025, 6, 30)


def _score(acc, deals=None, **kw):
    return score_customers(acc, deals, as_of=AS_OF, book=StatBook(), **kw)


def _tiny(n=10, **cols):
    base = {"account_id": [f"a{i}" for i in range(n)]}
    base.update(cols)
    return pd.DataFrame(base)


def test_segments_are_20_60_20_and_ranks_are_unique():
    res = _score(make_accounts(400, 3))
    m = res.matrix
    assert m["segment"].value_counts().to_dict() == {"acceptable": 240, "ideal": 80, "bad_fit": 80}
    assert sorted(m["rank"]) == list(range(1, 401))
    assert (
        m.loc[m["segment"] == "ideal", "health_score"].min()
        >= m.loc[m["segment"] == "bad_fit", "health_score"].max()
    )


def test_ties_are_broken_by_account_id():
    acc = _tiny(5, arr=[100.0] * 5, account_id=["e", "c", "a", "d", "b"])
    m = _score(acc).matrix
    assert list(m["account_id"]) == ["a", "b", "c", "d", "e"]
    assert list(m["segment"]) == ["ideal", "acceptable", "acceptable", "acceptable", "bad_fit"]


def test_missing_component_weight_is_respread_and_stated():
    acc = _tiny(4, arr=[1.0, 2.0, 3.0, 4.0], nps=[10.0, 20.0, 30.0, 40.0])
    res = _score(acc)
    assert res.effective_weights["revenue"] == pytest.approx(100 * 20 / 35)
    assert res.effective_weights["satisfaction"] == pytest.approx(100 * 15 / 35)
    assert sum(res.effective_weights.values()) == pytest.approx(100)
    assert "referrals" in res.missing_components
    assert any("re-spread" in n for n in res.notes)


def test_customer_missing_a_value_is_neither_punished_nor_rewarded():
    # b has the same revenue percentile as a but no NPS: it keeps a's revenue-only footing
    acc = _tiny(3, account_id=["a", "b", "c"], arr=[5.0, 5.0, 1.0], nps=[50.0, np.nan, 50.0])
    m = _score(acc).matrix.set_index("account_id")
    # NPS ties -> neutral 0.5 for a and c; b is scored on revenue alone
    assert m.loc["b", "health_score"] == pytest.approx(75.0)
    assert m.loc["b", "components_used"] == 1


def test_churned_retention_is_measured_to_churn_date():
    acc = _tiny(
        2,
        start_date=pd.to_datetime(["2024-01-01", "2024-01-01"]),
        churned=pd.array([True, False], dtype="boolean"),
        churn_date=pd.to_datetime(["2024-03-01", None]),
    )
    m = _score(acc).matrix.set_index("account_id")
    assert m.loc["a0", "raw_retention"] == 60
    assert m.loc["a1", "raw_retention"] == (pd.Timestamp(AS_OF) - pd.Timestamp("2024-01-01")).days


def test_inverse_components_and_derived_time_to_close():
    deals = pd.DataFrame(
        {
            "deal_id": ["d1", "d2"],
            "account_id": ["a0", "a1"],
            "deal_stage": ["won", "won"],
            "deal_created": pd.to_datetime(["2024-01-01", "2024-01-01"]),
            "deal_closed": pd.to_datetime(["2024-01-11", "2024-04-10"]),
        }
    )
    m = _score(_tiny(2), deals).matrix.set_index("account_id")
    assert m.loc["a0", "raw_time_to_close"] == 10
    assert m.loc["a0", "health_score"] > m.loc["a1", "health_score"]
    assert "fast close" in m.loc["a0", "drivers"]
    assert "slow close" in m.loc["a1", "drivers"]


def test_drivers_name_what_raised_and_lowered():
    acc = _tiny(3, arr=[100.0, 50.0, 1.0], tickets=[30.0, 5.0, 1.0])
    d = _score(acc).matrix.set_index("account_id")["drivers"]
    assert d["a0"] == "+ high revenue; − many support tickets"


@pytest.mark.parametrize("weights", [{"bogus": 1}, {"revenue": -1}, {"revenue": 0}])
def test_bad_weights_are_input_errors(weights):
    with pytest.raises(InputError):
        _score(_tiny(3, arr=[1.0, 2.0, 3.0]), weights=weights)


def test_duplicate_accounts_are_input_errors():
    with pytest.raises(InputError, match="more than once"):
        _score(pd.DataFrame({"account_id": ["x", "x"], "arr": [1.0, 2.0]}))


def test_stats_are_registered_for_segments_and_weights():
    book = StatBook()
    res = score_customers(make_accounts(100, 1), None, as_of=AS_OF, book=book)
    churn = book.get(res.stat_ids["churn_rate:bad_fit"])
    assert churn.unit == "pct" and churn.n == 20 and churn.ci_low <= churn.value <= churn.ci_high
    assert book.get(res.stat_ids["weight:revenue"]).value == pytest.approx(0.2 / 0.9)


def test_xlsx_has_frozen_header_and_all_rows(tmp_path):
    from openpyxl import load_workbook

    res = _score(make_accounts(50, 2))
    path = write_matrix_xlsx(res.matrix, tmp_path / "m.xlsx")
    ws = load_workbook(path).active
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 51 and ws.cell(1, 1).value == "account_id"
    assert ws.conditional_formatting


weights_st = st.dictionaries(
    st.sampled_from(
        [
            "revenue",
            "retention",
            "expansion",
            "satisfaction",
            "support_burden",
            "time_to_close",
            "referrals",
        ]
    ),
    st.floats(0.1, 100),
    min_size=1,
)
values_st = st.lists(st.one_of(st.none(), st.floats(0, 1e6)), min_size=3, max_size=30)


def _acc_from(arr, nps):
    n = min(len(arr), len(nps))
    return _tiny(
        n,
        arr=np.array(arr[:n], dtype=float),
        nps=np.array(nps[:n], dtype=float),
        tickets=np.arange(n, dtype=float),
    )


@settings(max_examples=60, deadline=None)
@given(arr=values_st, nps=values_st, weights=weights_st)
def test_property_scores_in_range_and_weights_sum_to_100(arr, nps, weights):
    acc = _acc_from(arr, nps)
    has = {
        "revenue": acc["arr"].notna().any(),
        "satisfaction": acc["nps"].notna().any(),
        "support_burden": True,
    }
    if not any(has.get(c, False) for c in weights):
        with pytest.raises(InputError, match="no scoring component"):
            _score(acc, weights=weights)
        return
    res = _score(acc, weights=weights)
    assert res.matrix["health_score"].between(0, 100).all()
    assert sum(res.effective_weights.values()) == pytest.approx(100)
    assert all(res.effective_weights[c] == 0 for c in res.missing_components)
    assert resolve_weights(weights)["revenue"] >= 0


@settings(max_examples=60, deadline=None)
@given(arr=values_st, nps=values_st, who=st.integers(0, 29), bump=st.floats(0.1, 1e6))
def test_property_raising_a_positive_component_never_lowers_the_score(arr, nps, who, bump):
    acc = _acc_from(arr, nps)
    who = who % len(acc)
    before = _score(acc).matrix.set_index("account_id")["health_score"]
    raised = acc.assign(
        arr=acc["arr"].fillna(0).where(acc.index != who, acc["arr"].fillna(0) + bump)
    )
    raised = raised.assign(arr=raised["arr"].where(acc["arr"].notna() | (acc.index == who)))
    after = _score(raised).matrix.set_index("account_id")["health_score"]
    aid = acc["account_id"][who]
    if pd.notna(acc["arr"][who]):
        assert after[aid] >= before[aid] - 1e-9


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_property_permuting_rows_never_changes_results(seed):
    acc = make_accounts(60, 5)
    shuffled = acc.sample(frac=1, random_state=seed).reset_index(drop=True)
    a, b = _score(acc).matrix, _score(shuffled).matrix
    pd.testing.assert_frame_equal(a, b)
