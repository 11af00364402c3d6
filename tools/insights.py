"""Offline, deterministic extraction of decision roles and persona insights from evidence.

Each interviewee sentence is scored against labelled prototype statements (cosine similarity of
embeddings, when an `embed` function is given) plus keyword rules; the best kind above a
threshold becomes an `Insight` whose text *is* the evidence text and which cites that evidence
id. The decision role comes from the stated title first, then from what the person says; the
reason names the rule that fired. With `embed=None` only keywords are used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np

from tools.insight_prototypes import (
    KEYWORDS,
    PHRASE_MARKERS,
    PROTOTYPES,
    QUESTION_KINDS,
    ROLE_KEYWORDS,
    TITLE_RULES,
)
from tools.models import DecisionRole, Evidence, Insight, Interviewee

Embed = Callable[[list[str]], np.ndarray]
KINDS = list(PROTOTYPES)
SIM_FLOOR = 0.35  # below this similarity a prototype match does not count
PER_KIND = 3


_PROTOTYPE_CACHE: dict[int, tuple[Embed, np.ndarray]] = {}


def _prototype_vectors(embed: Embed) -> np.ndarray:
    """The prototype statements embedded once per embedding function (one per interview before)."""
    hit = _PROTOTYPE_CACHE.get(id(embed))
    if hit is None or hit[0] is not embed:
        protos = [p for k in KINDS for p in PROTOTYPES[k]]
        hit = (embed, np.asarray(embed(protos), dtype=np.float32))
        _PROTOTYPE_CACHE[id(embed)] = hit
    return hit[1]


def score_statements(texts: Sequence[str], embed: Embed | None) -> np.ndarray:
    """(n, kinds) scores: 0.7 * best prototype similarity + 0.3 * keyword hit."""
    kw = np.array(
        [[1.0 if re.search(KEYWORDS[k], t, re.I) else 0.0 for k in KINDS] for t in texts]
    ).reshape(len(texts), len(KINDS))
    if embed is None or not texts:
        return _sentiment_guard(texts, kw)
    owner = np.array([KINDS.index(k) for k in KINDS for _ in PROTOTYPES[k]])
    vecs = np.asarray(embed(list(texts)), dtype=np.float32)
    sims = vecs @ _prototype_vectors(embed).T
    best = np.stack([sims[:, owner == j].max(axis=1) for j in range(len(KINDS))], axis=1)
    return _sentiment_guard(texts, 0.7 * best + 0.3 * kw)


POSITIVE = re.compile(
    r"\b(easy|easier|love[ds]?|great|cleaner|works? (?:really )?well|amazing|"
    r"bulletproof|perfect|fast)\b",
    re.I,
)
NEGATIVE = re.compile(r"\b(not|no|never|hard|difficult|slow|bad|worse|pain\w*|problem\w*)\b", re.I)


def _sentiment_guard(texts: Sequence[str], scores: np.ndarray) -> np.ndarray:
    """A purely positive sentence is praise, not a pain or an objection."""
    out = scores.copy()
    praise = np.array(
        [bool(POSITIVE.search(t)) and not NEGATIVE.search(t) for t in texts], dtype=bool
    )
    for kind in ("pain", "objection"):
        out[praise, KINDS.index(kind)] *= 0.5
    return out


QUESTION_BOOST = 0.3  # what was asked is strong evidence of what kind of answer it is
CONTEXT_GAP = 400  # characters: a question further back than this no longer frames the answer


def question_kind(text: str) -> str | None:
    """The insight kind a question or note lead-in asks for, if it is clear."""
    for kind, pattern in QUESTION_KINDS:
        if re.search(pattern, text, re.I):
            return kind
    return None


def context_kinds(mine: Sequence[Evidence], evidence: Sequence[Evidence]) -> list[str | None]:
    """For each interviewee item, the kind asked for by the interviewer turn or note text
    just before it (or the note bullet around it)."""
    others: dict[str, list[Evidence]] = {}
    for ev in evidence:
        if ev.speaker_role in ("interviewer", "narration"):
            others.setdefault(ev.interview_id, []).append(ev)
    out: list[str | None] = []
    for ev in mine:
        before = [c for c in others.get(ev.interview_id, []) if c.start <= ev.start]
        if not before:
            out.append(None)
            continue
        c = max(before, key=lambda x: (x.start, -x.end))
        if c.end > ev.start:  # a note bullet that holds the quote: its lead-in frames it
            lead = c.text[: ev.start - c.start]
        elif ev.start - c.end <= CONTEXT_GAP:
            lead = c.text
        else:
            lead = ""
        out.append(question_kind(lead[-300:]) if lead else None)
    return out


def classify_statements(
    texts: Sequence[str], embed: Embed | None, asked: Sequence[str | None] | None = None
) -> list[tuple[str | None, float]]:
    """Best insight kind per statement (None when nothing is convincing) and its score.

    `asked` gives, per statement, the kind the preceding question asked for (or None); it
    raises that kind's score by QUESTION_BOOST.
    """
    scores = score_statements(texts, embed)
    told: set[int] = set()  # answers to "what is your role?": responsibilities, nothing else
    if asked is not None and len(texts):
        for i, kind in enumerate(asked):
            if kind in KINDS:
                scores[i, KINDS.index(kind)] += QUESTION_BOOST
            elif kind == "responsibility":
                told.add(i)
    floor = 0.5 if embed is None else 0.7 * SIM_FLOOR
    out: list[tuple[str | None, float]] = []
    for i, row in enumerate(scores):
        if i in told:
            out.append(("responsibility", 1.0))
            continue
        j = int(np.argmax(row))  # argmax picks the first kind on ties: deterministic
        out.append((KINDS[j], float(row[j])) if row[j] >= floor else (None, float(row[j])))
    return out


def title_role(title: str | None) -> tuple[DecisionRole | None, str]:
    if not title:
        return None, ""
    for pattern, role in TITLE_RULES:
        m = re.search(pattern, title, re.I)
        if m:
            return role, f"title '{title}' matches '{m.group(0)}'"  # type: ignore[return-value]
    return None, ""


def decide_role(title: str | None, statements: Sequence[str]) -> tuple[DecisionRole, str]:
    """Decision role and reason: blocker/champion language overrides weak titles."""
    joined = " ".join(statements)
    counts = {r: len(re.findall(p, joined, re.I)) for r, p in ROLE_KEYWORDS.items()}
    by_title, why = title_role(title)
    if counts["blocker"] >= 2 or (counts["blocker"] and counts["champion"] == 0 and not by_title):
        return "blocker", f"says {counts['blocker']} thing(s) that block the purchase"
    if by_title in ("technical_buyer", "economic_buyer"):
        return by_title, why
    if counts["champion"] >= 2 and by_title != "technical_buyer":
        return "champion", f"advocates for the product ({counts['champion']} advocacy statements)"
    if by_title:
        return by_title, why
    ranked = sorted(
        ("economic_buyer", "technical_buyer", "end_user", "champion"), key=lambda r: -counts[r]
    )
    if counts[ranked[0]] == 0:
        return "end_user", "no title and no buying language: treated as an end user"
    return ranked[
        0
    ], f"no title; language is mostly {ranked[0].replace('_', ' ')} ({counts[ranked[0]]} cue(s))"  # type: ignore[return-value]


def _person_key(ev: Evidence) -> tuple[str, str]:
    return ev.interview_id, ev.speaker


def extract_insights(
    interviews: Sequence[object], evidence: Sequence[Evidence], embed: Embed | None
) -> tuple[list[Interviewee], list[Insight]]:
    """Interviewees (with decision role and reason) and their cited insights."""
    del interviews  # evidence already carries interview, speaker and title
    mine = [ev for ev in evidence if ev.speaker_role == "interviewee"]
    labels = classify_statements([ev.text for ev in mine], embed, context_kinds(mine, evidence))
    people: dict[tuple[str, str], list[int]] = {}
    for i, ev in enumerate(mine):
        people.setdefault(_person_key(ev), []).append(i)
    interviewees: list[Interviewee] = []
    insights: list[Insight] = []
    for key in sorted(people):
        idx = people[key]
        first = mine[idx[0]]
        role, reason = decide_role(first.title, [mine[i].text for i in idx])
        interviewees.append(
            Interviewee(
                interview_id=key[0],
                source=first.source,
                name=key[1] or "unnamed interviewee",
                title=first.title,
                title_inferred=first.title_inferred,
                company=first.company,
                account_id=first.account_id,
                decision_role=role,
                role_reason=reason,
                n_evidence=len(idx),
            )
        )
        insights += _person_insights([mine[i] for i in idx], [labels[i] for i in idx])
    return interviewees, insights


MIN_INSIGHT_WORDS = 4


def _person_insights(evs: list[Evidence], labels: list[tuple[str | None, float]]) -> list[Insight]:
    out: list[Insight] = []
    first: dict[str, int] = {}  # a pull quote repeating an inline quote counts once
    for i, ev in enumerate(evs):
        first.setdefault(" ".join(re.sub(r"[^\w\s]", "", ev.text.lower()).split()), i)
    keep = {i for i in first.values() if _quotable(evs[i].text)}
    for kind in [*KINDS, "responsibility"]:
        ranked = sorted(
            (i for i, (k, _) in enumerate(labels) if k == kind and i in keep),
            key=lambda i: (-labels[i][1], evs[i].start),
        )
        out += [_insight(evs[i], kind, labels[i][1]) for i in ranked[:PER_KIND]]
    phrases = [
        i
        for i, ev in enumerate(evs)
        if i in keep and re.search(PHRASE_MARKERS, ev.text, re.I) and len(ev.text.split()) <= 25
    ]
    out += [_insight(evs[i], "phrase", 1.0) for i in phrases[:PER_KIND]]
    return out


def _quotable(text: str) -> bool:
    """Short fragments and markup (bold labels, footnote syntax) are not usable insights."""
    words = text.split()
    return len(words) >= MIN_INSIGHT_WORDS and "[^" not in text and "**" not in text


def _insight(ev: Evidence, kind: str, score: float) -> Insight:
    return Insight(
        interview_id=ev.interview_id,
        kind=cast(Any, kind),  # one of KINDS or "phrase"; pydantic validates the literal
        evidence_id=ev.id,  # type: ignore[arg-type]
        text=ev.text,
        score=round(score, 4),
        speaker=ev.speaker,
    )
