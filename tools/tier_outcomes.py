"""Outcome statistics for a group of accounts (a tier, a negative signal, a backtest arm).

`group_outcomes` registers churn rate, NRR proxy, win rate, time-to-close, expected LTV range
and CAC / LTV:CAC for the accounts selected by a mask as citable `Stat`s with Wilson or seeded
bootstrap intervals. Shared by `tools.tiers` (tier profiles) and `tools.validation` (backtest).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from tools.citations import StatBook
from tools.models import Stat

MAX_LIFETIME_YEARS = 10.0


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float | None, float | None]:
    """Wilson score interval for k successes out of n."""
    if n <= 0:
        return None, None
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return float(max(0.0, mid - half)), float(min(1.0, mid + half))


def bootstrap(values: np.ndarray, stat: Callable[[np.ndarray], float], reps: int = 500):
    """Percentile bootstrap 95% interval (seeded: same data, same interval)."""
    if len(values) < 2:
        return None, None
    rng = np.random.default_rng(len(values))
    if len(values) > 5000:  # the interval barely moves beyond this; keeps memory bounded
        values = rng.choice(values, size=5000, replace=False)
    draws = rng.choice(values, size=(reps, len(values)), replace=True)
    est = np.apply_along_axis(stat, 1, draws)
    return float(np.quantile(est, 0.025)), float(np.quantile(est, 0.975))


def _num(df: pd.DataFrame, col: str) -> pd.Series:
    if col not in df.columns:
        return pd.Series(np.nan, index=df.index, dtype="float64")
    return pd.to_numeric(df[col], errors="coerce").astype("float64")


def _annual_churn(acc: pd.DataFrame, as_of: date) -> float | None:
    churned = acc["churned"].astype("boolean") if "churned" in acc.columns else None
    if churned is None or churned.notna().sum() == 0:
        return None
    if "start_date" in acc.columns and acc["start_date"].notna().any():
        end = pd.Timestamp(as_of)
        if "churn_date" in acc.columns:
            end = acc["churn_date"].where(acc["churn_date"].notna(), end)
        years = ((end - acc["start_date"]).dt.days / 365.25).clip(lower=1 / 12)
        exposure = float(years[churned.notna()].sum())
        if exposure > 0:
            return float(churned.sum()) / exposure
    return float(churned.mean())


def _deal_outcomes(deals: pd.DataFrame, ids: pd.Index) -> tuple[int, int, np.ndarray]:
    if deals.empty or "deal_stage" not in deals.columns:
        return 0, 0, np.array([])
    d = deals[deals["account_id"].astype("string").isin(ids)]
    won = d["deal_stage"].eq("won")
    closed = d["deal_stage"].isin(["won", "lost"])
    days = np.array([])
    if {"deal_created", "deal_closed"} <= set(d.columns):
        span = (d.loc[won, "deal_closed"] - d.loc[won, "deal_created"]).dt.days
        days = span.dropna().to_numpy(dtype=float)
    return int(won.sum()), int(closed.sum()), days


def group_outcomes(
    accounts: pd.DataFrame,
    deals: pd.DataFrame,
    mask: np.ndarray,
    *,
    book: StatBook,
    key: str,
    label: str,
    as_of: date,
    health: pd.Series | None = None,
) -> dict[str, Stat]:
    """Citable outcome stats for the accounts selected by `mask` (keys under `key`)."""
    acc = accounts[mask]
    ids = pd.Index(acc["account_id"].astype("string"))
    n, out = len(acc), {}
    out["n"] = book.add(f"{key}.n", f"number of {label}", n, n, "count")
    if health is not None:
        h = health[mask].dropna().to_numpy(dtype=float)
        out["health"] = book.add(
            f"{key}.health",
            f"mean health score of {label}",
            float(h.mean()) if len(h) else None,
            len(h),
            "score",
            *bootstrap(h, np.mean),
        )
    if "churned" in acc.columns:
        c = acc["churned"].astype("boolean").dropna()
        k = int(c.sum())
        out["churn_rate"] = book.add(
            f"{key}.churn_rate",
            f"share of {label} that churned",
            k / len(c) if len(c) else None,
            len(c),
            "pct",
            *wilson(k, len(c)),
        )
    arr = _num(acc, "arr")
    nrr = ((arr + _num(acc, "expansion_arr").fillna(0)) / arr).where(arr > 0).dropna()
    if len(nrr) and "expansion_arr" in acc.columns:
        v = nrr.to_numpy()
        out["nrr"] = book.add(
            f"{key}.nrr",
            f"mean NRR proxy (ARR + expansion) / ARR of {label}",
            float(v.mean()),
            len(v),
            "ratio",
            *bootstrap(v, np.mean),
        )
    won, closed, days = _deal_outcomes(deals, ids)
    if closed:
        out["win_rate"] = book.add(
            f"{key}.win_rate",
            f"win rate of deals with {label}",
            won / closed,
            closed,
            "pct",
            *wilson(won, closed),
        )
    if not len(days):
        days = _num(acc, "time_to_close_days").dropna().to_numpy()
    if len(days):
        out["time_to_close"] = book.add(
            f"{key}.time_to_close",
            f"median days to close for {label}",
            float(np.median(days)),
            len(days),
            "days",
            *bootstrap(days, np.median),
        )
    out |= _ltv_cac(acc, book=book, key=key, label=label, as_of=as_of)
    return out


def _ltv_cac(acc: pd.DataFrame, *, book: StatBook, key: str, label: str, as_of: date):
    out: dict[str, Stat] = {}
    churn = _annual_churn(acc, as_of)
    arr = _num(acc, "arr").dropna()
    if churn is not None and len(arr):
        life = MAX_LIFETIME_YEARS if churn <= 0 else min(1 / churn, MAX_LIFETIME_YEARS)
        ltv = arr.to_numpy() * life
        q25, q50, q75 = (float(x) for x in np.quantile(ltv, [0.25, 0.5, 0.75]))
        out["ltv"] = book.add(
            f"{key}.ltv",
            f"expected LTV of {label}: ARR × {life:.1f}-year expected lifetime (1 / annual churn, "
            f"at most {MAX_LIFETIME_YEARS:.0f} years; median, interval is the interquartile range)",
            q50,
            len(ltv),
            "money",
            q25,
            q75,
        )
    cac = _num(acc, "cac").dropna()
    if len(cac):
        v = cac.to_numpy()
        q25, q75 = (float(x) for x in np.quantile(v, [0.25, 0.75]))
        out["cac"] = book.add(
            f"{key}.cac",
            f"median CAC of {label} (interval is the interquartile range)",
            float(np.median(v)),
            len(v),
            "money",
            q25,
            q75,
        )
        if "ltv" in out and out["cac"].value:
            out["ltv_cac"] = book.add(
                f"{key}.ltv_cac",
                f"LTV:CAC of {label} (median LTV / median CAC)",
                out["ltv"].value / out["cac"].value,  # type: ignore[operator]  # cac checked above
                len(v),
                "ratio",
            )
    return out
