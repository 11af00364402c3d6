"""Insight extraction accuracy on the labelled set, personas and account linking."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from agent.retrieval import MiniLMEmbedding
from tools.evidence import build_evidence
from tools.insights import classify_statements, decide_role, extract_insights
from tools.models import Interviewee
from tools.personas import build_personas, link_interviews
from tools.transcripts import parse_text

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "evals" / "datasets" / "roles"


def _load(name: str) -> list[dict]:
    return [json.loads(x) for x in (SET / name).read_text(encoding="utf-8").splitlines() if x]


def _report(title: str, pairs: list[tuple[str, str | None]]) -> float:
    total, right = Counter(), Counter()
    for gold, got in pairs:
        total[gold] += 1
        right[gold] += gold == got
    print(f"\n{title}: overall {sum(right.values())}/{len(pairs)}")
    for k in sorted(total):
        print(f"  {k:<20} {right[k]}/{total[k]} = {right[k] / total[k]:.0%}")
    return sum(right.values()) / len(pairs)


@pytest.fixture(scope="module")
def embed():
    return MiniLMEmbedding().embed


def test_statement_kinds_accuracy_offline(embed):
    rows = _load("statements.jsonl")
    assert len(rows) >= 40
    got = classify_statements([r["text"] for r in rows], embed)
    acc = _report(
        "insight kind (embedding + keywords)",
        [(r["kind"], g[0]) for r, g in zip(rows, got, strict=True)],
    )
    kw = classify_statements([r["text"] for r in rows], None)
    _report(
        "insight kind (keywords only)", [(r["kind"], g[0]) for r, g in zip(rows, kw, strict=True)]
    )
    assert acc >= 0.7


def test_decision_role_accuracy():
    rows = _load("people.jsonl")
    assert len(rows) >= 15
    acc = _report(
        "decision role", [(r["role"], decide_role(r["title"], r["statements"])[0]) for r in rows]
    )
    assert acc >= 0.7


def _note(name: str, who: str, title: str, body: str):
    text = f"---\ninterviewee: {who}\ntitle: {title}\ncompany: {name}\n---\n" + body
    return parse_text(text, name)


def test_insights_cite_interviewee_evidence_and_personas_merge(embed):
    ivs = [
        _note(
            "Acme",
            "Ann Bell",
            "CFO",
            "Host: Budget?\nAnn Bell: The price is too high for "
            "us. We wanted one place for every forecast.\nHost: Price is fine?\n",
        ),
        _note(
            "Bolt Inc",
            "Cy Dorn",
            "Founder",
            "Host: Why?\nCy Dorn: Our old vendor doubled "
            "its prices at renewal, so we started looking.\n",
        ),
        _note(
            "Cora",
            "Di Eng",
            "CTO",
            "Host: Setup?\nDi Eng: Self-hosting behind our LDAP was painful and slow.\n",
        ),
    ]
    ev = build_evidence(ivs)
    people, insights = extract_insights(ivs, ev, embed)
    by_id = {e.id: e for e in ev}
    assert insights and all(
        by_id[i.evidence_id].speaker_role == "interviewee" and by_id[i.evidence_id].text == i.text
        for i in insights
    )
    assert not any("Price is fine" in i.text for i in insights)
    roles = {p.name: p.decision_role for p in people}
    assert roles == {
        "Ann Bell": "economic_buyer",
        "Cy Dorn": "economic_buyer",
        "Di Eng": "technical_buyer",
    }
    accounts = pd.DataFrame(
        {
            "account_id": ["A1", "B2"],
            "name": ["ACME Inc.", "Bolt"],
            "domain": ["acme.com", "bolt.io"],
        }
    )
    links = link_interviews(people, accounts)
    assert links == {"acme": "A1", "bolt-inc": "B2", "cora": None}
    linked = [p.model_copy(update={"account_id": links[p.interview_id]}) for p in people]
    personas = build_personas(linked, insights, {"A1": "Tier 1", "B2": "Tier 1"})
    eco = [p for p in personas if p.decision_role == "economic_buyer"]
    assert len(eco) == 1 and eco[0].tier == "Tier 1" and not eco[0].emerging
    assert eco[0].interviewees == ["acme", "bolt-inc"] and eco[0].titles == ["CFO", "Founder"]
    tech = [p for p in personas if p.decision_role == "technical_buyer"][0]
    assert tech.emerging and tech.tier is None
    assert all(i.interview_id == "cora" for i in tech.insights)


def test_emerging_when_one_person_even_with_many_insights():
    iv = Interviewee(
        interview_id="x",
        source="x",
        name="Z",
        title="CTO",
        decision_role="technical_buyer",
        role_reason="title",
    )
    personas = build_personas([iv], [], {})
    assert personas[0].emerging and personas[0].tier is None
