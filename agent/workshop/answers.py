"""Answers to the marketer's questions, computed from this project's build and notes.

Every number is a `Stat` (from the build, or registered in `ChatStats` with a content-derived id)
rendered by `tools.citations.format_value` and cited; every quote is a whole evidence sentence
cited by its `q-` id. When nothing supports an answer the reply says `NO_DATA`. The four families
are: why is X Tier N, what do <role>s <topic>, churn reasons for a filtered set of companies,
and which pipeline accounts are in a tier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from agent.workshop.backend import Snapshot
from agent.workshop.grounding import ChatStats, quote
from agent.workshop.render import NO_DATA, Reply
from agent.workshop.session import WorkshopSession
from tools.citations import cite, format_stat
from tools.models import Evidence, Insight, Interviewee, Stat

TOPIC_WORDS = {"objection": "object to", "pain": "struggle with", "goal": "want",
               "trigger": "were triggered by"}  # fmt: skip
MAX_ITEMS = 6


@dataclass
class Knowledge:
    """What answers may draw on: the last build, pasted notes and the chat's statistics."""

    snap: Snapshot
    session: WorkshopSession
    tiers: dict[str, str]  # account id -> tier after the marketer's rule adjustments
    chat: ChatStats
    note_evidence: dict[str, Evidence] = field(default_factory=dict)
    note_people: list[Interviewee] = field(default_factory=list)
    note_insights: list[Insight] = field(default_factory=list)

    def stats(self) -> dict[str, Stat]:
        return {**self.snap.stats, **self.chat.all()}

    def evidence(self) -> dict[str, Evidence]:
        return {**self.snap.evidence, **self.note_evidence}


def _stat_line(st: Stat) -> str:
    return f"{st.definition}: {format_stat(st)}{cite(st.id)}"


def _roles(k: Knowledge) -> dict[tuple[str, str], Interviewee]:
    people = [*k.snap.interviewees, *k.note_people]
    return {(p.interview_id, p.name): p for p in people}


def persona_answer(k: Knowledge, role: str, topic: str) -> Reply:
    """Quotes of interviewees in a decision role about a topic (pains, goals, objections...)."""
    roles = _roles(k)
    ev = k.evidence()
    seen: set[str] = set()
    lines: list[str] = []
    for ins in [*k.snap.insights, *k.note_insights]:
        person = roles.get((ins.interview_id, ins.speaker or ""))
        if person is None and ins.speaker is None:
            person = next((p for (iid, _), p in roles.items() if iid == ins.interview_id), None)
        if (
            (role and (person is None or person.decision_role != role))
            or (topic and ins.kind != topic)
            or ins.evidence_id in seen
            or ins.evidence_id not in ev
        ):
            continue
        seen.add(ins.evidence_id)
        who = (
            f"{person.name}, {person.title}"
            if person and person.title
            else (person.name if person else "interviewee")
        )
        lines.append(f"- {ins.kind}: {quote(ev[ins.evidence_id])} ({who})")
    who = role.replace("_", " ") + "s" if role else "interviewees"
    title = f"What {who} {TOPIC_WORDS.get(topic, 'say')}"
    if not lines:
        return Reply(title, [f"{NO_DATA} No {who} in the interviews or notes say that."], "answer")
    extra = [f"(showing {MAX_ITEMS * 2} of {len(lines)})"] if len(lines) > MAX_ITEMS * 2 else []
    return Reply(title, lines[: MAX_ITEMS * 2] + extra, "answer")


def _filter(acc: pd.DataFrame, filters: dict[str, Any]) -> tuple[pd.Series, list[str]]:
    mask = pd.Series(True, index=acc.index)
    words: list[str] = []
    for fld in ("employees", "revenue"):
        if fld not in filters:
            continue
        if fld not in acc.columns:
            return pd.Series(False, index=acc.index), [f"no {fld} column"]
        lo, hi = filters[fld]
        col = pd.to_numeric(acc[fld], errors="coerce")
        if lo is not None:
            mask &= col >= lo
            words.append(f"{fld} ≥ {lo:g}")
        if hi is not None:
            mask &= (col < hi) if filters.get(f"{fld}_strict_high") else (col <= hi)
            words.append(f"{fld} {'<' if filters.get(f'{fld}_strict_high') else '≤'} {hi:g}")
    if "industry" in filters and "industry" in acc.columns:
        mask &= acc["industry"].astype(str).str.lower().str.contains(filters["industry"],
                                                                     regex=False)  # fmt: skip
        words.append(f"industry contains '{filters['industry']}'")
    return mask.fillna(False).astype(bool), words


def churn_answer(k: Knowledge, filters: dict[str, Any]) -> Reply:
    """Churned accounts in the filtered set, counted by churn reason; every count a stat."""
    acc = k.snap.accounts
    mask, words = _filter(acc, filters)
    scope = ", ".join(words) or "all accounts"
    title = f"Churn reasons ({scope})"
    if "churned" not in acc.columns or "churn_reason" not in acc.columns:
        return Reply(title, [f"{NO_DATA} Your data has no churn status or churn reason column."],
                     "answer")  # fmt: skip
    sub = acc[mask]
    churned = sub[sub["churned"].fillna(False).astype(bool)]
    if sub.empty or churned.empty:
        return Reply(title, [f"{NO_DATA} No churned accounts match {scope}."], "answer")
    key = f"churn|{scope}"
    n = k.chat.add(f"{key}|n_churned", f"churned accounts with {scope}", len(churned), len(sub),
                   "count")  # fmt: skip
    rate = k.chat.add(f"{key}|rate", f"churn rate of accounts with {scope}",
                      len(churned) / len(sub), len(sub), "pct")  # fmt: skip
    lines = [_stat_line(n), _stat_line(rate), "By reason:"]
    reasons = churned["churn_reason"].fillna("(no reason recorded)").astype(str)
    counts = reasons.value_counts(sort=False).sort_index(kind="stable")
    counts = counts.sort_values(ascending=False, kind="stable")
    for reason, cnt in counts.items():
        st = k.chat.add(f"{key}|reason|{reason}", f"churned accounts with {scope} giving "
                        f"reason '{reason}'", int(cnt), len(churned), "count")  # fmt: skip
        lines.append(f"  - {reason}: {format_stat(st)}{cite(st.id)}")
    return Reply(title, lines, "answer")


def pipeline_answer(k: Knowledge, tier: str) -> Reply:
    """Open deals whose account is in the tier (after the marketer's adjustments)."""
    deals = k.snap.deals
    title = f"Open pipeline in {k.session.tier_label(tier)}"
    if deals.empty or "deal_stage" not in deals.columns:
        return Reply(title, [f"{NO_DATA} Your data has no deals table with a stage."], "answer")
    open_ = deals[deals["deal_stage"].astype(str) == "open"]
    if open_.empty:
        return Reply(title, [f"{NO_DATA} There are no open deals."], "answer")
    tiers = open_["account_id"].astype(str).map(k.tiers).fillna("not tiered")
    hit = open_[(tiers == tier).to_numpy()]
    n = k.chat.add(f"pipeline|{tier}|n", f"open deals at {tier} accounts", len(hit), len(open_),
                   "count")  # fmt: skip
    share = k.chat.add(f"pipeline|{tier}|share", f"share of open deals at {tier} accounts",
                       len(hit) / len(open_), len(open_), "pct")  # fmt: skip
    lines = [_stat_line(n), _stat_line(share)]
    names = k.snap.accounts.set_index(k.snap.accounts["account_id"].astype(str))
    names = names["name"] if "name" in names.columns else pd.Series(dtype=str)
    for aid in sorted(set(hit["account_id"].astype(str)))[:20]:
        lines.append(f"  - {names.get(aid, aid)} ({aid})")
    if hit.empty:
        lines.append(f"None of the open deals is at a {tier} account.")
    return Reply(title, lines, "answer")


def tier_counts(tiers: dict[str, str]) -> dict[str, int]:
    values, counts = np.unique(np.array(list(tiers.values()) or [""], dtype=object).astype(str),
                               return_counts=True)  # fmt: skip
    return {str(v): int(c) for v, c in zip(values, counts, strict=True) if v}
