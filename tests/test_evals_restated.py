"""Hand edits that restate the data wrongly: a validation verdict, a criterion's significance
words, a persona's interviewees. Each must fail `icp eval` (exit 1) naming the sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from agent.cli import eval_cmd
from evals.runner import run_gates
from tests.evalrun_support import edit

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "evalrun"
WIN = "ratio of at least 2.0× — met."
CLOSE = "ratio of at most 0.7× — missed."  # shown 0.7×, unrounded 0.7423 > 0.7
PIPE = "— targeting problem: under 40%"
TAM = "— met: Tier 1 market"
STRIPE = "1.6× lift; significant after correction"
EMEA = "1.2× lift; suggestive only, not significant"
PEOPLE = "Interviewees: Dana Lee (Controller, Evalco Pay, Inc.); Omar Haddad (Head of Finance Ops)."


def only_failure(run_dir: Path):
    report = run_gates(run_dir)
    failures = [f for g in report.gates for f in g.failures]
    assert len(failures) == 1, failures
    return failures[0]


def test_clean_fixture_passes_with_every_restated_claim(run_dir: Path) -> None:
    assert run_gates(run_dir).passed
    text = (run_dir / "ICP.md").read_text(encoding="utf-8")
    assert all(s in text for s in (WIN, CLOSE, PIPE, TAM, STRIPE, EMEA, PEOPLE))


@pytest.mark.parametrize(
    ("old", "new", "sentence", "expected"),
    [
        (WIN, WIN.replace("met", "missed"), "win rate: Tier 1 is 2.1×", "'met'"),
        (CLOSE, CLOSE.replace("missed", "met"), "time to close: Tier 1 is 0.7×", "'missed'"),
        (WIN, WIN.replace("of at least", "under"), "win rate: Tier 1 is 2.1×", "'missed'"),
        (PIPE, "— on goal: under 40%", "Pipeline audit: 38%", "'targeting problem'"),
        (PIPE, "— below the 60% goal: under 40%", "Pipeline audit: 38%", "'targeting problem'"),
        (TAM, "— missed: Tier 1 market", "TAM check: 120", "'met'"),
    ],
)
def test_wrong_verdict_is_named(
    run_dir: Path, old: str, new: str, sentence: str, expected: str
) -> None:
    edit(run_dir, old, new)
    f = only_failure(run_dir)
    assert (f.gate, f.rule) == ("directions", "wrong_verdict")
    assert f.sentence.startswith(sentence)
    assert f.expected.startswith(expected)


def test_verdict_uses_unrounded_ratio_not_the_shown_one(run_dir: Path) -> None:
    """0.7× "at most 0.7×" reads as met, but the statistic is 0.7423: "met" is wrong."""
    edit(run_dir, CLOSE, CLOSE.replace("missed", "met"))
    f = only_failure(run_dir)
    assert "0.7423" in f.expected
    assert f.found == "met"


@pytest.mark.parametrize(
    ("old", "new", "label", "pattern"),
    [
        (
            STRIPE,
            "1.6× lift; suggestive only, not significant",
            "Tech stack",
            "pt-tech_stack-stripe",
        ),
        (EMEA, "1.2× lift; significant after correction", "Region = EMEA", "pt-region-emea"),
    ],
)
def test_wrong_significance_is_named(
    run_dir: Path, old: str, new: str, label: str, pattern: str
) -> None:
    edit(run_dir, old, new)
    f = only_failure(run_dir)
    assert (f.gate, f.rule, f.id) == ("structure", "wrong_significance", pattern)
    assert label in f.sentence


@pytest.mark.parametrize(
    ("new", "who"),
    [
        (PEOPLE.replace("Dana Lee", "Dana Leigh"), "Dana Leigh"),
        (PEOPLE.replace("(Controller,", "(CFO,"), "Dana Lee"),
        (PEOPLE.replace("(Head of Finance Ops)", "(Controller)"), "Omar Haddad"),
        (PEOPLE.replace("Omar Haddad", "Interviewer"), "Interviewer"),
    ],
)
def test_unknown_interviewee_is_named(run_dir: Path, new: str, who: str) -> None:
    edit(run_dir, PEOPLE, new)
    f = only_failure(run_dir)
    assert (f.gate, f.rule, f.id) == ("structure", "unknown_interviewee", who)
    assert f.sentence.startswith("Interviewees:")


@pytest.mark.parametrize(
    "new",
    [
        "Interviewees: Dana Lee (Controller); Omar Haddad (Head of Finance Ops, Evalco).",
        "Interviewees: dana lee (controller, Evalco Pay, Inc.); Omar Haddad.",
        "Interviewees: Dana Lee (title not stated, Evalco Pay); Omar Haddad (title not stated).",
    ],
)
def test_faithful_interviewee_lines_pass(run_dir: Path, new: str) -> None:
    edit(run_dir, PEOPLE, new)
    assert run_gates(run_dir).passed


def test_icp_eval_exits_1_naming_each_edit(run_dir: Path) -> None:
    app = typer.Typer(add_completion=False, callback=lambda: None)
    eval_cmd.register(app)
    edit(run_dir, CLOSE, CLOSE.replace("missed", "met"))
    edit(run_dir, EMEA, "1.2× lift; significant after correction")
    edit(run_dir, PEOPLE, PEOPLE.replace("Dana Lee", "Dana Leigh"))
    result = CliRunner().invoke(app, ["eval", str(run_dir)])
    assert result.exit_code == 1
    md = (run_dir / "eval-report.md").read_text(encoding="utf-8")
    for rule in ("wrong_verdict", "wrong_significance", "unknown_interviewee"):
        assert rule in md
    assert "Dana Leigh" in md and "time to close: Tier 1 is 0.7×" in md
