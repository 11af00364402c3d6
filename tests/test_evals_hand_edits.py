"""Hand edits that keep every marker valid: a re-attributed quote, an interval bound as a value."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.evalrun_support import edit, failures
from tools.citations import rendered_numbers
from tools.models import Stat

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "evalrun"
DANA = "— Dana Lee, Controller"
FINTECH_ROW = "| Industry = FinTech[^s-20f5e2fe] | 2.4× lift over all customers |"  # CI 1.5×–3.1×


@pytest.mark.parametrize(
    "attribution", ["— Priya Nair, CFO", "— Omar Haddad, Head of Finance Ops", "— Dana Lee, CFO"]
)
def test_swapped_attribution_is_named_with_sentence_and_id(run_dir: Path, attribution: str) -> None:
    edit(run_dir, DANA, attribution)
    [f] = failures(run_dir, "quotes")
    assert f.rule == "wrong_attribution"
    assert f.id == "q-8f71265b"
    assert "Onboarding took one afternoon" in f.sentence
    assert f.expected == "Dana Lee, Controller"
    assert f.found == attribution.lstrip("— ")


@pytest.mark.parametrize(
    "attribution",
    ["— Dana Lee", "— *Dana Lee, Controller*", "– Dana Lee, Controller.", "— dana lee, controller"],
)
def test_faithful_attribution_variants_pass(run_dir: Path, attribution: str) -> None:
    edit(run_dir, DANA, attribution)
    assert failures(run_dir, "quotes") == []


def test_dash_followed_by_prose_is_not_an_attribution(run_dir: Path) -> None:
    edit(run_dir, DANA, "— which matched the trial")
    assert failures(run_dir, "quotes") == []


def test_interval_bound_shown_as_the_value_fails(run_dir: Path) -> None:
    edit(run_dir, FINTECH_ROW, FINTECH_ROW.replace("2.4×", "3.1×"))
    [f] = failures(run_dir, "numbers")
    assert f.rule == "bound_as_value"
    assert f.id == "s-20f5e2fe"
    assert f.found == "3.1×"
    assert "2.4×" in f.expected


@pytest.mark.parametrize(
    "evidence",
    [
        "2.4× lift (95% interval 1.5× to 3.1×)",
        "2.4× lift, CI 1.5×–3.1×",
        "lift between 1.5× and 3.1×",
        "2.4× lift (1.5×–3.1×)",
    ],
)
def test_interval_bounds_pass_where_the_text_talks_about_an_interval(
    run_dir: Path, evidence: str
) -> None:
    edit(run_dir, FINTECH_ROW, FINTECH_ROW.replace("2.4× lift over all customers", evidence))
    assert failures(run_dir, "numbers") == []


def test_rendered_numbers_keeps_bounds_by_default() -> None:
    st = Stat(id="s-1", key="k", definition="lift", value=2.4, n=40, unit="ratio",
              ci_low=1.5, ci_high=3.1)  # fmt: skip
    assert {"1.5×", "3.1×"} <= rendered_numbers(st)
    assert rendered_numbers(st, with_bounds=False) == {"2.4×", "40"}
