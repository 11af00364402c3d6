"""Benchmark `icp score`: 1,000,000 generated prospects scored in Python and via fit_score.sql.

Run `python bench/bench_score.py` (or import and call `run()`); prints both times, the share
of rows on which Python and DuckDB agree, and peak RSS. Target: <= 10 s in Python on 2 cores.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.exports import to_sql  # noqa: E402
from tools.fitrules import Cutoffs, FitRules, RuleCriterion, score_frame  # noqa: E402

N = 1_000_000


def rules() -> FitRules:
    def c(cid: str, attr: str, kind: str, signal: str, pts: int, tier: int, **kw) -> RuleCriterion:
        return RuleCriterion(id=cid, attribute=attr, kind=kind, signal=signal, points=pts,
                             tier=tier, **kw)  # fmt: skip

    return FitRules(
        criteria=[
            c("i", "industry", "category", "FinTech", 10, 1, values=["FinTech"]),
            c("e", "employees", "range", "50–200 employees", 10, 1, low=50, high=200),
            c("h", "industry", "category", "Health", 3, 2, values=["Health"]),
            c("s", "tech_stack", "multi", "Stripe", 3, 2, values=["Stripe"]),
            c("r", "revenue", "range", "$1M–$20M revenue", 1, 3, low=1e6, high=2e7),
        ],
        disqualifiers=[
            c("b", "funding_stage", "category", "Bootstrapped", 0, 0, values=["Bootstrapped"])
        ],  # fmt: skip
        cutoffs=Cutoffs(tier_1=20, tier_2=6, tier_3=1),
        required_fields=["employees", "industry"],
    )


def prospects(n: int = N, seed: int = 1) -> pd.DataFrame:
    """Prospects as a warehouse/CSV would hold them (multi-valued cells ';'-joined)."""
    rng = np.random.default_rng(seed)
    emp = rng.lognormal(4.5, 1.5, n).round()
    emp[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame({
        "account_id": pd.array(np.char.add("p", np.arange(n).astype(str)), dtype="string"),
        "domain": pd.array(np.char.add(np.arange(n).astype(str), ".example"), dtype="string"),
        "industry": pd.array(rng.choice(["FinTech", "Health", "Retail", "Media", None], n),
                             dtype="string"),
        "employees": emp,
        "revenue": rng.lognormal(15, 1.5, n),
        "tech_stack": pd.array(rng.choice(["Stripe;Slack", "HubSpot", "Slack", "Stripe", ""], n),
                               dtype="string"),
        "funding_stage": pd.array(rng.choice(["Seed", "Series A", "Bootstrapped"], n),
                                  dtype="string"),
    })  # fmt: skip


def run(n: int = N) -> dict:
    """Score `n` prospects in Python and in DuckDB; return timings, agreement, peak RSS."""
    fit, df = rules(), prospects(n)
    t0 = time.perf_counter()
    py = score_frame(fit, df)
    t_py = time.perf_counter() - t0
    con = duckdb.connect()
    con.register("accounts", df)
    t0 = time.perf_counter()
    sql = con.execute(to_sql(fit)).df()
    t_sql = time.perf_counter() - t0
    py = py.sort_values("account_id", kind="stable").reset_index(drop=True)
    sql = sql.sort_values("account_id", kind="stable").reset_index(drop=True)
    agree = float(
        ((py["tier"].to_numpy() == sql["tier"].to_numpy())
         & (py["fit_score"].fillna(-1).to_numpy() == sql["fit_score"].fillna(-1).to_numpy())
         ).mean()
    )  # fmt: skip
    peak = _peak_rss(psutil.Process().memory_info().rss)
    return {"rows": n, "python_s": round(t_py, 2), "duckdb_sql_s": round(t_sql, 2),
            "agreement": agree, "peak_rss_mb": round(peak / 2**20)}  # fmt: skip


def _peak_rss(fallback: int) -> int:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    except ImportError:  # not on POSIX
        return fallback


if __name__ == "__main__":
    res = run()
    print(
        f"icp score on {res['rows']:,} prospects: Python {res['python_s']} s, "
        f"DuckDB SQL {res['duckdb_sql_s']} s, agreement {res['agreement']:.2%}, "
        f"peak RSS {res['peak_rss_mb']} MB"
    )
