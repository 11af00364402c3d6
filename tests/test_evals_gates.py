"""The groundedness gates on a hand-made run folder: clean passes, each corruption is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evals.gates import Context
from evals.gates.directions import comparisons
from evals.gates.quotes import normalise
from evals.markdown import parse, split_sentences
from evals.rundata import load_run
from evals.runner import evaluate_run, run_gates
from tests.evalrun_support import builder, edit, failures
from tools.errors import InputError

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "evalrun"


def test_clean_build_passes_every_gate(run_dir: Path) -> None:
    report = run_gates(run_dir)
    assert report.passed, [f for g in report.gates for f in g.failures]
    assert all(g.n > 0 for g in report.gates)


def test_committed_fixture_is_reproducible_and_clean(tmp_path: Path) -> None:
    fresh = builder.build_run(tmp_path / "again", absolute_sources=False)
    for name in ("ICP.md", "stats.json", "evidence.jsonl", "tiers.json", "personas.json"):
        assert (fresh / name).read_bytes() == (FIXTURE / name).read_bytes(), name
    assert run_gates(FIXTURE).passed


def test_altered_quote_word_is_named_with_sentence_and_id(run_dir: Path) -> None:
    edit(
        run_dir,
        "The Stripe integration was the reason",
        "The Stripe integration was never the reason",
    )
    [f] = failures(run_dir, "quotes")
    assert f.rule == "not_verbatim" and f.id.startswith("q-") and "never the reason" in f.sentence


def test_quote_from_interviewer_turn_fails(run_dir: Path) -> None:
    run = load_run(run_dir)
    asker = next(e for e in run.evidence.values() if e.speaker_role == "interviewer")
    text = run.icp_text + f"\n## Tier 1 extra\n\n- Asked: “{asker.text}”[^{asker.id}]\n"
    rules = {f.rule for f in evaluate_run(run.with_text(text)).gate("quotes").failures}
    assert rules == {"not_interviewee"}


def test_source_edited_after_build_breaks_offsets(run_dir: Path) -> None:
    src = run_dir / "interviews" / "call-dana.txt"
    src.write_text("Preface added later.\n" + src.read_text(encoding="utf-8"), encoding="utf-8")
    assert "offset_mismatch" in {f.rule for f in failures(run_dir, "quotes")}


def test_quote_without_marker_in_gated_section_fails(run_dir: Path) -> None:
    edit(run_dir, "Personas describe people, not companies.", "They say “it just works” a lot.")
    assert [f.rule for f in failures(run_dir, "quotes")] == ["quote_without_marker"]


def test_normalisation_is_whitespace_quotes_ellipses_and_pii_only() -> None:
    assert normalise("it’s  “fine”\n now…") == normalise('it\'s "fine" now')
    assert normalise("mail me at [email redacted]") == normalise("mail me at a.b@example.com")
    assert normalise("call +1 (555) 010-2299 now") == normalise("call <phone> now")
    assert normalise("Fine") != normalise("fine")


def test_uncited_fact_unresolved_id_and_missing_footnote(run_dir: Path) -> None:
    edit(
        run_dir,
        "31 current customers match Tier 2.[^s-6221ee78]",
        "31 current customers match Tier 2.",
    )
    edit(
        run_dir,
        "Tier 1 is 38% of the open pipeline.[^s-ba8461b0]",
        "Tier 1 is 38% of the open pipeline.[^s-0badc0de]",
    )
    got = {(f.rule, f.id) for f in failures(run_dir, "citations")}
    assert ("uncited_claim", "") in got
    assert ("unresolved_id", "s-0badc0de") in got and ("missing_footnote", "s-0badc0de") in got


def test_orphan_and_wrong_numbers(run_dir: Path) -> None:
    edit(run_dir, "built from 212 scored accounts", "built from 212 scored accounts in 9 countries")
    edit(run_dir, "Tier 1 is 38% of", "Tier 1 is 39% of")
    got = {(f.rule, f.found) for f in failures(run_dir, "numbers")}
    assert got == {("number_mismatch", "9"), ("number_mismatch", "39%")}


def test_numbers_in_quotes_tier_names_dates_are_not_numbers(run_dir: Path) -> None:
    edit(
        run_dir,
        "Personas describe people, not companies.",
        "Interviews ran until 2026-04-28 for Tier 3.",
    )
    assert failures(run_dir, "numbers") == []  # the quote "two full weeks" is not counted either


def test_ratio_written_with_letter_x_matches(run_dir: Path) -> None:
    edit(run_dir, "2.4× lift over all customers", "2.4x lift over all customers")
    assert failures(run_dir, "numbers") == []


DIRECTION_CASES = [
    ("Wins more deals: 2.1× the win rate (42% vs 20%).", True),
    ("Wins fewer deals: 2.1× the win rate (42% vs 20%).", False),
    ("Churns less: 8% vs 31% for other customers.", True),
    ("Churns more: 8% vs 31% for other customers.", False),
    ("Closes faster: 32 vs 47 median days to close.", True),
    ("Closes slower: 32 vs 47 median days to close.", False),
    ("Churn is not higher: 8% vs 31% for other customers.", None),  # negated: unchecked
]


@pytest.mark.parametrize(("sentence", "ok"), DIRECTION_CASES)
def test_direction_rules(run_dir: Path, sentence: str, ok: bool | None) -> None:
    run = load_run(run_dir)
    ids = {"42%": "s-3fc687ff", "20%": "s-20a2fa02", "2.1×": "s-d3061db4", "8%": "s-1e65e80a",
           "31%": "s-bf31909e", "32": "s-ebced292", "47": "s-e078e057"}  # fmt: skip
    marks = "".join(f"[^{i}]" for tok, i in ids.items() if tok in sentence)
    doc = parse(f"## Validation\n\n{sentence}{marks}\n")
    found = comparisons(Context(doc=doc, run=run), doc.units[0])
    checked = [c for c in found if c.checked]
    if ok is None:
        assert checked == []
    else:
        assert len(checked) == 1 and checked[0].ok is ok


def test_structure_names_unknown_tier_criterion_and_persona(run_dir: Path) -> None:
    edit(run_dir, "Tier 1 is 38% of", "Tier 4 is 38% of")
    edit(run_dir, "| Region = EMEA[", "| Region = LATAM[")
    edit(
        run_dir, "### Economic buyer — CFO (Tier 1, emerging)", "### Economic buyer — CFO (Tier 1)"
    )
    edit(run_dir, "Emerging persona: only one interview so far.", "One interview so far.")
    got = {(f.rule, f.id) for f in failures(run_dir, "structure")}
    assert ("unknown_tier", "Tier 4") in got
    assert ("unknown_criterion", "region = latam") in got
    assert ("persona_not_emerging", "Economic buyer — CFO (Tier 1)") in got


def test_missing_required_section(run_dir: Path) -> None:
    edit(run_dir, "## Validation", "## Backtest")
    assert [(f.rule, f.id) for f in failures(run_dir, "structure")] == [
        ("missing_section", "Validation")
    ]


def test_missing_folder_or_artifact_is_input_error(tmp_path: Path, run_dir: Path) -> None:
    with pytest.raises(InputError):
        run_gates(tmp_path / "nope")
    (run_dir / "stats.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="stats.json"):
        run_gates(run_dir)


def test_sentence_split_keeps_markers_and_decimals() -> None:
    parts = split_sentences("Lift is 2.1× here.[^s-1] Next one “quoted.”[^q-2] Last")
    assert parts == ["Lift is 2.1× here.[^s-1]", "Next one “quoted.”[^q-2]", "Last"]


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_word_span_of_an_interviewee_turn_passes_quotes(data: st.DataObject) -> None:
    run = load_run(FIXTURE)
    turns = sorted(
        (e for e in run.evidence.values() if e.speaker_role == "interviewee"), key=lambda e: e.id
    )
    ev = data.draw(st.sampled_from(turns))
    words = ev.text.split()
    i = data.draw(st.integers(0, len(words) - 1))
    j = data.draw(st.integers(i + 1, len(words)))
    sep = data.draw(st.sampled_from([" ", "  ", "\n "]))
    quote = sep.join(words[i:j])
    text = run.icp_text + f"\n## Tier 1 more\n\n- Said: “{quote}”[^{ev.id}]\n"
    assert evaluate_run(run.with_text(text)).gate("quotes").passed
