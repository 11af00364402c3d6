"""Raw business outcomes by segment and by significant trait, and the data-sufficiency verdict.

Health scores are a construct; marketers trust raw outcomes. Where the data has them, this
module registers churn rate, win rate (deals joined by account id), an NRR proxy
((ARR + expansion) / ARR), time to close and CAC for each segment and for each significant
trait, and judges whether the data supports firm claims or only directional ones.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from tools.citations import StatBook
from tools.models import Frozen, PatternTest
from tools.scoring import SEGMENTS
from tools.stats import wilson
from tools.traits import Encoded

MIN_WON_DEALS = 50  # SPEC §2 lint: fewer than ~50 won deals = directional only
MIN_GROUP_ADEQUATE = 20


class Sufficiency(Frozen):
    level: Literal["insufficient", "directional", "adequate"]
    reasons: list[str] = Field(default_factory=list)
    n_accounts: int
    n_ideal: int
    n_bad_fit: int
    n_won: int
    n_lost: int
    n_open: int


def segment_array(matrix: pd.DataFrame, pos: np.ndarray) -> np.ndarray:
    """Segment of each account (matrix rows `pos`) as a compact fixed-width string array
    (fast to compare, unlike a shuffled object array)."""
    codes, uniq = pd.factorize(matrix["segment"])
    return np.asarray([str(u) for u in uniq], dtype=str)[codes[pos]]


def _deal_counts(deals: pd.DataFrame | None) -> tuple[int, int, int]:
    if deals is None or deals.empty or "deal_stage" not in deals.columns:
        return 0, 0, 0
    vc = deals["deal_stage"].value_counts()
    return int(vc.get("won", 0)), int(vc.get("lost", 0)), int(vc.get("open", 0))


def sufficiency(
    accounts: pd.DataFrame, seg: np.ndarray, deals: pd.DataFrame | None, min_support: int
) -> Sufficiency:
    """Insufficient / directional / adequate, with the reasons in plain words."""
    n = len(accounts)
    n_ideal, n_bad = int((seg == "ideal").sum()), int((seg == "bad_fit").sum())
    won, lost, open_ = _deal_counts(deals)
    reasons: list[str] = []
    level: Literal["insufficient", "directional", "adequate"] = "adequate"
    if won == 0 and lost == 0:
        won = n
        reasons.append(
            f"No closed deals in the data: each of the {n} customers counts as a won deal."
        )
    if n < 30 or min(n_ideal, n_bad) < min_support:
        level = "insufficient"
        reasons.append(
            f"Only {n} customers ({n_ideal} ideal, {n_bad} bad fit): too few to "
            "compare the best and worst customers."
        )
    elif won < MIN_WON_DEALS or min(n_ideal, n_bad) < MIN_GROUP_ADEQUATE:
        level = "directional"
        if won < MIN_WON_DEALS:
            reasons.append(
                f"Fewer than {MIN_WON_DEALS} won deals ({won}): patterns are directional only."
            )
        if min(n_ideal, n_bad) < MIN_GROUP_ADEQUATE:
            reasons.append(
                f"Fewer than {MIN_GROUP_ADEQUATE} customers in the ideal or bad-fit "
                "group: only large differences can be detected."
            )
    return Sufficiency(
        level=level,
        reasons=reasons,
        n_accounts=n,
        n_ideal=n_ideal,
        n_bad_fit=n_bad,
        n_won=won,
        n_lost=lost,
        n_open=open_,
    )


def _rate(book: StatBook, key: str, definition: str, flags: pd.Series) -> str | None:
    flags = flags.dropna().astype(bool)
    if flags.empty:
        return None
    k, n = int(flags.sum()), len(flags)
    lo, hi = wilson(np.array([k]), np.array([n]))
    return book.add(key, definition, k / n, n, "pct", float(lo[0]), float(hi[0])).id


def _group_outcomes(
    book: StatBook,
    tag: str,
    words: str,
    mask: np.ndarray,
    accounts: pd.DataFrame,
    matrix_ttc: pd.Series,
    won_by_acc: pd.Series | None,
) -> list[str]:
    """Churn, win rate, NRR proxy, time to close and CAC for the accounts in `mask`."""
    sub = accounts.loc[mask]
    out: list[str | None] = []
    if "churned" in sub.columns:
        out.append(
            _rate(
                book,
                f"{tag}:churn_rate",
                f"Churn rate of {words}",
                sub["churned"].astype("boolean"),
            )
        )
    if won_by_acc is not None:
        flags = won_by_acc[won_by_acc.index.isin(sub["account_id"].astype(str))]
        out.append(
            _rate(book, f"{tag}:win_rate", f"Win rate (won / closed deals) of {words}", flags)
        )
    if {"arr", "expansion_arr"} <= set(sub.columns):
        both = sub[["arr", "expansion_arr"]].dropna()
        both = both[both["arr"] > 0]
        if len(both):
            val = (both["arr"].sum() + both["expansion_arr"].sum()) / both["arr"].sum()
            out.append(
                book.add(
                    f"{tag}:nrr_proxy",
                    f"NRR proxy (ARR + expansion) / ARR of {words}",
                    val,
                    len(both),
                    "ratio",
                ).id
            )
    ttc = matrix_ttc[mask].dropna()
    if len(ttc):
        out.append(
            book.add(
                f"{tag}:time_to_close",
                f"Mean days to close for {words}",
                float(ttc.mean()),
                len(ttc),
                "days",
            ).id
        )
    if "cac" in sub.columns and sub["cac"].notna().any():
        cac = sub["cac"].dropna()
        out.append(
            book.add(f"{tag}:cac", f"Mean CAC of {words}", float(cac.mean()), len(cac), "money").id
        )
    return [x for x in out if x]


def won_flags(deals: pd.DataFrame | None) -> pd.Series | None:
    if deals is None or deals.empty or not {"account_id", "deal_stage"} <= set(deals.columns):
        return None
    closed = deals[deals["deal_stage"].isin(["won", "lost"])]
    if closed.empty:
        return None
    won = (closed["deal_stage"] == "won").to_numpy()
    return pd.Series(won, index=closed["account_id"].astype(str).to_numpy())


def _trait_mask(
    test: PatternTest, accounts: pd.DataFrame, encs: dict[str, Encoded]
) -> np.ndarray | None:
    e = encs.get(test.attribute)
    if e is None:
        return None
    if test.kind == "range" and test.low is not None:
        x = pd.to_numeric(accounts[test.attribute], errors="coerce").to_numpy(dtype=float)
        return (x >= test.low) & (x <= test.high)
    if test.kind == "value" and test.value in e.labels:
        return e.mask(e.labels.index(test.value))
    return None


def register_outcomes(
    accounts: pd.DataFrame,
    matrix: pd.DataFrame,
    pos: np.ndarray,
    deals: pd.DataFrame | None,
    tests: list[PatternTest],
    encs: list[Encoded],
    book: StatBook,
) -> list[str]:
    """Register raw outcomes per segment and per significant trait; return their stat ids.

    `pos` gives the matrix row of each account (see `tools.patterns.align`).
    """
    seg = segment_array(matrix, pos)
    full = accounts
    keep = ["account_id", "churned", "arr", "expansion_arr", "cac"]
    accounts = accounts[[c for c in keep if c in accounts.columns]]
    ttc = pd.Series(matrix["raw_time_to_close"].to_numpy(dtype=float)[pos], index=accounts.index)
    won = won_flags(deals)
    out: list[str] = []
    for s in SEGMENTS:
        words = f"{s.replace('_', ' ')} customers"
        out += _group_outcomes(book, f"segment:{s}", words, seg == s, accounts, ttc, won)
    by_name = {e.spec.name: e for e in encs}
    for t in tests:
        if t.status != "significant":
            continue
        mask = _trait_mask(t, full, by_name)
        if mask is not None:
            out += _group_outcomes(
                book, f"pattern:{t.id}", f"customers with {t.label}", mask, accounts, ttc, won
            )
    return out
