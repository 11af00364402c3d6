"""Customer health scoring: percentile-normalised components, weights, rank, segment, drivers.

Each component of SPEC §2 (`tools.schema.DEFAULT_WEIGHTS`) is derived from the canonical account
columns, turned into a 0–1 percentile among the customers that have it (ties share the average
rank; "inverse" components are flipped so that 1 is always good), and combined with the weights
into a 0–100 health score. A component with no data at all has its weight re-spread over the
others; a customer missing one component is scored on the components it has (its own weights
re-spread), so a gap neither punishes nor rewards it. Every number a document may cite is
registered in the run's `StatBook`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from tools.citations import StatBook
from tools.errors import InputError
from tools.schema import COMPONENT_LABELS, DEFAULT_WEIGHTS
from tools.scoring_io import write_matrix_xlsx
from tools.stats import percentile_rank, wilson

__all__ = ["ScoringResult", "score_customers", "write_matrix_xlsx", "segment_key", "COMPONENTS"]

COMPONENTS = list(DEFAULT_WEIGHTS)
INVERSE = {"support_burden", "time_to_close"}
SEGMENTS = ("ideal", "acceptable", "bad_fit")
# (phrase when the component raised the score, phrase when it lowered it)
PHRASES: dict[str, tuple[str, str]] = {
    "revenue": ("high revenue", "low revenue"),
    "retention": ("long retention", "short retention"),
    "expansion": ("strong expansion", "little expansion"),
    "satisfaction": ("high NPS/CSAT", "low NPS/CSAT"),
    "support_burden": ("few support tickets", "many support tickets"),
    "time_to_close": ("fast close", "slow close"),
    "referrals": ("many referrals", "few referrals"),
}
MISSING_RULE = (
    "A customer missing a component is scored on the components it has: its weights are "
    "re-spread in proportion over its present components, so a gap neither lowers nor raises "
    "its score. A customer with no component at all gets the neutral score 50."
)
DRIVER_MIN_POINTS = 1.0  # a component moves the score by at least this many points to be named


@dataclass(frozen=True)
class ScoringResult:
    matrix: pd.DataFrame
    effective_weights: dict[str, float]
    missing_components: list[str]
    notes: list[str] = field(default_factory=list)
    stat_ids: dict[str, str] = field(default_factory=dict)


def segment_key(segment: str, what: str) -> str:
    """StatBook key of a per-segment statistic (shared with pattern analysis)."""
    return f"segment:{segment}:{what}"


def _col(accounts: pd.DataFrame, name: str) -> pd.Series:
    if name in accounts.columns:
        return pd.to_numeric(accounts[name], errors="coerce").astype("float64")
    return pd.Series(np.nan, index=accounts.index, dtype="float64")


def _bool(accounts: pd.DataFrame, name: str) -> pd.Series:
    if name not in accounts.columns:
        return pd.Series(pd.NA, index=accounts.index, dtype="boolean")
    return accounts[name].astype("boolean")


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    delta = pd.to_datetime(later) - pd.to_datetime(earlier)
    return (delta.dt.total_seconds() / 86400.0).astype("float64")


def tenure_days(accounts: pd.DataFrame, as_of: date) -> pd.Series:
    """Days from start to churn date (churned customers) or to `as_of`; NaN when unknown."""
    if "start_date" not in accounts.columns:
        return pd.Series(np.nan, index=accounts.index, dtype="float64")
    start = pd.to_datetime(accounts["start_date"])
    end = pd.Series(pd.Timestamp(as_of), index=accounts.index).astype(start.dtype)
    churned = _bool(accounts, "churned").fillna(False).to_numpy(dtype=bool)
    if "churn_date" in accounts.columns:
        cdate = pd.to_datetime(accounts["churn_date"]).astype(start.dtype)
        end = end.where(~churned, cdate)  # churned without a date -> NaT -> unknown
    else:
        end = end.where(~churned)
    days = _days(end, start)
    return days.where(days >= 0)


def _won_close_days(deals: pd.DataFrame | None, index: pd.Index, ids: pd.Series) -> pd.Series:
    empty = pd.Series(np.nan, index=index, dtype="float64")
    need = {"account_id", "deal_stage", "deal_created", "deal_closed"}
    if deals is None or deals.empty or not need <= set(deals.columns):
        return empty
    won = deals.loc[deals["deal_stage"] == "won"]
    days = _days(won["deal_closed"], won["deal_created"])
    per = days.where(days >= 0).groupby(won["account_id"].astype(str)).mean()
    return pd.Series(ids.map(per).to_numpy(dtype="float64"), index=index)


def raw_components(accounts: pd.DataFrame, deals: pd.DataFrame | None, as_of: date) -> pd.DataFrame:
    """The raw value of every component per account (NaN = no data for that customer)."""
    revenue = _col(accounts, "arr").fillna(_col(accounts, "mrr") * 12)
    revenue = revenue.fillna(_col(accounts, "contract_value"))
    tenure = tenure_days(accounts, as_of)
    tickets = _col(accounts, "tickets")
    # a floor of 30 days keeps brand-new customers from exploding the per-year rate
    per_year = tickets / (tenure.clip(lower=30) / 365.25)
    if tenure.isna().all():
        per_year = tickets  # no tenure anywhere: raw ticket counts (stated in notes)
    ids = accounts["account_id"].astype(str)
    ttc = _col(accounts, "time_to_close_days").fillna(_won_close_days(deals, accounts.index, ids))
    return pd.DataFrame(
        {
            "revenue": revenue,
            "retention": tenure,
            "expansion": _col(accounts, "expansion_arr"),
            "satisfaction": _col(accounts, "nps").fillna(_col(accounts, "csat")),
            "support_burden": per_year,
            "time_to_close": ttc,
            "referrals": _col(accounts, "referrals"),
        },
        index=accounts.index,
    )


def _percentiles(raw: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    pct = raw.apply(percentile_rank)
    nps, csat = _col(accounts, "nps"), _col(accounts, "csat")
    if nps.notna().any() and csat.notna().any():
        pct["satisfaction"] = pd.concat([percentile_rank(nps), percentile_rank(csat)], axis=1).mean(
            axis=1
        )
    for comp in INVERSE:
        pct[comp] = 1.0 - pct[comp]
    return pct


def resolve_weights(weights: dict[str, float] | None) -> dict[str, float]:
    """Validate user weights (any positive scale) and normalise them to sum to 100."""
    w = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = sorted(set(w) - set(COMPONENTS))
    if unknown:
        raise InputError(
            f"unknown scoring component(s): {', '.join(unknown)}",
            hint=f"use only: {', '.join(COMPONENTS)}",
        )
    bad = [k for k, v in w.items() if not math.isfinite(float(v)) or float(v) < 0]
    if bad or sum(float(v) for v in w.values()) <= 0:
        raise InputError(
            "scoring weights must be non-negative numbers and not all zero",
            hint="e.g. revenue=20, retention=20, expansion=15 ...",
        )
    total = sum(float(v) for v in w.values())
    return {c: float(w.get(c, 0.0)) * 100.0 / total for c in COMPONENTS}


def _effective(weights: dict[str, float], present: list[str]) -> dict[str, float]:
    total = sum(weights[c] for c in present)
    if total <= 0:
        raise InputError(
            "no scoring component has both data and a positive weight",
            hint="provide ARR/MRR, start dates, NPS, tickets, ... or change the weights",
        )
    return {c: (weights[c] * 100.0 / total if c in present else 0.0) for c in COMPONENTS}


def _scores(pct: pd.DataFrame, eff: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Health 0–100 and each component's signed contribution in score points vs neutral."""
    p = pct[COMPONENTS].to_numpy(dtype="float64")
    w = np.array([eff[c] for c in COMPONENTS])
    have = ~np.isnan(p) & (w > 0)
    wrow = np.where(have, w, 0.0)
    tot = wrow.sum(axis=1, keepdims=True)
    share = np.divide(wrow, tot, out=np.zeros_like(wrow), where=tot > 0)
    pz = np.nan_to_num(p, nan=0.5)
    health = np.where(tot[:, 0] > 0, 100.0 * (share * pz).sum(axis=1), 50.0)
    return health, 100.0 * share * (pz - 0.5)


def _drivers(contrib: np.ndarray) -> np.ndarray:
    """Words for up to 3 components that raised and up to 3 that lowered each score."""
    k = len(COMPONENTS)
    none = k
    order = np.argsort(-contrib, axis=1, kind="stable")
    srt = np.take_along_axis(contrib, order, axis=1)
    ups = np.where(srt[:, :3] >= DRIVER_MIN_POINTS, order[:, :3], none)
    downs = np.where(srt[:, ::-1][:, :3] <= -DRIVER_MIN_POINTS, order[:, ::-1][:, :3], none)
    codes = np.concatenate([ups, downs], axis=1) @ ((k + 1) ** np.arange(6))
    uniq, inv = np.unique(codes, return_inverse=True)
    texts = []
    for code in uniq:
        digits = [(int(code) // (k + 1) ** d) % (k + 1) for d in range(6)]
        up = [f"+ {PHRASES[COMPONENTS[i]][0]}" for i in digits[:3] if i != none]
        dn = [f"− {PHRASES[COMPONENTS[i]][1]}" for i in digits[3:] if i != none]
        texts.append("; ".join(x for x in (", ".join(up), ", ".join(dn)) if x) or "average")
    return pd.array(texts, dtype="str").take(inv.reshape(-1))  # a few texts, taken per row


def _segments(health: np.ndarray, ids: np.ndarray, top: float, bottom: float):
    n = len(health)
    if not (0 < top < 1 and 0 < bottom < 1 and top + bottom <= 1):
        raise InputError(
            "segment cut points must be fractions between 0 and 1 that sum to at most 1",
            hint="e.g. --top 0.2 --bottom 0.2",
        )
    order = np.lexsort((ids, -np.round(health, 9)))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    n_top = int(math.floor(top * n + 0.5))
    n_bot = min(int(math.floor(bottom * n + 0.5)), n - n_top)
    code = np.where(rank <= n_top, 0, np.where(rank > n - n_bot, 2, 1))
    return rank, pd.array(["ideal", "acceptable", "bad_fit"], dtype="str").take(code), order


def score_customers(
    accounts: pd.DataFrame,
    deals: pd.DataFrame | None,
    *,
    weights: dict[str, float] | None = None,
    as_of: date,
    top: float = 0.2,
    bottom: float = 0.2,
    book: StatBook,
) -> ScoringResult:
    """Score, rank and segment every customer; register the headline figures in `book`.

    Missing values: a component with no data for any customer is dropped and its weight
    re-spread over the rest (`effective_weights`, `missing_components`). A customer missing a
    component is scored on the components it has, with its own weights re-spread in proportion,
    so the gap neither punishes nor rewards it. Ties in score are ranked by `account_id`.
    """
    if "account_id" not in accounts.columns or accounts.empty:
        raise InputError(
            "no customer accounts to score",
            column="account_id",
            hint="the accounts table needs an account_id column and rows",
        )
    ids = accounts["account_id"].astype(str)
    if ids.duplicated().any():
        dup = ids[ids.duplicated()].iloc[0]
        raise InputError(
            f"account_id '{dup}' appears more than once",
            column="account_id",
            hint="aggregate to one row per account before scoring",
        )
    w = resolve_weights(weights)
    raw = raw_components(accounts, deals, as_of)
    present = [c for c in COMPONENTS if raw[c].notna().any()]
    missing = [c for c in COMPONENTS if c not in present]
    eff = _effective(w, present)
    pct = _percentiles(raw, accounts)
    health, contrib = _scores(pct, eff)
    rank, seg, order = _segments(health, ids.to_numpy(dtype=object), top, bottom)
    # columns are taken in rank order before the frame is built (no DataFrame.take copy)
    matrix = pd.DataFrame({"account_id": pd.array(ids, dtype="str").take(order)})
    matrix["name"] = accounts["name"].to_numpy()[order] if "name" in accounts.columns else None
    for c in COMPONENTS:
        matrix[f"raw_{c}"] = raw[c].to_numpy()[order]
    for c in COMPONENTS:
        matrix[f"pct_{c}"] = pct[c].to_numpy()[order]
    used = pct[present].notna().to_numpy() & (np.array([eff[c] for c in present]) > 0)
    matrix["components_used"] = used.sum(axis=1)[order]
    matrix["health_score"] = np.round(health[order], 6)
    matrix["rank"] = rank[order]
    matrix["segment"] = seg[order]
    matrix["drivers"] = _drivers(contrib[order])
    notes = _notes(w, eff, missing, raw)
    stat_ids = _register(book, matrix, eff, accounts, raw)
    return ScoringResult(matrix, eff, missing, notes, stat_ids)


def _notes(w: dict, eff: dict, missing: list[str], raw: pd.DataFrame) -> list[str]:
    notes = [MISSING_RULE, "Ties in health score are ranked by account id (deterministic)."]
    if missing:
        names = ", ".join(COMPONENT_LABELS[c] for c in missing)
        notes.append(f"No data for {names}: their weight was re-spread over the other components.")
    if raw["retention"].isna().all() and raw["support_burden"].notna().any():
        notes.append("No start dates: support burden uses raw ticket counts, not tickets per year.")
    shown = ", ".join(f"{COMPONENT_LABELS[c]} {eff[c]:.0f}%" for c in COMPONENTS if eff[c] > 0)
    notes.append(f"Effective weights: {shown}.")
    return notes


def _register(
    book: StatBook, matrix: pd.DataFrame, eff: dict, accounts: pd.DataFrame, raw: pd.DataFrame
) -> dict[str, str]:
    n = len(matrix)
    ids: dict[str, str] = {}
    for c in COMPONENTS:
        ids[f"weight:{c}"] = book.add(
            f"scoring:weight:{c}",
            f"Effective weight of {COMPONENT_LABELS[c]} in the health score",
            eff[c] / 100,
            n,
            "pct",
        ).id
        cov = float(raw[c].notna().mean())
        ids[f"coverage:{c}"] = book.add(
            f"scoring:coverage:{c}",
            f"Share of customers with data for {COMPONENT_LABELS[c]}",
            cov,
            n,
            "pct",
        ).id
    churn = _bool(accounts, "churned")
    churn_by_id = pd.Series(churn.to_numpy(), index=accounts["account_id"].astype(str))
    for s in SEGMENTS:
        m = matrix["segment"] == s
        k = int(m.sum())
        label = s.replace("_", " ")
        ids[f"size:{s}"] = book.add(
            segment_key(s, "size"), f"Customers in the {label} segment", k, n, "count"
        ).id
        ids[f"share:{s}"] = book.add(
            segment_key(s, "share"), f"Share of customers in the {label} segment", k / n, n, "pct"
        ).id
        mean = float(matrix.loc[m, "health_score"].mean()) if k else None
        ids[f"mean_health:{s}"] = book.add(
            segment_key(s, "mean_health"),
            f"Mean health score (0–100) of the {label} segment",
            mean,
            k,
            "score",
        ).id
        if churn.notna().any():
            seg_churn = churn_by_id.reindex(matrix.loc[m, "account_id"]).dropna()
            kk, nn = int(seg_churn.sum()), len(seg_churn)
            lo, hi = wilson(np.array([kk]), np.array([nn]))
            val = kk / nn if nn else None
            ids[f"churn_rate:{s}"] = book.add(
                segment_key(s, "churn_rate"),
                f"Churn rate of the {label} segment",
                val,
                nn,
                "pct",
                _f(lo[0]),
                _f(hi[0]),
            ).id
    return ids


def _f(x: float) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else float(x)
