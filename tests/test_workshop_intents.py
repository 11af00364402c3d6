"""The offline intent parser (table-driven) and the answer groundedness check."""

from __future__ import annotations

import pytest

from agent.workshop.grounding import check_answer, quote
from agent.workshop.intents import parse
from agent.workshop.llm_chat import lead_problems
from tools.citations import StatBook
from tools.models import Evidence

CASES = [
    ("help", "help", {}),
    ("quit", "quit", {}),
    ("paste", "paste", {}),
    ('"""', "paste", {}),
    ("load customers a.csv 'my deals.csv'", "load_customers", {"paths": ["a.csv", "my deals.csv"]}),
    ("load interviews examples/acme/interviews", "load_interviews",
     {"paths": ["examples/acme/interviews"]}),
    ("show mapping", "show_mapping", {}),
    ("show data sufficiency", "show_sufficiency", {}),
    ('fix mapping "Number of Employees" as employees', "fix_mapping",
     {"column": "Number of Employees", "field": "employees"}),
    ("set weight revenue 30", "set_weight", {"component": "revenue", "value": 30.0}),
    ("set NPS weight to 25%", "set_weight", {"component": "satisfaction", "value": 25.0}),
    ("exclude segment industry=Retail", "exclude", {"attribute": "industry", "value": "Retail"}),
    ("tighten range employees 50-150", "tighten", {"attribute": "employees", "low": 50.0,
                                                   "high": 150.0}),
    ("tighten revenue to $1M to $5M", "tighten", {"attribute": "revenue", "low": 1e6, "high": 5e6}),
    ('rename tier 1 to "Core fintech"', "rename_tier", {"tier": "Tier 1", "name": "Core fintech"}),
    ("approve persona economic buyer", "persona_decision",
     {"persona": "economic_buyer", "decision": "approved"}),
    ("reject p-1a2b3c4d", "persona_decision", {"persona": "p-1a2b3c4d", "decision": "rejected"}),
    ("draft", "draft", {}),
    ("regenerate", "draft", {}),
    ("review", "review", {}),
    ("why is fintech Tier 1?", "ask_why_tier", {"subject": "fintech", "tier": "Tier 1"}),
    ("Why are banks in tier two", "ask_why_tier", {"subject": "banks", "tier": "Tier 2"}),
    ("what do economic buyers object to?", "ask_persona",
     {"role": "economic_buyer", "topic": "objection"}),
    ("what pains do champions mention?", "ask_persona", {"role": "champion", "topic": "pain"}),
    ("show churn reasons for companies under 50 employees", "ask_churn",
     {"filters": {"employees": [None, 50.0], "employees_strict_high": True}}),
    ("churn reasons in fintech", "ask_churn", {"filters": {"industry": "fintech"}}),
    ("which accounts in my pipeline are Tier 1?", "ask_pipeline", {"tier": "Tier 1"}),
    ("what is the weather on mars?", "unknown", {"text": "what is the weather on mars?"}),
    ("", "empty", {}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "args"), CASES)
def test_parser_table(text: str, kind: str, args: dict) -> None:
    intent = parse(text)
    assert (intent.kind, intent.args, intent.error) == (kind, args, "")


@pytest.mark.parametrize(("text", "kind", "word"), [
    ("set weight happiness 30", "set_weight", "not a health component"),
    ("tighten range employees 200-50", "tighten", "upside down"),
    ('fix mapping "Foo" as bogus_field', "fix_mapping", "not a field"),
])  # fmt: skip
def test_parser_explains_bad_arguments(text: str, kind: str, word: str) -> None:
    intent = parse(text)
    assert intent.kind == kind and word in intent.error


SOURCE = "Ana: The price is too high for us. Honestly."
EV = Evidence(id="q-0000abcd", interview_id="n", source="/x", start=5, end=33,
              speaker="Ana", speaker_role="interviewee", text=SOURCE[5:33])  # fmt: skip
BOOK = StatBook()
STAT = BOOK.add("k", "churn rate", 0.25, 8, "pct")


def test_check_answer_accepts_grounded_text() -> None:
    text = f"Churn is 25%[^{STAT.id}]. {quote(EV)}"
    assert check_answer(text, {STAT.id: STAT}, {EV.id: EV}) == []


@pytest.mark.parametrize(("text", "problem"), [
    ("Churn is 25%[^s-deadbeef].", "does not resolve"),
    ("“The price is fine for us.”[^q-0000abcd]", "not verbatim"),
    ("“price”[^q-99999999]", "does not resolve"),
])  # fmt: skip
def test_check_answer_rejects(text: str, problem: str) -> None:
    assert any(problem in p for p in check_answer(text, {STAT.id: STAT}, {EV.id: EV}))


def test_interviewer_words_are_not_quotes() -> None:
    ev = EV.model_copy(update={"speaker_role": "interviewer"})
    assert check_answer(quote(ev), {}, {ev.id: ev}) == [
        f"quote {ev.id} is not an interviewee's words"
    ]


def test_llm_lead_may_not_add_numbers_or_ids() -> None:
    body = f"churn rate: 25%[^{STAT.id}]"
    stats = {STAT.id: STAT}
    assert lead_problems(f"A quarter churn, 25%[^{STAT.id}].", body, stats, {}) == []
    assert lead_problems(f"Churn is 40%[^{STAT.id}].", body, stats, {})
    assert lead_problems("Churn is 25%[^s-12345678].", body, stats, {})
