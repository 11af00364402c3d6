"""From significant patterns to Tier 1/2/3, the negative ICP and the `FitRules` that encode them.

Points scheme (written into `icp.yaml`, so tier membership *is* rules scoring): the strongest
significant ideal-direction patterns on distinct attributes become Tier 1 criteria (10 points
each); further significant ideal patterns become Tier 2 criteria (3 points each, at most three,
so they can never add up to a Tier 1 criterion); suggestive but not significant ones give
1 point (at most two). Tier 1 = all Tier 1 criteria (all but one when there are three),
Tier 2 = 6 points (one Tier 1 criterion or two Tier 2 criteria), Tier 3 = any positive signal.
Significant bad-fit patterns become disqualifiers unless they overlap a positive criterion.
With no significant pattern the tiers say "insufficient evidence" and set no criteria.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from tools.citations import StatBook, format_stat
from tools.drift import baseline_for, tier_baseline
from tools.fitrules import TIER_NAMES, Cutoffs, FitRules, Provenance, RuleCriterion, match
from tools.fitrules import score_frame as _score
from tools.lint import behavioural_tier1, is_persona_attribute, lint_icp, tier_order
from tools.models import (
    AttributeSpec,
    Criterion,
    LintFinding,
    NegativeSignal,
    PatternTest,
    Stat,
    Tier,
)
from tools.tier_outcomes import group_outcomes, wilson
from tools.validation import ValidationReport, evaluate

POINTS = {1: 10, 2: 3, 3: 1}
MAX_TIER1, MAX_TIER2, MAX_WEAK = 3, 3, 2
WEAK_LIFT, WEAK_MIN_N = 1.2, 10
# A disqualifier rejects accounts outright, so it must be specific: a trait shared by more than
# this share of all customers is a warning sign (deprioritise), not a rule.
MAX_DISQUALIFIER_SHARE = 0.25
INSUFFICIENT_EVIDENCE = (
    "Insufficient evidence: no trait separates the best customers from the worst beyond "
    "chance, so no criteria are set for this tier."
)


class IcpModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    tiers: list[Tier]
    negative: list[NegativeSignal]
    lint: list[LintFinding]
    rules: FitRules
    tier_of_account: dict[str, str]
    validation: ValidationReport


def _strength(p: PatternTest) -> tuple:
    return (p.q_value if p.q_value is not None else 1.0, -(p.lift or 0.0), p.id)


def _kind(p: PatternTest, kinds: Mapping[str, str]) -> Literal["range", "multi", "category"]:
    if p.kind == "range":
        return "range"
    return "multi" if kinds.get(p.attribute) == "multi" else "category"


def to_rule(
    p: PatternTest, kinds: Mapping[str, str], tier: int | None, points: int
) -> RuleCriterion:
    """A rules criterion from a value or range pattern (booleans match the text 'true')."""
    kind = _kind(p, kinds)
    value = "true" if kinds.get(p.attribute) == "boolean" else (p.value or "")
    signal = p.label if kind == "range" or kinds.get(p.attribute) == "boolean" else value
    return RuleCriterion(
        id=p.id, attribute=p.attribute, kind=kind, signal=signal,
        values=[] if kind == "range" else [value], low=p.low, high=p.high, points=points,
        tier=tier, pattern_id=p.id, stat_ids=list(p.stat_ids),
    )  # fmt: skip


def overlaps(a: RuleCriterion, b: RuleCriterion) -> bool:
    """Whether an account could meet both criteria on the same attribute."""
    if a.attribute != b.attribute:
        return False
    if a.kind == "range" or b.kind == "range":
        lo = max(x for x in (a.low, b.low, -np.inf) if x is not None)
        hi = min(x for x in (a.high, b.high, np.inf) if x is not None)
        return bool(lo <= hi)
    return bool({v.lower() for v in a.values} & {v.lower() for v in b.values})


def choose_criteria(
    patterns: list[PatternTest], attributes: list[AttributeSpec], columns: list[str]
) -> tuple[list[RuleCriterion], list[RuleCriterion]]:
    """(positive criteria with tiers and points, disqualifiers) from the pattern tests."""
    kinds = {a.name: a.kind for a in attributes}
    usable = [
        p for p in patterns
        if p.kind in ("value", "range") and p.attribute in columns
        and not is_persona_attribute(p.attribute, p.label)
    ]  # fmt: skip
    ideal = sorted((p for p in usable if p.direction == "ideal"), key=_strength)
    sig = [p for p in ideal if p.status == "significant"]
    if not sig:
        return [], []
    t1: list[RuleCriterion] = []
    for p in sig:
        if len(t1) < MAX_TIER1 and p.attribute not in {c.attribute for c in t1}:
            t1.append(to_rule(p, kinds, 1, POINTS[1]))
    chosen = {c.id for c in t1}
    t2 = [to_rule(p, kinds, 2, POINTS[2]) for p in sig if p.id not in chosen][:MAX_TIER2]
    weak = [
        to_rule(p, kinds, 3, POINTS[3]) for p in ideal
        if p.status == "not_significant" and (p.lift or 0) >= WEAK_LIFT
        and p.n_trait >= WEAK_MIN_N
    ][:MAX_WEAK]  # fmt: skip
    positive = t1 + t2 + weak
    bad = sorted(
        (p for p in usable if p.direction == "bad_fit" and p.status == "significant"),
        key=_strength,
    )
    bad = [p for p in bad if (p.share_all or 0.0) <= MAX_DISQUALIFIER_SHARE]
    disq = [to_rule(p, kinds, None, 0) for p in bad]
    disq = [d for d in disq if not any(overlaps(d, c) for c in positive)]
    return positive, disq


def worse_outcome(accounts: pd.DataFrame, deals: pd.DataFrame | None, c: RuleCriterion) -> bool:
    """Whether accounts meeting `c` do worse than all accounts on any raw outcome we have.

    Churn rate, support tickets and deal loss rate are compared with the all-account baseline;
    with no outcome data at all the health-based evidence stands (True).
    """
    mask = match(accounts, c)
    if not mask.any():
        return False
    checks: list[bool] = []
    if "churned" in accounts.columns:
        churn = accounts["churned"].astype("boolean").astype("Float64")
        if churn[mask].notna().any():
            checks.append(bool(churn[mask].mean() > churn.mean()))
    if "tickets" in accounts.columns:
        t = pd.to_numeric(accounts["tickets"], errors="coerce")
        if t[mask].notna().any():
            checks.append(bool(t[mask].mean() > t.mean()))
    if deals is not None and not deals.empty and "deal_stage" in deals.columns:
        closed = deals[deals["deal_stage"].isin(["won", "lost"])]
        ids = accounts.loc[mask, "account_id"].astype("string")
        mine = closed[closed["account_id"].astype("string").isin(ids)]
        if len(mine) and len(closed):
            checks.append(
                bool(mine["deal_stage"].eq("lost").mean() > closed["deal_stage"].eq("lost").mean())
            )
    return any(checks) if checks else True


def make_rules(
    positive: list[RuleCriterion], disq: list[RuleCriterion], provenance: Provenance
) -> FitRules:
    n1 = sum(c.tier == 1 for c in positive)
    if n1 == 0:
        return FitRules(provenance=provenance)
    k = n1 if n1 <= 2 else n1 - 1
    cut = Cutoffs(tier_1=POINTS[1] * k, tier_2=min(6, POINTS[1] * k), tier_3=1)
    required = sorted({c.attribute for c in positive if c.tier == 1})
    return FitRules(
        provenance=provenance, criteria=positive, disqualifiers=disq, cutoffs=cut,
        required_fields=required,
    )  # fmt: skip


def data_sha256(accounts: pd.DataFrame) -> str:
    """Content hash of the accounts table (row order independent)."""
    srt = accounts.sort_values("account_id", kind="stable").reset_index(drop=True)
    return hashlib.sha256(srt.to_csv(index=False).encode("utf-8")).hexdigest()


def learn_rules(
    accounts: pd.DataFrame,
    patterns: list[PatternTest],
    attributes: list[AttributeSpec],
    *,
    as_of: date,
    generated_at: str | None = None,
    deals: pd.DataFrame | None = None,
) -> FitRules:
    """Rules only (no statistics): what the backtest re-learns on each training split.

    Disqualifiers must be specific (see MAX_DISQUALIFIER_SHARE) and confirmed by a worse raw
    outcome; other significant bad-fit traits are reported as warning signs only.
    """
    prov = Provenance(
        data_sha256=data_sha256(accounts), as_of=as_of,
        generated_at=generated_at or datetime.combine(as_of, time()).isoformat(),
    )  # fmt: skip
    positive, disq = choose_criteria(patterns, attributes, list(accounts.columns))
    disq = [d for d in disq if worse_outcome(accounts, deals, d)]
    rules = make_rules(positive, disq, prov)
    return rules.model_copy(
        update={
            "baseline": baseline_for(rules, accounts),
            "tier_baseline": tier_baseline(rules, accounts),
        }
    )


def _crit(c: RuleCriterion) -> Criterion:
    return Criterion(
        attribute=c.attribute, label=c.signal, values=c.values, low=c.low, high=c.high,
        points=c.points, stat_ids=c.stat_ids, pattern_id=c.pattern_id,
    )  # fmt: skip


def _tier_text(level: int, rules: FitRules, crits: list[RuleCriterion]) -> tuple[str, str]:
    names = ", ".join(c.signal for c in crits) or "no criteria of its own"
    cut = rules.cutoffs
    if level == 1:
        need = cut.tier_1 // POINTS[1]
        return (f"Matches at least {need} of the Tier 1 criteria ({names}).", "")
    if level == 2:
        return (
            f"At least {cut.tier_2} fit points: one Tier 1 criterion, or two of: {names}.",
            "Meets fewer of the Tier 1 criteria than Tier 1 requires.",
        )
    return (
        f"No disqualifier and at least {cut.tier_3} fit point (any positive signal; {names}).",
        f"Scores under the {cut.tier_2} points Tier 2 needs.",
    )


def build_tiers(
    rules: FitRules, accounts: pd.DataFrame, deals: pd.DataFrame, tiers: np.ndarray,
    health: pd.Series, *, book: StatBook, as_of: date,
) -> list[Tier]:  # fmt: skip
    """Tier 1/2/3 with criteria, member counts and outcome statistics per tier."""
    out = []
    for level, name in enumerate(TIER_NAMES, start=1):
        mask = tiers == name
        stats = group_outcomes(
            accounts, deals, mask, book=book, key=f"tier:{level}", label=f"{name} customers",
            as_of=as_of, health=health,
        )  # fmt: skip
        crits = [c for c in rules.criteria if c.tier == level]
        if not rules.criteria:
            summary, differs = INSUFFICIENT_EVIDENCE, ""
        else:
            summary, differs = _tier_text(level, rules, crits)
        out.append(
            Tier(
                name=name,
                summary=summary,
                criteria=[_crit(c) for c in crits],
                n_match=int(mask.sum()),
                stat_ids=[s.id for s in stats.values()],
                differs_from_above=differs,
            )  # fmt: skip
        )
    return out


def _reasons(
    accounts: pd.DataFrame, deals: pd.DataFrame, mask: np.ndarray, key: str, book: StatBook
) -> tuple[list[str], list[str]]:
    """Top churn / loss reasons of the matching accounts, each count a registered statistic."""
    texts = []
    if "churn_reason" in accounts.columns:
        texts.append(accounts.loc[mask, "churn_reason"])
    if not deals.empty and "loss_reason" in deals.columns:
        ids = accounts.loc[mask, "account_id"].astype("string")
        texts.append(deals.loc[deals["account_id"].astype("string").isin(ids), "loss_reason"])
    if not texts:
        return [], []
    s = pd.concat(texts).dropna().astype("string").str.strip()
    counts = s[s != ""].value_counts()
    table = pd.DataFrame({"v": counts.index.astype(str), "n": counts.to_numpy()})
    table = table.sort_values(["n", "v"], ascending=[False, True], kind="stable").head(5)
    total = int(counts.sum())
    words, ids = [], []
    for v, n in table.itertuples(index=False):
        st = book.add(
            f"{key}:reason:{v}", f"churn or loss reason '{v}' among matching accounts", n, total,
            "count",
        )  # fmt: skip
        words.append(f"{v} ({format_stat(st)})")
        ids.append(st.id)
    return words, ids


def _rate(book: StatBook, key: str, what: str, k: int, n: int) -> str | None:
    if n == 0:
        return None
    return book.add(key, what, k / n, n, "pct", *wilson(k, n)).id


def _compare(what: str, group: Stat, base: Stat) -> str:
    """'churn: 29% vs 22% overall (higher)' — the word sits next to the pair it judges."""
    a, b = format_stat(group), format_stat(base)
    if a == b or group.value is None or base.value is None:
        return f"{what}: {a}, the same as overall"
    word = "higher" if group.value > base.value else "lower"
    return f"{what}: {a} vs {b} overall ({word})"


def _why_stats(
    accounts: pd.DataFrame, deals: pd.DataFrame, mask: np.ndarray, key: str, label: str,
    book: StatBook,
) -> tuple[list[str], list[str]]:  # fmt: skip
    """(stat ids, plain-words comparisons) for one group against all accounts."""
    ids: list[str] = []
    words: list[str] = []
    groups = (("", np.ones(len(accounts), dtype=bool), "all customers"), (key, mask, label))
    if "churned" in accounts.columns:
        c = accounts["churned"].astype("boolean")
        got: list[Any] = [_rate(book, f"{k or 'baseline'}:churn_rate", f"share of {w} that churned",
                     int(c[m].sum()), int(c[m].notna().sum())) for k, m, w in groups]  # fmt: skip
        if all(got):
            ids += got
            words.append(_compare("churn", book.get(got[1]), book.get(got[0])))
    if "tickets" in accounts.columns:
        t = pd.to_numeric(accounts["tickets"], errors="coerce")
        got = [book.add(f"{k or 'baseline'}:tickets", f"mean support tickets of {w}",
                        t[m].mean() if t[m].notna().any() else None, int(t[m].notna().sum()),
                        "number").id for k, m, w in groups]  # fmt: skip
        if book.get(got[1]).value is not None:
            ids += got
            words.append(_compare("support tickets", book.get(got[1]), book.get(got[0])))
    if not deals.empty and "deal_stage" in deals.columns:
        acc_ids = accounts["account_id"].astype("string")
        d_ids = deals["account_id"].astype("string")
        got = []
        for k, m, w in groups:
            d = deals.loc[d_ids.isin(acc_ids[m]), "deal_stage"]
            closed = int(d.isin(["won", "lost"]).sum())
            got.append(
                _rate(
                    book,
                    f"{k or 'baseline'}:loss_rate",
                    f"share of closed deals lost, {w}",
                    int(d.eq("lost").sum()),
                    closed,
                )
            )
        if all(got):
            ids += got
            words.append(_compare("deal loss rate", book.get(got[1]), book.get(got[0])))
    return ids, words


def build_negative(
    rules: FitRules, patterns: list[PatternTest], accounts: pd.DataFrame, deals: pd.DataFrame,
    *, book: StatBook, kinds: Mapping[str, str],
) -> list[NegativeSignal]:  # fmt: skip
    """One negative signal per disqualifier: why (vs baseline), n, examples, reasons."""
    by_id = {p.id: p for p in patterns}
    out = []
    taken = {c.pattern_id for c in rules.disqualifiers}
    watch = [
        to_rule(p, kinds, None, 0)
        for p in sorted(patterns, key=_strength)
        if p.direction == "bad_fit" and p.status == "significant" and p.kind in ("value", "range")
        and p.id not in taken and p.attribute in accounts.columns
        and not is_persona_attribute(p.attribute, p.label)
    ]  # fmt: skip
    watch = [w for w in watch if not any(overlaps(w, c) for c in rules.criteria)]
    for c in [*rules.disqualifiers, *watch]:
        action: Literal["disqualify", "deprioritise"] = (
            "disqualify" if c in rules.disqualifiers else "deprioritise"
        )
        mask = match(accounts, c)
        ids, words = _why_stats(accounts, deals, mask, f"negative:{c.id}", c.signal, book)
        p = by_id.get(c.pattern_id or "")
        n_bottom = ""
        if p:
            nb = book.add(
                f"negative:{c.id}:n_bottom", f"bad-fit customers with {c.signal}",
                p.n_bottom_trait, p.n_bottom, "count",
            )  # fmt: skip
            ids.append(nb.id)
            n_bottom = f"{format_stat(nb)} of {nb.n} bad-fit customers"
        why = "; ".join(words) or "over-represented among bad-fit customers"
        if action == "deprioritise":
            why += (
                " — a warning sign, not a rule: too common among all customers to reject on, or"
                " no outcome here is worse than average"
            )
        examples = sorted(accounts.loc[mask, "account_id"].astype(str))[:5]
        reasons, reason_ids = _reasons(accounts, deals, mask, f"negative:{c.id}", book)
        out.append(
            NegativeSignal(
                criterion=_crit(c),
                why=f"{why} ({n_bottom})" if n_bottom else why,
                n=int(mask.sum()),
                example_accounts=examples,
                reasons=reasons,
                stat_ids=c.stat_ids + ids + reason_ids,
                action=action,
            )  # fmt: skip
        )
    return out


def build_icp(
    accounts: pd.DataFrame,
    matrix: pd.DataFrame,
    patterns: list[PatternTest],
    attributes: list[AttributeSpec],
    deals: pd.DataFrame,
    *,
    book: StatBook,
    as_of: date,
    generated_at: str | None = None,
) -> IcpModel:
    """Tiers, negative ICP, lint, fit rules and per-account tier from the pattern analysis."""
    rules = learn_rules(
        accounts, patterns, attributes, as_of=as_of, generated_at=generated_at, deals=deals
    )
    scored = _score(rules, accounts)
    tiers = scored["tier"].to_numpy()
    ids = accounts["account_id"].astype(str)
    health = ids.map(matrix.set_index(matrix["account_id"].astype(str))["health_score"])
    tier_list = build_tiers(rules, accounts, deals, tiers, health, book=book, as_of=as_of)
    kinds = {a.name: a.kind for a in attributes}
    negative = build_negative(rules, patterns, accounts, deals, book=book, kinds=kinds)
    validation = evaluate(
        rules, accounts, deals, book=book, as_of=as_of, key="insample",
        method="in-sample: rules applied to the customers they were learned on (optimistic; "
        "see the backtest for held-out results)",
    )  # fmt: skip
    lint = lint_icp(
        accounts, deals, rules, tiers, patterns, negative, health, book=book, as_of=as_of
    )
    lint += behavioural_tier1(rules, {a.name: a.group for a in attributes}) + tier_order(book)
    return IcpModel(
        tiers=tier_list, negative=negative, lint=lint, rules=rules,
        tier_of_account=dict(zip(ids, tiers.tolist(), strict=True)), validation=validation,
    )  # fmt: skip


def make_learner(
    attributes: list[AttributeSpec],
    *,
    as_of: date,
    weights: dict[str, float] | None,
    top: float,
    bottom: float,
    fdr: float,
    min_support: int,
) -> Callable[[pd.DataFrame, pd.DataFrame], FitRules]:
    """The whole learning path (score -> patterns -> rules) for the backtest's training folds."""
    from tools.patterns import analyse_patterns
    from tools.scoring import score_customers

    def learn(accounts: pd.DataFrame, deals: pd.DataFrame) -> FitRules:
        book = StatBook()
        scored = score_customers(
            accounts, deals, weights=weights, as_of=as_of, top=top, bottom=bottom, book=book
        )
        report = analyse_patterns(
            accounts, scored.matrix, attributes, deals, fdr=fdr, min_support=min_support,
            book=book,
        )  # fmt: skip
        return learn_rules(accounts, report.tests, attributes, as_of=as_of, deals=deals)

    return learn
