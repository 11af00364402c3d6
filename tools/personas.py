"""Merge interviewees into personas per decision role and ICP tier, and link them to accounts.

A persona needs at least two distinct interviewees; otherwise it is an *emerging* persona. Tier
comes from the interviewee's linked account (None when unlinked, and said so). Titles are the
real titles from the interviews, never guessed; insights keep their evidence ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd
from rapidfuzz import fuzz, process

from tools.ids import persona_id
from tools.models import DecisionRole, Insight, Interviewee, Persona

COMPANY_SUFFIX = re.compile(r"\b(inc|llc|ltd|gmbh|as|ag|sa|bv|corp|co|plc|dev)\b\.?", re.I)


def _norm_company(name: str) -> str:
    return re.sub(r"\s+", " ", COMPANY_SUFFIX.sub("", name.lower())).strip(" .,")


def link_interviews(
    interviewees: Sequence[Interviewee], accounts_df: pd.DataFrame, threshold: float = 88.0
) -> dict[str, str | None]:
    """interview_id -> account_id by explicit id, domain, or fuzzy company name (else None)."""
    ids = set(accounts_df["account_id"].astype(str)) if "account_id" in accounts_df else set()
    names: dict[str, str] = {}
    if "name" in accounts_df:
        sub = accounts_df.dropna(subset=["name"])
        names = dict(
            zip(
                sub["name"].astype(str).map(_norm_company),
                sub["account_id"].astype(str),
                strict=False,
            )
        )
    domains: dict[str, str] = {}
    if "domain" in accounts_df:
        sub = accounts_df.dropna(subset=["domain"])
        roots = (
            sub["domain"]
            .astype(str)
            .str.lower()
            .str.replace(r"^(https?://)?(www\.)?", "", regex=True)
        )
        domains = dict(
            zip(roots.str.split(".").str[0], sub["account_id"].astype(str), strict=False)
        )
    out: dict[str, str | None] = {}
    for iv in sorted(interviewees, key=lambda x: x.interview_id):
        if out.get(iv.interview_id):
            continue
        out[iv.interview_id] = _link_one(iv, ids, names, domains, threshold)
    return out


def _link_one(
    iv: Interviewee, ids: set[str], names: dict[str, str], domains: dict[str, str], threshold: float
) -> str | None:
    if iv.account_id and iv.account_id in ids:
        return iv.account_id
    if not iv.company:
        return None
    co = _norm_company(iv.company)
    if co in names:
        return names[co]
    key = re.sub(r"[^a-z0-9]", "", co)
    if key and key in domains:
        return domains[key]
    if names:
        hit = process.extractOne(co, sorted(names), scorer=fuzz.token_sort_ratio)
        if hit and hit[1] >= threshold:
            return names[hit[0]]
    return None


def build_personas(
    interviewees: Sequence[Interviewee],
    insights: Sequence[Insight],
    tier_of_account: dict[str, str],
) -> list[Persona]:
    """One persona per (decision role, tier); emerging when fewer than two interviewees."""
    groups: dict[tuple[DecisionRole, str | None], list[Interviewee]] = {}
    for iv in interviewees:
        tier = tier_of_account.get(iv.account_id) if iv.account_id else None
        groups.setdefault((iv.decision_role, tier), []).append(iv)
    out: list[Persona] = []
    for (role, tier), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "~")):
        people = {(m.interview_id, m.name) for m in members}
        mine = [
            i
            for i in insights
            if (i.interview_id, i.speaker) in people
            or (i.speaker is None and i.interview_id in {p[0] for p in people})
        ]
        titles = sorted(
            {m.title for m in members if m.title and not m.title_inferred}
            | {m.title for m in members if m.title and m.title_inferred}
        )
        out.append(
            Persona(
                id=persona_id(role, tier),
                decision_role=role,
                tier=tier,  # type: ignore[arg-type]
                titles=titles,
                interviewees=sorted({m.interview_id for m in members}),
                emerging=len(people) < 2,
                insights=sorted(mine, key=lambda i: (i.kind, -i.score, i.evidence_id)),
            )
        )
    return out
