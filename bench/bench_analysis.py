"""Benchmark: scoring + full pattern analysis on 1,000,000 generated accounts (~20 attributes).

Prints seconds and peak RSS, and the same core computation (percentile ranks, weighted score,
segments, per-trait top/bottom counts) as one DuckDB SQL query timed in the same run, as a
reference ratio. Targets: <= 10 s, <= 3 GB, <= 1.5x DuckDB. `run()` returns the figures.
"""

from __future__ import annotations

import itertools
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.citations import StatBook  # noqa: E402
from tools.models import AttributeSpec  # noqa: E402
from tools.patterns import analyse_patterns  # noqa: E402
from tools.scoring import score_customers  # noqa: E402

N = 1_000_000
CATS = {f"cat_{i}": [f"v{j}" for j in range(3 + i)] for i in range(8)}
NUMS = [f"num_{i}" for i in range(8)]
TOOLS = ["Salesforce", "HubSpot", "Slack", "Jira", "Zendesk"]
COMPONENT_COLS = ["arr", "expansion_arr", "nps", "tickets", "time_to_close_days", "referrals"]


def make_data(n: int = N, seed: int = 0) -> tuple[pd.DataFrame, list[AttributeSpec]]:
    rng = np.random.default_rng(seed)
    q = rng.normal(0, 1, n)
    cols: dict[str, object] = {"account_id": np.char.add("a", np.arange(n).astype(str))}
    specs = []
    for name, values in CATS.items():
        cols[name] = np.array(values, dtype=object)[rng.integers(0, len(values), n)]
        specs.append(AttributeSpec(name=name, kind="categorical", group="custom", label=name))
    for name in NUMS:
        cols[name] = rng.lognormal(4, 1, n)
        specs.append(AttributeSpec(name=name, kind="numeric", group="custom", label=name))
    subsets = [tuple(c) for k in range(4) for c in itertools.combinations(TOOLS, k)]
    stacks = np.empty(len(subsets), dtype=object)
    stacks[:] = subsets
    cols["tech_stack"] = stacks[rng.integers(0, len(subsets), n)]
    specs.append(
        AttributeSpec(name="tech_stack", kind="multi", group="technographic", label="Tech")
    )
    for i in range(3):
        cols[f"flag_{i}"] = pd.array(rng.random(n) < 0.3, dtype="boolean")
        specs.append(
            AttributeSpec(name=f"flag_{i}", kind="boolean", group="custom", label=f"flag {i}")
        )
    cols["arr"] = np.exp(9 + 0.5 * q + rng.normal(0, 0.5, n))
    cols["expansion_arr"] = np.maximum(0, rng.normal(1000 * q, 2000, n))
    cols["nps"] = np.clip(np.round(20 + 25 * q + rng.normal(0, 20, n)), -100, 100)
    cols["tickets"] = rng.poisson(3, n).astype(float)
    cols["time_to_close_days"] = rng.integers(5, 200, n).astype(float)
    cols["referrals"] = rng.poisson(1, n).astype(float)
    cols["start_date"] = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1500, n), "D")
    return pd.DataFrame(cols), specs


def duckdb_reference(acc: pd.DataFrame) -> float:
    """Seconds for the equivalent SQL: percentile ranks, weighted score, segments, counts."""
    import duckdb

    con = duckdb.connect()
    con.register(
        "acc", acc.drop(columns=["tech_stack"]).assign(tech_stack=acc["tech_stack"].map(list))
    )
    pct = lambda c, inv=False: (  # noqa: E731
        f"{'1 - ' if inv else ''}percent_rank() OVER (ORDER BY {c})"
    )
    comps = ", ".join(
        [
            f"{pct('arr')} AS p_rev",
            f"{pct('expansion_arr')} AS p_exp",
            f"{pct('nps')} AS p_nps",
            f"{pct('tickets', True)} AS p_tix",
            f"{pct('time_to_close_days', True)} AS p_ttc",
            f"{pct('referrals')} AS p_ref",
            f"{pct('DATE ' + repr('2025-06-30') + ' - start_date')} AS p_ret",
        ]
    )
    score = (
        "100 * (0.2*p_rev + 0.2*p_ret + 0.15*p_exp + 0.15*p_nps + 0.1*p_tix + 0.1*p_ttc"
        " + 0.1*p_ref)"
    )
    counts = []
    for c in CATS:
        counts.append(
            f"SELECT '{c}' a, {c}::VARCHAR v, sum(top) t, sum(bot) b, count(*) n "
            f"FROM seg GROUP BY ALL"
        )
    for c in NUMS:
        counts.append(
            f"SELECT '{c}' a, ntile(10) OVER (ORDER BY {c})::VARCHAR v, top, bot FROM seg"
        )
        counts[-1] = (
            f"SELECT a, v, sum(top) t, sum(bot) b, count(*) n FROM ({counts[-1]}) GROUP BY ALL"
        )
    counts.append(
        "SELECT 'tech' a, v, sum(top) t, sum(bot) b, count(*) n FROM (SELECT "
        "unnest(tech_stack) v, top, bot FROM seg) GROUP BY ALL"
    )
    sql = (
        f"WITH p AS (SELECT *, {comps} FROM acc), s AS (SELECT *, {score} AS health FROM p), "
        "r AS (SELECT *, row_number() OVER (ORDER BY health DESC, account_id) AS rk, count(*) "
        "OVER () AS n FROM s), seg AS (SELECT *, (rk <= 0.2 * n)::INT AS top, "
        "(rk > 0.8 * n)::INT AS bot FROM r) " + " UNION ALL ".join(counts)
    )
    t0 = time.perf_counter()
    con.execute(sql).fetchall()
    return time.perf_counter() - t0


def run(n: int = N) -> dict:
    acc, specs = make_data(n)
    proc = psutil.Process()
    rss0 = proc.memory_info().rss
    t0 = time.perf_counter()
    book = StatBook()
    scoring = score_customers(acc, None, as_of=date(2025, 6, 30), book=book)
    t1 = time.perf_counter()
    report = analyse_patterns(acc, scoring.matrix, specs, None, book=book)
    t2 = time.perf_counter()
    peak = _peak_rss()
    ref = duckdb_reference(acc)
    total = t2 - t0
    return {
        "accounts": n,
        "attributes": len(specs),
        "tests": len(report.tests),
        "scoring_s": round(t1 - t0, 2),
        "patterns_s": round(t2 - t1, 2),
        "total_s": round(total, 2),
        "peak_rss_gb": round(peak / 1e9, 2),
        "rss_before_gb": round(rss0 / 1e9, 2),
        "duckdb_s": round(ref, 2),
        "ratio_vs_duckdb": round(total / ref, 2),
    }


def _peak_rss() -> int:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    except ImportError:  # pragma: no cover - non-POSIX
        return psutil.Process().memory_info().rss


if __name__ == "__main__":
    figures = run(int(sys.argv[1]) if len(sys.argv) > 1 else N)
    for k, v in figures.items():
        print(f"{k:>16}: {v}")
