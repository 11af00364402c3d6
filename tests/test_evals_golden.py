"""Golden expectations and the optional judge's calibration."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evals.golden import check_golden, golden_files, load_expectations
from evals.judge import LexicalJudge, calibrate, judge_run
from evals.rundata import load_run

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "evalrun"
EXPECT = FIXTURE / "expectations.json"


def test_fixture_meets_its_expectations() -> None:
    result = check_golden(FIXTURE, EXPECT)
    assert result.passed, [c for c in result.checks if not c.passed]


def test_missing_tier1_trait_and_claimed_noise_fail(tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(FIXTURE, run)
    tiers = json.loads((run / "tiers.json").read_text(encoding="utf-8"))
    tiers["tiers"][0]["criteria"][0] = {**tiers["tiers"][0]["criteria"][0], "attribute": "favourite_colour",
                                        "label": "Favourite colour = Blue", "values": ["Blue"]}  # fmt: skip
    (run / "tiers.json").write_text(json.dumps(tiers), encoding="utf-8")
    failed = {c.check for c in check_golden(run, EXPECT).checks if not c.passed}
    assert failed == {"tier1_trait", "must_not_claim"}


def test_must_find_pain_absent_fails() -> None:
    exp = load_expectations(EXPECT).model_copy(update={"must_find_pains": ["pricing is too high"]})
    [bad] = [c for c in check_golden(FIXTURE, exp).checks if not c.passed]
    assert bad.check == "must_find_pain"


@pytest.mark.parametrize("path", golden_files(), ids=lambda p: p.stem)
def test_bundled_expectation_files_parse_and_name_an_example(path: Path) -> None:
    exp = load_expectations(path)
    repo = Path(__file__).resolve().parents[1]
    assert exp.tier1_traits and (repo / exp.example).is_dir()


def test_lexical_judge_calibration_and_run_scores() -> None:
    cal = calibrate(LexicalJudge())
    assert cal["n"] >= 20 and cal["agreement"] >= 0.8
    assert cal["false_pos"] >= 1  # the labelled set includes a negation the baseline cannot see
    scores = judge_run(load_run(FIXTURE))
    assert scores["claims"] > 0 and 0 < scores["citation_recall"] <= 1
