"""Lint for the common ICP mistakes (SPEC §2), each finding with what to do about it.

Checks: too little data (<30 accounts; <~50 won deals = directional only), criteria too broad
(a numeric range spanning an order of magnitude or more, Tier 1 matching over 40% of accounts),
no negative ICP, persona traits (titles, roles) used as company criteria, stale data (newest
date older than 6 months before `as_of`), and tiers that do not separate fit (Tier 1 not
healthier or not churning less than everyone: chosen for size rather than fit).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from tools.citations import StatBook, format_stat
from tools.fitrules import FitRules
from tools.models import LintFinding, NegativeSignal, PatternTest

MIN_ACCOUNTS, MIN_WON = 30, 50
TIER1_MAX_SHARE = 0.4
STALE_DAYS = 183
PERSONA_RE = re.compile(
    r"(^|_|\b)(job|title|role|persona|position|seniority|department|function|buyer|"
    r"contact|champion)(_|\b|s\b|$)",
    re.IGNORECASE,
)
DATE_COLUMNS = ("start_date", "churn_date", "deal_created", "deal_closed")


def is_persona_attribute(name: str, label: str = "") -> bool:
    """Whether an attribute describes a person (job title, role) rather than a company."""
    return bool(PERSONA_RE.search(name) or PERSONA_RE.search(label))


def _f(
    code: str, severity: Literal["high", "medium", "low"], message: str, fix: str, ids: list[str]
) -> LintFinding:
    return LintFinding(code=code, severity=severity, message=message, fix=fix, stat_ids=ids)


def _data_volume(accounts: pd.DataFrame, deals: pd.DataFrame, book: StatBook) -> list[LintFinding]:
    out = []
    n = book.add("lint:n_accounts", "customer accounts analysed (reliable patterns need at least 30, ideally 100+)", len(accounts), len(accounts),
                 "count")  # fmt: skip
    if len(accounts) < MIN_ACCOUNTS:
        out.append(_f(
            "too_little_data", "high",
            f"Only {format_stat(n)} accounts: too few for reliable patterns.",
            f"Add more customers (at least {MIN_ACCOUNTS}, ideally 100+) or treat every tier "
            "as a hypothesis to test in interviews.", [n.id],
        ))  # fmt: skip
    won = int(deals["deal_stage"].eq("won").sum()) if "deal_stage" in deals.columns else 0
    w = book.add(
        "lint:n_won_deals",
        "won deals in the data (under ~50 the ICP is directional only)",
        won,
        len(deals),
        "count",
    )
    if won < MIN_WON:
        out.append(_f(
            "directional_only", "medium",
            f"{format_stat(w)} won deals (fewer than ~{MIN_WON}): the ICP is directional only.",
            "Export the full deal history (won and lost) from the CRM, or re-run once more "
            "deals have closed.", [w.id],
        ))  # fmt: skip
    return out


def _breadth(rules: FitRules, tiers: np.ndarray, book: StatBook) -> list[LintFinding]:
    out = []
    for c in rules.criteria:
        if c.kind == "range" and c.low and c.low > 0 and c.high and c.high / c.low >= 10:
            s = book.add(f"lint:range_span:{c.id}", f"high/low ratio of the range {c.signal}",
                         c.high / c.low, 1, "ratio")  # fmt: skip
            out.append(_f(
                "criterion_too_broad", "medium",
                f"The range {c.signal} spans {format_stat(s)} (an order of magnitude or more).",
                "Narrow the range in icp.yaml to where the best customers cluster, or split it "
                "into two criteria with different points.", [s.id],
            ))  # fmt: skip
    if len(tiers):
        share = float(np.mean(tiers == "Tier 1"))
        s = book.add(
            "lint:tier1_share",
            f"share of all accounts in Tier 1 (over {TIER1_MAX_SHARE:.0%} is too broad)",
            share, len(tiers), "pct",
        )  # fmt: skip
        if share > TIER1_MAX_SHARE:
            out.append(_f(
                "tier1_too_broad", "high",
                f"Tier 1 matches {format_stat(s)} of all accounts: that is not a focus.",
                "Require more Tier 1 criteria (raise cutoffs.tier_1) or tighten their values.",
                [s.id],
            ))  # fmt: skip
    return out


def _persona(rules: FitRules, patterns: list[PatternTest]) -> list[LintFinding]:
    out = [
        _f("persona_as_company_criterion", "high",
           f"'{c.attribute}' describes a person (title or role), not a company.",
           "Remove it from icp.yaml criteria; describe it under buyer personas instead.",
           c.stat_ids)
        for c in rules.criteria + rules.disqualifiers if is_persona_attribute(c.attribute)
    ]  # fmt: skip
    kept_out = sorted({p.attribute for p in patterns if p.status == "significant"
                       and is_persona_attribute(p.attribute, p.label)})  # fmt: skip
    if kept_out:
        out.append(_f(
            "persona_trait_kept_out", "low",
            f"Significant person-level traits ({', '.join(kept_out)}) were kept out of the "
            "company criteria.", "Use them when writing buyer personas.", [],
        ))  # fmt: skip
    return out


def _staleness(
    accounts: pd.DataFrame, deals: pd.DataFrame, as_of: date, book: StatBook
) -> list[LintFinding]:
    latest = [
        pd.to_datetime(df[c], errors="coerce").max()
        for df in (accounts, deals) for c in DATE_COLUMNS if c in df.columns
    ]  # fmt: skip
    latest = [d for d in latest if pd.notna(d)]
    if not latest:
        return [_f("data_age_unknown", "low", "No dates in the data: freshness is unknown.",
                   "Include start, churn or deal dates in the export.", [])]  # fmt: skip
    age = (pd.Timestamp(as_of) - max(latest)).days
    s = book.add(
        "lint:data_age_days",
        f"days between the newest date in the data and as-of (stale after {STALE_DAYS} days; "
        "review the ICP every 6 months)",
        age, 1, "days",
    )  # fmt: skip
    if age <= STALE_DAYS:
        return []
    return [_f(
        "stale_data", "medium", f"The newest record is {format_stat(s)} days old.",
        "Export fresh data: review the ICP every 6 months, recalibrate scoring quarterly, "
        "audit the pipeline monthly.", [s.id],
    )]  # fmt: skip


def _fit_over_size(
    accounts: pd.DataFrame, tiers: np.ndarray, health: pd.Series, book: StatBook
) -> list[LintFinding]:
    t1 = tiers == "Tier 1"
    if not t1.any() or t1.all():
        return []
    h = pd.to_numeric(health, errors="coerce").to_numpy(dtype=float)
    ids, worse = [], False
    if np.isfinite(h[t1]).any():
        a = book.add(
            "lint:tier1_health",
            "mean health score of Tier 1 customers",
            float(np.nanmean(h[t1])),
            int(np.isfinite(h[t1]).sum()),
            "score",
        )
        b = book.add("lint:all_health", "mean health score of all customers",
                     float(np.nanmean(h)), int(np.isfinite(h).sum()), "score")  # fmt: skip
        ids, worse = [a.id, b.id], a.value <= b.value  # type: ignore[operator]  # both added as floats
    if "churned" in accounts.columns:
        c = (
            accounts["churned"]
            .astype("boolean")
            .astype("Float64")
            .to_numpy(dtype=float, na_value=np.nan)
        )
        if np.isfinite(c[t1]).any():
            worse = worse or bool(np.nanmean(c[t1]) >= np.nanmean(c))
    if not worse:
        return []
    return [_f(
        "tiers_not_fit", "high",
        "Tier 1 customers are not healthier (or churn no less) than customers overall: the "
        "tiers look chosen for size or volume rather than fit.",
        "Build Tier 1 from traits of the healthiest customers, not the biggest segments; "
        "check the pattern analysis for what actually separates them.", ids,
    )]  # fmt: skip


def lint_icp(
    accounts: pd.DataFrame,
    deals: pd.DataFrame,
    rules: FitRules,
    tiers: np.ndarray,
    patterns: list[PatternTest],
    negative: list[NegativeSignal],
    health: pd.Series,
    *,
    book: StatBook,
    as_of: date,
) -> list[LintFinding]:
    """All lint findings, most severe first (stable within a severity)."""
    out = _data_volume(accounts, deals, book) + _breadth(rules, tiers, book)
    if not negative:
        out.append(_f(
            "no_negative_icp", "medium",
            "No negative ICP: no trait is significantly over-represented among bad-fit "
            "customers.", "Add loss reasons and churn reasons to the export, and ask sales who "
            "they would never sell to again; add those as disqualifiers in icp.yaml.", [],
        ))  # fmt: skip
    out += _persona(rules, patterns) + _staleness(accounts, deals, as_of, book)
    out += _fit_over_size(accounts, tiers, health, book)
    order = {"high": 0, "medium": 1, "low": 2}
    return sorted(out, key=lambda f: order[f.severity])


def behavioural_tier1(rules: FitRules, groups: dict[str, str]) -> list[LintFinding]:
    """Tier 1 built on product behaviour (usage, seats, plan) cannot score prospects."""
    used = sorted(
        {
            c.signal
            for c in rules.criteria
            if c.tier == 1 and groups.get(c.attribute) == "behavioural"
        }
    )
    if not used:
        return []
    return [_f(
        "behavioural_criteria", "medium",
        f"Tier 1 relies on customer behaviour ({', '.join(used)}) that prospects do not have yet.",
        "Use these criteria for expansion and retention plays; for prospecting, add firmographic "
        "or technographic data to the export (industry, size, tech stack) and re-run.",
        [s for c in rules.criteria if c.signal in used for s in c.stat_ids[:1]],
    )]  # fmt: skip


def tier_order(book: StatBook) -> list[LintFinding]:
    """A lower tier doing clearly better than Tier 1 on churn or win rate deserves a look."""
    out = []
    for metric, words, lower_is_better in (
        ("churn_rate", "churn", True),
        ("win_rate", "win rate", False),
    ):
        t1 = book.by_key(f"tier:1.{metric}")
        if t1 is None:
            continue
        for level in (2, 3):
            other = book.by_key(f"tier:{level}.{metric}")
            if other is None:
                continue
            a, b = other.value, t1.value
            if a is None or b is None:
                continue
            better = a < b if lower_is_better else a > b
            if better and format_stat(other) != format_stat(t1):
                out.append(_f(
                    "tier_order", "low",
                    f"Tier {level} does better than Tier 1 on {words}: {format_stat(other)} for "
                    f"Tier {level}, {format_stat(t1)} for Tier 1.",
                    "With small groups this can be chance (see the intervals in each tier's "
                    "table); if it holds on more data, revisit the Tier 1 criteria.",
                    [other.id, t1.id],
                ))  # fmt: skip
    return out
