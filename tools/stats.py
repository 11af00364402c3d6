"""Vectorised small-sample statistics used by scoring and pattern analysis.

Everything here works on numpy arrays so that thousands of 2x2 tables (one per trait, or one per
trait and permutation) are tested in one call: Wilson score intervals, Fisher's exact test,
odds ratios with the Haldane correction, Benjamini–Hochberg q-values, percentile ranks and the
counts of every contiguous range of ordered bins (for the numeric sweet-spot search).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

Z95 = 1.959963984540054


def wilson(k: np.ndarray, n: np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes out of n (NaN where n == 0)."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def fisher_two_sided(x: np.ndarray, total: np.ndarray, marked: np.ndarray, drawn: np.ndarray):
    """Two-sided Fisher exact p-value of 2x2 tables, by doubling the smaller tail.

    The table is: `total` customers (top + bottom), `marked` of them have the trait, `drawn`
    are in the top group, `x` are top customers with the trait. The doubled one-sided
    hypergeometric tail (capped at 1) is a standard two-sided Fisher variant; it is never less
    conservative than the one-sided test and vectorises exactly.
    """
    x = np.asarray(x, dtype=float)
    lower = sps.hypergeom.cdf(x, total, marked, drawn)
    upper = sps.hypergeom.sf(x - 1, total, marked, drawn)
    return np.minimum(1.0, 2.0 * np.minimum(lower, upper))


def odds_ratio(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Odds ratio (a/b)/(c/d) with Woolf 95% interval; Haldane +0.5 where any cell is zero.

    a = top with trait, b = top without, c = bottom with trait, d = bottom without.
    """
    cells = np.stack([np.asarray(v, dtype=float) for v in (a, b, c, d)])
    zero = (cells == 0).any(axis=0)
    cells = cells + np.where(zero, 0.5, 0.0)
    a2, b2, c2, d2 = cells
    log_or = np.log(a2) + np.log(d2) - np.log(b2) - np.log(c2)
    se = np.sqrt(1 / a2 + 1 / b2 + 1 / c2 + 1 / d2)
    return np.exp(log_or), np.exp(log_or - Z95 * se), np.exp(log_or + Z95 * se)


def bh_qvalues(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q); NaN p-values are ignored and stay NaN."""
    p = np.asarray(p, dtype=float)
    q = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return q
    pv = p[ok]
    order = np.argsort(pv, kind="stable")
    ranked = pv[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(ranked, 1.0)
    q[ok] = out
    return q


def bh_any_significant(p: np.ndarray, fdr: float) -> np.ndarray:
    """For a (tests x runs) matrix of p-values, whether BH at `fdr` rejects anything per run."""
    p = np.where(np.isnan(p), np.inf, p)
    m = np.isfinite(p).sum(axis=0)
    ps = np.sort(p, axis=0)
    k = np.arange(1, p.shape[0] + 1)[:, None]
    return (ps <= fdr * k / np.maximum(m, 1)).any(axis=0)


def percentile_rank(values: pd.Series) -> pd.Series:
    """Percentile 0–1 among non-missing values (ties share their average rank; NaN stays NaN).

    The lowest value gets 0, the highest 1; a single value or all-equal values get 0.5.
    """
    n = values.notna().sum()
    ranks = values.rank(method="average", na_option="keep")
    if n <= 1:
        return ranks * 0 + 0.5
    return (ranks - 1) / (n - 1)


def range_sums(bin_counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counts of every contiguous bin range [i, j] (i <= j) of ordered bins.

    `bin_counts` has bins on axis 0 (extra axes are carried). Returns (i, j, sums) where sums
    has one row per range.
    """
    n_bins = bin_counts.shape[0]
    i, j = np.triu_indices(n_bins)
    cum = np.concatenate([np.zeros((1, *bin_counts.shape[1:])), np.cumsum(bin_counts, axis=0)])
    return i, j, cum[j + 1] - cum[i]


def finite_or_none(x: object) -> float | None:
    """A float for the models, None for NaN (an undefined statistic is missing, not zero)."""
    v = float(x)  # type: ignore[arg-type]
    return None if np.isnan(v) else v
