"""Raw outcomes by trait: each categorical value's churn rate / win rate against the rest.

Marketers trust raw outcomes more than a health score, so beside the health top/bottom tests each
value of every categorical, multi-valued or boolean attribute gets its churn rate (customers
whose churn status is known) and win rate (closed deals joined by account id) with a Wilson 95%
interval, and a two-sided Fisher exact test of the value against the customers without it.
These tests form a Benjamini–Hochberg family of their own, so the health tests' false-discovery
control is unchanged. Below a minimum n a value gets `insufficient_evidence`, not a claim.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from tools.citations import StatBook
from tools.models import Frozen
from tools.outcomes import won_flags
from tools.stats import bh_any_significant, bh_qvalues, finite_or_none, fisher_two_sided, wilson
from tools.traits import Encoded

__all__ = ["OutcomeTest", "outcome_arrays", "outcome_null_control", "outcome_tests"]

MIN_OUTCOME_N = 20  # customers (churn) or closed deals (win rate) with the value, and without
OUTCOME_WORDS = {
    "churn_rate": ("Churn rate", "customers", "churned"),
    "win_rate": ("Win rate (won / closed deals)", "closed deals", "won"),
}
OUTCOME_REASONS = {
    1: "fewer than {m} {unit} with this value",
    2: "fewer than {m} {unit} without this value",
    3: "no variation: every one or none of these {unit} {verb}",
}


class OutcomeTest(Frozen):
    """One attribute value's raw outcome rate against the rest of the customers."""

    id: str  # "churn_rate:industry=DevTools"
    outcome: Literal["churn_rate", "win_rate"]
    attribute: str
    value: str
    label: str  # "Industry = DevTools"
    n: int  # customers (churn) or closed deals (win rate) with the value
    events: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None
    n_rest: int
    events_rest: int
    rate_rest: float | None
    rest_ci_low: float | None
    rest_ci_high: float | None
    p_value: float | None
    q_value: float | None
    direction: Literal["higher", "lower", "none"]
    status: Literal["significant", "not_significant", "insufficient_evidence"]
    reason: str = ""
    stat_ids: list[str] = Field(default_factory=list)


def outcome_arrays(
    accounts: pd.DataFrame, deals: pd.DataFrame | None
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per account: (events, exposure) for each raw outcome present — churned / known churn
    status, and won / closed deals joined by account id."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if "churned" in accounts.columns:
        churn = accounts["churned"].astype("boolean")
        known = churn.notna().to_numpy()
        if known.any():
            out["churn_rate"] = (churn.fillna(False).to_numpy(dtype=float), known.astype(float))
    won = won_flags(deals)
    if won is not None:
        n = len(accounts)
        idx = pd.Index(accounts["account_id"].astype(str)).get_indexer(won.index)
        ok = idx >= 0
        events = np.bincount(idx[ok], weights=won.to_numpy()[ok].astype(float), minlength=n)
        exposure = np.bincount(idx[ok], minlength=n).astype(float)
        if exposure.any():
            out["win_rate"] = (events, exposure)
    return out


def _value_counts(e: Encoded, events: np.ndarray, exposure: np.ndarray):
    """Events and exposure per value and among all accounts with a value; `events` is
    (n, runs), `exposure` (n, 1). Returns k (values, runs), m (values, 1), K (runs,), M (1,)."""
    ind = e.indicator()
    valid = e.valid.astype(float)
    return ind @ events, ind @ exposure, valid @ events, valid @ exposure


def _twins(e: Encoded) -> np.ndarray:
    """True for a value whose test repeats another's (the second of a two-valued single-choice
    attribute: "A vs rest" is "B vs rest"), so it is counted once in the BH family."""
    out = np.zeros(e.n_codes, dtype=bool)
    if e.spec.kind == "categorical" and e.n_codes == 2:
        out[1] = True
    return out


def outcome_family(encs: list[Encoded], events: np.ndarray, exposure: np.ndarray, min_n: int):
    """Counts, reason codes and Fisher p-values (value vs rest) for every non-numeric value.

    `events` is (n,) or (n, runs) — permuted columns for the null control. Returns a dict of
    arrays with one row per value (runs on axis 1) and `twin` / `enc` / `code` per row.
    """
    ev = events.reshape(len(events), -1)
    ex = exposure.reshape(-1, 1)
    parts = []
    for j, e in enumerate(encs):
        if e.numeric or e.n_codes == 0:
            continue
        k, m, K, M = _value_counts(e, ev, ex)
        parts.append(
            (
                j,
                e,
                k,
                np.broadcast_to(m, k.shape),
                np.broadcast_to(K, k.shape),
                np.broadcast_to(M, k.shape),
            )
        )
    if not parts:
        return None
    cols = {
        name: np.concatenate([p[i] for p in parts])
        for i, name in ((2, "k"), (3, "m"), (4, "K"), (5, "M"))
    }
    cols["enc"] = np.concatenate([np.full(p[1].n_codes, p[0]) for p in parts])
    cols["code"] = np.concatenate([np.arange(p[1].n_codes) for p in parts])
    cols["twin"] = np.concatenate([_twins(p[1]) for p in parts])
    k, m, K, M = cols["k"], cols["m"], cols["K"], cols["M"]
    reason = np.where((K == 0) | (K == M), 3, 0)
    reason = np.where(M - m < min_n, 2, reason)
    cols["reason"] = np.where(m < min_n, 1, reason)
    p = fisher_two_sided(k, M, K, m)
    cols["p"] = np.where(cols["reason"] == 0, p, np.nan)
    return cols


def family_q(p: np.ndarray, twin: np.ndarray) -> np.ndarray:
    """BH q-values of the outcome family (one column); twins take their partner's q."""
    q = np.full(p.shape, np.nan)
    q[~twin] = bh_qvalues(p[~twin])
    tw = np.flatnonzero(twin)
    q[tw] = q[tw - 1]
    return q


def outcome_null_control(
    encs: list[Encoded], accounts: pd.DataFrame, *, runs: int, seed: int, fdr: float, min_n: int
) -> np.ndarray:
    """Per run, whether any churn outcome test would be significant after the churn labels are
    randomly permuted among the customers whose churn status is known."""
    events, exposure = outcome_arrays(accounts, None)["churn_rate"]
    rng = np.random.default_rng(seed)
    known = np.flatnonzero(exposure > 0)
    ev = np.zeros((len(events), runs))
    for r in range(runs):
        ev[known, r] = rng.permutation(events[known])
    fam = outcome_family(encs, ev, exposure, min_n)
    return bh_any_significant(fam["p"][~fam["twin"]], fdr)


def outcome_tests(
    accounts: pd.DataFrame,
    deals: pd.DataFrame | None,
    encs: list[Encoded],
    *,
    fdr: float,
    min_support: int,
    book: StatBook,
) -> list[OutcomeTest]:
    """Churn rate and win rate of each categorical value vs the rest, with Wilson intervals and
    Fisher p-values in one BH family of their own (the health-pattern q-values are unchanged)."""
    min_n = max(MIN_OUTCOME_N, min_support)
    fams = {
        o: fam
        for o, (events, exposure) in outcome_arrays(accounts, deals).items()
        if (fam := outcome_family(encs, events, exposure, min_n)) is not None
    }
    if not fams:
        return []
    p = np.concatenate([f["p"][:, 0] for f in fams.values()])
    q = family_q(p, np.concatenate([f["twin"] for f in fams.values()]))
    out, start = [], 0
    for o, f in fams.items():
        for r in range(len(f["p"])):
            e = encs[int(f["enc"][r])]
            out.append(_outcome_test(o, e, f, r, q[start + r], fdr, min_n, book))
        start += len(f["p"])
    return out


def _outcome_test(o, e: Encoded, f: dict, r: int, q: float, fdr, min_n, book) -> OutcomeTest:
    what, unit, verb = OUTCOME_WORDS[o]
    k, m = int(f["k"][r, 0]), int(f["m"][r, 0])
    kr, mr = int(f["K"][r, 0]) - k, int(f["M"][r, 0]) - m
    value = e.labels[int(f["code"][r])]
    label = f"{e.spec.label}: yes" if e.spec.kind == "boolean" else f"{e.spec.label} = {value}"
    (lo, lo_r), (hi, hi_r) = wilson(np.array([k, kr]), np.array([m, mr]))
    rate, rest = (k / m if m else None), (kr / mr if mr else None)
    p = float(f["p"][r, 0])
    direction: Literal["higher", "lower", "none"] = "none"
    if rate is not None and rest is not None and rate != rest:
        direction = "higher" if rate > rest else "lower"
    code = int(f["reason"][r, 0])
    status: Literal["significant", "not_significant", "insufficient_evidence"]
    if code:
        status = "insufficient_evidence"
        reason = OUTCOME_REASONS[code].format(m=min_n, unit=unit, verb=verb)
    elif q <= fdr and direction != "none":
        status, reason = "significant", f"q = {q:.2g} ≤ {fdr:g}"
    else:
        status, reason = "not_significant", f"could be chance (q = {q:.2g} > {fdr:g})"
    key = f"outcome:{o}:{e.spec.name}={value}"
    ids = [
        book.add(
            key,
            f"{what} of customers with {label}",
            rate,
            m,
            "pct",
            finite_or_none(lo),
            finite_or_none(hi),
        ).id,
        book.add(
            f"{key}:rest",
            f"{what} of customers without {label} (with a value for {e.spec.label})",
            rest,
            mr,
            "pct",
            finite_or_none(lo_r),
            finite_or_none(hi_r),
        ).id,
    ]
    if not code:
        ids.append(
            book.add(
                f"{key}:q_value",
                f"False-discovery-adjusted p-value (BH, outcome tests) "
                f"of {what.lower()} for {label} vs the rest",
                q,
                m + mr,
                "pvalue",
            ).id
        )
    return OutcomeTest(
        id=f"{o}:{e.spec.name}={value}",
        outcome=o,
        attribute=e.spec.name,
        value=value,
        label=label,
        n=m,
        events=k,
        rate=rate,
        ci_low=finite_or_none(lo),
        ci_high=finite_or_none(hi),
        n_rest=mr,
        events_rest=kr,
        rate_rest=rest,
        rest_ci_low=finite_or_none(lo_r),
        rest_ci_high=finite_or_none(hi_r),
        p_value=None if code else p,
        q_value=None if code else float(q),
        direction=direction,
        status=status,
        reason=reason,
        stat_ids=ids,
    )
