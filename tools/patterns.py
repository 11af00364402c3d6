"""ICP pattern analysis: which traits separate the best customers (ideal) from the worst (bad fit).

For every attribute value (categorical, exploded multi-valued, boolean) and every contiguous
quantile range of a numeric attribute, the share among ideal vs bad-fit customers is compared
with Fisher's exact test; Benjamini–Hochberg controls the false-discovery rate across *all*
candidates (every searched numeric range included). Traits with too little support or too much
missing data get an explicit `insufficient_evidence` status instead of a weak claim. Two-trait
combinations are tested only among traits that are significant on their own. Every figure a
document may cite is registered in the `StatBook`; `PatternTest.stat_ids` points to them.
"""

from __future__ import annotations

from itertools import combinations
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from tools.citations import StatBook
from tools.errors import InputError
from tools.models import AttributeSpec, Frozen, PatternTest
from tools.outcome_tests import OutcomeTest, outcome_tests
from tools.outcomes import Sufficiency, register_outcomes, segment_array, sufficiency
from tools.schema import ACCOUNT_FIELDS
from tools.stats import bh_qvalues, finite_or_none, odds_ratio, wilson
from tools.traits import (
    REASONS,
    Candidates,
    Encoded,
    candidates,
    encode,
    family_p,
    p_values,
    reason_codes,
)

__all__ = ["PatternReport", "Sufficiency", "analyse_patterns"]

MAX_COMBO_TRAITS = 4  # per direction, strongest significant single traits paired


class PatternReport(Frozen):
    tests: list[PatternTest]
    sufficiency: Sufficiency
    outcomes: list[str] = Field(default_factory=list)
    fdr: float
    notes: list[str] = Field(default_factory=list)
    # raw outcomes (churn / win rate) of each value vs the rest; a BH family of their own
    outcome_tests: list[OutcomeTest] = Field(default_factory=list)


def align(accounts: pd.DataFrame, matrix: pd.DataFrame) -> np.ndarray:
    """Row of `matrix` for each account (positions), or InputError if one is not scored."""
    ids = accounts["account_id"].astype(str)
    mids = matrix["account_id"].astype(str)
    codes, _ = pd.factorize(pd.concat([mids, ids], ignore_index=True))
    lookup = np.full(codes.max() + 1, -1, dtype=np.int64)
    lookup[codes[: len(mids)]] = np.arange(len(mids))
    pos = lookup[codes[len(mids) :]]
    if (pos < 0).any():
        missing = ids.iloc[np.flatnonzero(pos < 0)[0]]
        raise InputError(
            f"account '{missing}' has no health score",
            column="account_id",
            hint="score the same accounts table that is analysed",
        )
    return pos


def _fmt_num(attr: str, x: float) -> str:
    if ACCOUNT_FIELDS.get(attr, ("",))[0] == "money":
        from tools.citations import format_value

        return format_value(x, "money")
    if "year" in attr:
        return f"{x:.0f}"
    return f"{x:,.0f}" if abs(x) >= 100 or float(x).is_integer() else f"{x:,.2g}"


def _describe(e: Encoded, lo: int, hi: int) -> dict:
    """Id, label and value/range fields of one candidate."""
    attr, label = e.spec.name, e.spec.label
    if not e.numeric:
        value = e.labels[lo]
        text = f"{label}: yes" if e.spec.kind == "boolean" else f"{label} = {value}"
        return {"id": f"{attr}={value}", "label": text, "kind": "value", "value": value}
    low, high = float(e.edges[lo]), float(e.highs[hi])  # type: ignore[index]  # numeric: bins set
    return {
        "id": f"{attr}@{low:g}..{high:g}",
        "label": f"{label} {_fmt_num(attr, low)}–{_fmt_num(attr, high)}",
        "kind": "range",
        "low": low,
        "high": high,
    }


def _pick_reported(encs: list[Encoded], cand: Candidates, p: np.ndarray, reasons: np.ndarray):
    """Reported candidates with their (search-adjusted) p-values, and numeric attributes
    where no range could be tested at all."""
    fam, pick = family_p(encs, cand, p)
    fam, pick = fam[:, 0], pick[:, 0]
    keep = pick >= 0
    numeric_ok = {int(cand.enc[i]) for i in pick[keep]}
    missing = []
    for k, e in enumerate(encs):
        if e.numeric and k not in numeric_ok:
            codes = reasons[cand.enc == k]
            missing.append((k, int(codes[codes > 0].min()) if (codes > 0).any() else 5))
    return pick[keep].tolist(), fam[keep], missing


def _combos(encs, cand, p, q, reported, fdr, seg):
    """Pairs of significant single traits from different attributes, same direction."""
    top, bot = (seg == "ideal").astype(float), (seg == "bad_fit").astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        up = cand.a / cand.nt > cand.c / cand.nb
    sig = [i for j, i in enumerate(reported) if q[j] <= fdr]
    p = dict(zip(reported, p, strict=True))
    rows, descs = [], []
    for direction in (True, False):
        chosen = sorted((i for i in sig if up[i] == direction), key=lambda i: (p[i], i))
        chosen = chosen[:MAX_COMBO_TRAITS]
        for i1, i2 in combinations(chosen, 2):
            e1, e2 = encs[cand.enc[i1]], encs[cand.enc[i2]]
            if e1.spec.name == e2.spec.name:
                continue
            m = e1.mask(cand.lo[i1], cand.hi[i1] if e1.numeric else None) & e2.mask(
                cand.lo[i2], cand.hi[i2] if e2.numeric else None
            )
            v = e1.valid & e2.valid
            rows.append(
                [
                    (m * top).sum(),
                    (m * bot).sum(),
                    m.sum(),
                    (v * top).sum(),
                    (v * bot).sum(),
                    v.sum(),
                ]
            )
            d1, d2 = (
                _describe(e1, cand.lo[i1], cand.hi[i1]),
                _describe(e2, cand.lo[i2], cand.hi[i2]),
            )
            descs.append(
                {
                    "id": f"{d1['id']}&{d2['id']}",
                    "label": f"{d1['label']} and {d2['label']}",
                    "kind": "combo",
                    "value": f"{d1['id']} & {d2['id']}",
                    "attribute": f"{e1.spec.name}+{e2.spec.name}",
                }
            )
    if not rows:
        return None, []
    arr = np.array(rows, dtype=float).T
    z = np.zeros(len(rows), dtype=int)
    combo = Candidates(z - 1, z, z, arr[0], arr[1], arr[2], arr[3], arr[4], arr[5], len(seg))
    return combo, descs


def _merge(a: Candidates, b: Candidates) -> Candidates:
    f = ("enc", "lo", "hi", "a", "c", "t", "nt", "nb", "nv")
    return Candidates(*(np.concatenate([getattr(a, x), getattr(b, x)]) for x in f), n=a.n)  # type: ignore[misc, arg-type]  # 9 arrays unpacked


def analyse_patterns(
    accounts: pd.DataFrame,
    matrix: pd.DataFrame,
    attributes: list[AttributeSpec],
    deals: pd.DataFrame | None,
    *,
    fdr: float = 0.10,
    min_support: int = 5,
    book: StatBook,
) -> PatternReport:
    """Test every attribute value / numeric range for over-representation among ideal vs
    bad-fit customers, with Fisher p-values and BH q-values across all candidates."""
    pos = align(accounts, matrix)
    seg = segment_array(matrix, pos)
    specs = [s for s in attributes if s.name in accounts.columns]
    notes = [
        f"Attribute '{s.name}' is not in the data and was skipped."
        for s in attributes
        if s.name not in accounts.columns
    ]
    encs = [encode(accounts, s) for s in specs]
    top, bot = (seg == "ideal").astype(float), (seg == "bad_fit").astype(float)
    cand = candidates(encs, top, bot)
    reasons = reason_codes(cand, min_support)
    p_raw = p_values(cand, reasons)
    reported, p, missing_numeric = _pick_reported(encs, cand, p_raw, reasons)
    q1 = bh_qvalues(p)
    descs = [_describe(encs[cand.enc[i]], cand.lo[i], cand.hi[i]) for i in reported]
    combo, combo_descs = _combos(encs, cand, p, q1, reported, fdr, seg)
    if combo is not None:
        c_reasons = reason_codes(combo, min_support)
        n0 = len(cand.a)
        cand = _merge(cand, combo)
        reasons = np.concatenate([reasons, c_reasons])
        p = np.concatenate([p, p_values(combo, c_reasons)])
        reported = reported + list(range(n0, n0 + len(combo_descs)))
        descs = descs + combo_descs
    q = bh_qvalues(p)
    n_searched = {k: int((cand.enc == k).sum()) for k, e in enumerate(encs) if e.numeric}
    tests = [
        _build(cand, i, d, p[j], q[j], reasons, encs, fdr, n_searched, book)
        for j, (i, d) in enumerate(zip(reported, descs, strict=True))
    ]
    tests += [_insufficient_range(encs[k], code, cand.n, book) for k, code in missing_numeric]
    tests.sort(
        key=lambda t: (t.status != "significant", 2.0 if t.q_value is None else t.q_value, t.id)
    )
    suff = sufficiency(accounts, seg, deals, min_support)
    outcome_ids = register_outcomes(accounts, matrix, pos, deals, tests, encs, book)
    by_value = outcome_tests(accounts, deals, encs, fdr=fdr, min_support=min_support, book=book)
    return PatternReport(
        tests=tests,
        sufficiency=suff,
        outcomes=outcome_ids,
        fdr=fdr,
        notes=notes,
        outcome_tests=by_value,
    )


def _build(cand, i, d, p, q, reasons, encs, fdr, n_searched, book) -> PatternTest:
    a, c, t, nt, nb, nv = (float(getattr(cand, x)[i]) for x in ("a", "c", "t", "nt", "nb", "nv"))
    st, sb, sa = (a / nt if nt else None), (c / nb if nb else None), (t / nv if nv else None)
    lift = st / sa if st is not None and sa else None
    orat, or_lo, or_hi = (float(v[0]) for v in odds_ratio([a], [nt - a], [c], [nb - c]))  # type: ignore[arg-type]  # numpy accepts lists
    wl, wh = (float(v[0]) for v in wilson(np.array([a]), np.array([nt])))
    direction: Literal["ideal", "bad_fit", "none"] = "none"
    if st is not None and sb is not None and st != sb:
        direction = "ideal" if st > sb else "bad_fit"
    code = int(reasons[i])
    status: Literal["significant", "not_significant", "insufficient_evidence"]
    if code:
        status, reason = "insufficient_evidence", REASONS[code]
    elif q <= fdr and direction != "none":
        status, reason = "significant", f"q = {q:.2g} ≤ {fdr:g}"
    else:
        status, reason = "not_significant", f"could be chance (q = {q:.2g} > {fdr:g})"
    if d["kind"] == "range":
        k = n_searched[int(cand.enc[i])]
        reason += f"; best of {k} ranges searched, p-value multiplied by the ranges testable"
    attr = d.get("attribute") or encs[int(cand.enc[i])].spec.name
    key = f"pattern:{d['id']}"
    what = d["label"]
    ids = [
        book.add(
            f"{key}:share_top",
            f"Share of ideal customers with {what}",
            st,
            int(nt),
            "pct",
            finite_or_none(wl),
            finite_or_none(wh),
        ).id,
        book.add(
            f"{key}:share_bottom",
            f"Share of bad-fit customers with {what}",
            sb,
            int(nb),
            "pct",
            *_wilson1(c, nb),
        ).id,
        book.add(
            f"{key}:share_all",
            f"Share of all customers with {what}",
            sa,
            int(nv),
            "pct",
            *_wilson1(t, nv),
        ).id,
        book.add(
            f"{key}:lift",
            f"Lift of {what} among ideal customers (share ideal / share all)",
            lift,
            int(nt),
            "ratio",
        ).id,
        book.add(
            f"{key}:odds_ratio",
            f"Odds ratio of {what}, ideal vs bad-fit customers",
            orat,
            int(nt + nb),
            "ratio",
            or_lo,
            or_hi,
        ).id,
        book.add(
            f"{key}:q_value",
            f"False-discovery-adjusted p-value (BH) for {what}",
            finite_or_none(q),
            int(nt + nb),
            "pvalue",
        ).id,
        book.add(f"{key}:n", f"Customers with {what}", t, int(nv), "count").id,
    ]
    return PatternTest(
        id=d["id"],
        attribute=attr,
        label=d["label"],
        kind=d["kind"],
        value=d.get("value"),
        low=d.get("low"),
        high=d.get("high"),
        n_all=int(nv),
        n_trait=int(t),
        n_top=int(nt),
        n_top_trait=int(a),
        n_bottom=int(nb),
        n_bottom_trait=int(c),
        share_top=st,
        share_bottom=sb,
        share_all=sa,
        lift=lift,
        odds_ratio=orat,
        ci_low=finite_or_none(wl),
        ci_high=finite_or_none(wh),
        p_value=finite_or_none(p),
        q_value=finite_or_none(q),
        direction=direction,
        status=status,
        reason=reason,
        stat_ids=ids,
    )


def _wilson1(k: float, n: float) -> tuple[float | None, float | None]:
    lo, hi = wilson(np.array([k]), np.array([n]))
    return finite_or_none(lo[0]), finite_or_none(hi[0])


def _insufficient_range(e: Encoded, code: int, n: int, book: StatBook) -> PatternTest:
    nv = int(e.valid.sum())
    sid = book.add(
        f"pattern:{e.spec.name}@range:n",
        f"Customers with a value for {e.spec.label}",
        nv,
        n,
        "count",
    ).id
    return PatternTest(
        id=f"{e.spec.name}@range",
        attribute=e.spec.name,
        label=f"{e.spec.label} (range search)",
        kind="range",
        n_all=nv,
        n_trait=0,
        n_top=0,
        n_top_trait=0,
        n_bottom=0,
        n_bottom_trait=0,
        share_top=None,
        share_bottom=None,
        share_all=None,
        lift=None,
        odds_ratio=None,
        ci_low=None,
        ci_high=None,
        p_value=None,
        q_value=None,
        direction="none",
        status="insufficient_evidence",
        reason=REASONS[code],
        stat_ids=[sid],
    )
