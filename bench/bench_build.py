"""Benchmark: wall time and peak memory of the offline example build (`make demo`'s work).

Runs the build as a child process so its peak RSS is measured alone.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "acme"


def build_example(out: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """Build the bundled example offline into `out`; (process, wall seconds)."""
    cmd = [
        sys.executable, "-m", "agent.cli.app", "build",
        "--customers", str(EXAMPLE / "accounts.csv"),
        "--customers", str(EXAMPLE / "deals.csv"),
        "--interviews", str(EXAMPLE / "interviews"),
        "--out", str(out), "--as-of", "2026-06-30", "--quiet", "--llm", "offline",
    ]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    return proc, time.perf_counter() - t0


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        proc, wall = build_example(Path(tmp) / "out")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode != 0:
        raise SystemExit(f"example build failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return {"example_build_wall_s": round(wall, 2), "example_build_peak_rss_mb": round(peak_mb, 1)}


if __name__ == "__main__":
    for k, v in run().items():
        print(f"{k}: {v}")
