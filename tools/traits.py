"""Trait encoding and the vectorised 2x2 tables behind pattern analysis.

Every attribute becomes (row, code) pairs: one pair per account for a categorical value, one
per listed value for a multi-valued cell (exploded), the value `yes` for a boolean, and a
quantile bin for a numeric attribute. Counting a trait among the best / worst customers is then
one sparse product, which also works for many label permutations at once (the null control).
Numeric attributes yield one candidate per contiguous range of quantile bins; the best range in
each direction is reported with its p-value multiplied by the number of ranges searched
(Bonferroni within the search), so the sweet-spot search is paid for honestly before the
Benjamini–Hochberg step across all reported tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from tools.models import AttributeSpec
from tools.stats import bh_any_significant, fisher_two_sided, range_sums

N_QUANTILE_EDGES = 20  # candidate boundaries at the 0th, 5th, ..., 95th percentile
MAX_MISSING = 0.5
REASONS = {
    0: "",
    1: "more than half of the customers have no value for this attribute",
    2: "too few best or worst customers have a value for this attribute",
    3: "too few of the best and worst customers have this trait",
    4: "almost all of the best and worst customers have this trait",
    5: "all customers have the same value",
}


@dataclass(frozen=True)
class Encoded:
    """One attribute as unique (row, code) pairs; `edges`/`highs` describe numeric bins."""

    spec: AttributeSpec
    numeric: bool
    valid: np.ndarray
    rows: np.ndarray
    codes: np.ndarray
    labels: tuple[str, ...]
    edges: np.ndarray | None = None
    highs: np.ndarray | None = None

    @property
    def n_codes(self) -> int:
        return len(self.labels)

    def indicator(self) -> sparse.csr_matrix:
        """Codes x accounts 0/1 matrix (a value listed twice in one cell counts once)."""
        n = len(self.valid)
        data = np.ones(len(self.rows), dtype=np.float64)
        m = sparse.csr_matrix((data, (self.codes, self.rows)), shape=(self.n_codes, n))
        m.data[:] = 1.0  # duplicates were summed; a trait is present or not
        return m

    def mask(self, code_lo: int, code_hi: int | None = None) -> np.ndarray:
        """Accounts having value `code_lo` (or a numeric bin within [code_lo, code_hi])."""
        hi = code_lo if code_hi is None else code_hi
        out = np.zeros(len(self.valid), dtype=bool)
        out[self.rows[(self.codes >= code_lo) & (self.codes <= hi)]] = True
        return out


def encode(accounts: pd.DataFrame, spec: AttributeSpec) -> Encoded:
    """Encode one attribute column of `accounts` (see module docstring)."""
    s = accounts[spec.name]
    if spec.kind == "numeric":
        return _encode_numeric(s, spec)
    if spec.kind == "multi":
        valid = s.notna().to_numpy()
        exploded = s[valid].reset_index(drop=True).explode()
        pos = np.flatnonzero(valid)[exploded.index.to_numpy()]
        keep = exploded.notna().to_numpy()
        values = exploded[keep].astype(str).str.strip()
        codes, uniq = pd.factorize(values, sort=True)
        # one (row, code) pair per value present: a value listed twice in a cell counts once
        # (sort-based de-duplication; numpy 2.4's hashed np.unique is ~100x slower here)
        width = max(len(uniq), 1)
        pair = np.sort(pos[keep].astype(np.int64) * width + codes)
        pair = pair[np.append(True, pair[1:] != pair[:-1])[: len(pair)]]
        rows, codes = np.divmod(pair, width)
        return Encoded(spec, False, valid, rows, codes.astype(np.int64), tuple(map(str, uniq)))
    if spec.kind == "boolean":
        b = s.astype("boolean")
        valid = b.notna().to_numpy()
        rows = np.flatnonzero(b.fillna(False).to_numpy(dtype=bool))
        return Encoded(spec, False, valid, rows, np.zeros(len(rows), np.int64), ("yes",))
    codes, uniq = pd.factorize(s, sort=True, use_na_sentinel=True)
    valid = codes >= 0
    # values that print the same (1 and "1") become one code
    labels, remap = np.unique(np.array([str(u) for u in uniq], dtype=object), return_inverse=True)
    return Encoded(
        spec,
        False,
        valid,
        np.flatnonzero(valid),
        remap.reshape(-1)[codes[valid]].astype(np.int64),
        tuple(labels),
    )


def _encode_numeric(s: pd.Series, spec: AttributeSpec) -> Encoded:
    x = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64")
    valid = ~np.isnan(x)
    xv = x[valid]
    if len(xv) == 0:
        return Encoded(spec, True, valid, np.array([], np.int64), np.array([], np.int64), ())
    qs = np.linspace(0, 1, N_QUANTILE_EDGES + 1)[:-1]
    srt = np.sort(xv)
    # the "lower" quantiles, read off the sorted values (same index rule as np.quantile)
    edges = np.unique(srt[np.floor((len(srt) - 1) * qs).astype(np.intp)])
    codes = np.searchsorted(edges, xv, side="right") - 1
    nxt = np.searchsorted(srt, edges[1:], side="left") - 1
    highs = np.append(srt[nxt], srt[-1])
    return Encoded(
        spec,
        True,
        valid,
        np.flatnonzero(valid),
        codes.astype(np.int64),
        tuple("" for _ in edges),
        edges,
        highs,
    )


@dataclass(frozen=True)
class Candidates:
    """Flat arrays, one entry per candidate test (counts may carry a trailing runs axis)."""

    enc: np.ndarray  # index into the encoded list
    lo: np.ndarray  # value code, or first bin of a range
    hi: np.ndarray  # same as lo for values, last bin for ranges
    a: np.ndarray  # top customers with the trait
    c: np.ndarray  # bottom customers with the trait
    t: np.ndarray  # all customers with the trait
    nt: np.ndarray  # top customers with a value
    nb: np.ndarray  # bottom customers with a value
    nv: np.ndarray  # customers with a value
    n: int  # all customers


def candidates(encs: list[Encoded], top: np.ndarray, bot: np.ndarray) -> Candidates:
    """Counts for every value and every numeric range candidate of every attribute.

    `top` / `bot` are 0/1 arrays of shape (n,) or (n, runs).
    """
    parts: list[tuple] = []
    extra = top.shape[1:]
    for k, e in enumerate(encs):
        cnt, allc = _code_counts(e, top, bot)
        nt = np.asarray(e.valid.astype(np.float64) @ top).reshape(extra)
        nb = np.asarray(e.valid.astype(np.float64) @ bot).reshape(extra)
        if e.numeric:
            i, j, a = range_sums(cnt[0])
            _, _, c = range_sums(cnt[1])
            _, _, t = range_sums(allc)
            keep = ~((i == 0) & (j == e.n_codes - 1))
            i, j, a, c, t = i[keep], j[keep], a[keep], c[keep], t[keep]
        else:
            i = j = np.arange(e.n_codes)
            a, c, t = cnt[0], cnt[1], allc
        m = len(i)
        full = (m, *extra)
        parts.append(
            (
                np.full(m, k),
                i,
                j,
                a,
                c,
                t,
                np.broadcast_to(nt, full),
                np.broadcast_to(nb, full),
                np.full(m, e.valid.sum()),
            )
        )
    if not parts:
        z = np.zeros(0)
        return Candidates(z.astype(int), z.astype(int), z.astype(int), z, z, z, z, z, z, len(top))
    cols = [np.concatenate([p[q] for p in parts]) for q in range(9)]
    return Candidates(*cols, n=len(top))  # type: ignore[misc, arg-type]  # mypy cannot count the 9 unpacked arrays


def _code_counts(e: Encoded, top: np.ndarray, bot: np.ndarray):
    """Top and bottom customers per code (shape (codes, *runs)) and all customers per code."""
    if top.ndim == 1:  # (row, code) pairs are unique (see `encode`): plain bincounts
        m = e.n_codes
        every_row = e.spec.kind != "multi" and len(e.rows) == len(e.valid)  # rows == arange(n)
        cnt = [
            np.bincount(e.codes, weights=v if every_row else v[e.rows], minlength=m)
            for v in (top, bot)
        ]
        return cnt, np.bincount(e.codes, minlength=m).astype(np.float64)
    ind = e.indicator()
    cnt = [np.asarray(ind @ v).reshape((e.n_codes, *top.shape[1:])) for v in (top, bot)]
    return cnt, np.asarray(ind.sum(axis=1)).reshape(e.n_codes)


def reason_codes(cand: Candidates, min_support: int) -> np.ndarray:
    """0 where a candidate can be tested, else the `REASONS` code explaining why not."""
    shape = cand.a.shape

    def wide(v: np.ndarray) -> np.ndarray:
        return np.broadcast_to(v.reshape(v.shape + (1,) * (len(shape) - v.ndim)), shape)

    missing = wide(cand.nv < (1 - MAX_MISSING) * cand.n)
    marked = cand.a + cand.c
    total = cand.nt + cand.nb
    code = np.zeros(shape, dtype=np.int64)
    code = np.where(total - marked < min_support, 4, code)
    code = np.where(marked < min_support, 3, code)
    code = np.where((cand.nt < min_support) | (cand.nb < min_support), 2, code)
    code = np.where(missing, 1, code)
    return code


def p_values(cand: Candidates, reasons: np.ndarray) -> np.ndarray:
    """Fisher p-value per testable candidate, NaN elsewhere."""
    p = fisher_two_sided(cand.a, cand.nt + cand.nb, cand.a + cand.c, cand.nt)
    return np.where(reasons == 0, p, np.nan)


def family_p(encs: list[Encoded], cand: Candidates, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P-values of the reported tests and the candidate each one stands for.

    Values report themselves. Each numeric attribute reports two slots (best range where ideal
    customers concentrate, best where bad-fit customers do), each p-value multiplied by the
    number of testable ranges searched. `p` is (candidates,) or (candidates, runs); returns
    (tests, runs) arrays of p-values (NaN = nothing testable) and candidate indices (-1).
    """
    p2 = p.reshape(len(p), -1)
    runs = p2.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = (cand.a / cand.nt - cand.c / cand.nb).reshape(len(p), -1)
    out_p, out_i = [], []
    for k, e in enumerate(encs):
        own = np.flatnonzero(cand.enc == k)
        if not e.numeric:
            out_p.append(p2[own])
            out_i.append(np.broadcast_to(own[:, None], (len(own), runs)))
            continue
        sub = p2[own]
        n_ok = (~np.isnan(sub)).sum(axis=0)
        for sign in (1, -1):
            side = np.where(np.sign(diff[own]) == sign, sub, np.nan)
            has = ~np.isnan(side).all(axis=0) if len(own) else np.zeros(runs, bool)
            best = (
                np.argmin(np.where(np.isnan(side), np.inf, side), axis=0)
                if len(own)
                else np.zeros(runs, int)
            )
            pm = np.take_along_axis(np.where(np.isnan(side), np.inf, side), best[None], 0)[0]
            pm = np.where(has, pm, 1.0)
            out_p.append(np.where(has, np.minimum(1.0, pm * n_ok), np.nan)[None])
            out_i.append(np.where(has, own[best] if len(own) else -1, -1)[None])
    if not out_p:
        return np.zeros((0, runs)), np.zeros((0, runs), dtype=int)
    return np.concatenate(out_p), np.concatenate(out_i).astype(int)


def null_control(
    encs: list[Encoded],
    segment: np.ndarray,
    *,
    runs: int,
    seed: int,
    fdr: float,
    min_support: int,
) -> np.ndarray:
    """Per run, whether any single trait would be reported significant after the segment
    labels (equivalently the health scores) are randomly permuted across accounts."""
    rng = np.random.default_rng(seed)
    perms = np.stack([rng.permutation(segment) for _ in range(runs)], axis=1)
    top = (perms == "ideal").astype(np.float64)
    bot = (perms == "bad_fit").astype(np.float64)
    cand = candidates(encs, top, bot)
    reasons = reason_codes(cand, min_support)
    fam, _ = family_p(encs, cand, p_values(cand, reasons))
    return bh_any_significant(fam, fdr)
