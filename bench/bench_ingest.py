"""Benchmark: ingest + clean a generated 1,000,000-row messy accounts CSV.

Generates the file in a temp dir (numpy, seeded), then runs `load_customer_data` in a child
process so the peak RSS reported is the ingest's own. Prints seconds and peak RSS; importable
as `run() -> dict` for the combined bench runner. Target: < 20 s and < 3 GB on 2 cores.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ROWS = 1_000_000


def generate(path: Path, rows: int = ROWS, seed: int = 7) -> Path:
    """Write a messy accounts CSV: money strings, ranges, placeholders, typos, lists, mixed dates."""
    rng = np.random.default_rng(seed)
    pick = lambda options: np.array(options, dtype=object)[rng.integers(0, len(options), rows)]  # noqa: E731
    arr = rng.lognormal(10, 1, rows).round(0)
    arr_text = np.where(
        rng.random(rows) < 0.3, pd.Series(arr / 1000).map("${:.1f}k".format), arr.astype(str)
    )
    frame = pd.DataFrame(
        {
            "Account ID": pd.Series(np.arange(rows)).map("ACC-{:07d}".format),
            "Company Name": pd.Series(np.arange(rows)).map("Company {}".format),
            "Industry": pick(
                ["FinTech", "fintech", " Retail", "technolgy", "Healthcare", "N/A", "Software"]
            ),
            "Employees": pick(
                ["51-200", "1,000-5,000 employees", "10000+", "May-20", "12", "350", "-", ""]
            ),
            "Annual Revenue": pick(["$1.2M", "€3.4m", "120k", "2,500,000", "Select", "900000"]),
            "Country": pick(["United States", "Germany", "Philipines", "France", "N/A"]),
            "Tech Stack": pick(
                ["Salesforce; Slack", "HubSpot|Slack", "Salesforce", "", "Zendesk; Jira; Slack"]
            ),
            "ARR": arr_text,
            "Customer Since": pick(["2021-03-04", "2022-11-30", "2020-01-15", "2023-07-01", ""]),
            "Churned": pick(["Yes", "No", "TRUE", "0", "Churned", "Stayed", ""]),
            "NPS": rng.integers(-100, 101, rows),
        }
    )
    frame.to_csv(path, index=False)
    return path


def _child(path: str, queue: mp.Queue) -> None:
    from tools.ingest import load_customer_data

    start = time.perf_counter()
    data = load_customer_data([Path(path)])
    seconds = time.perf_counter() - start
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"seconds": round(seconds, 2), "peak_rss_mb": round(rss_kb / 1024, 1),
               "accounts": len(data.accounts), "cleaned_classes": len(data.report.cleaning)})  # fmt: skip


def run(rows: int = ROWS) -> dict:
    """Generate, ingest in a child process, and return the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        path = generate(Path(tmp) / "accounts.csv", rows)
        size_mb = path.stat().st_size / 1024**2
        ctx = mp.get_context("spawn")
        queue = ctx.Queue()
        proc = ctx.Process(target=_child, args=(str(path), queue))
        proc.start()
        result = queue.get()
        proc.join()
    result.update({"name": "ingest_1m_accounts", "rows": rows, "file_mb": round(size_mb, 1),
                   "target": "< 20 s and < 3072 MB"})  # fmt: skip
    return result


if __name__ == "__main__":
    figures = run(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
    for key, value in figures.items():
        print(f"{key}: {value}")
