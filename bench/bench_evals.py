"""Benchmark the eval suite: time to gate a run folder and the mutation-suite figures.

`run(out_dir=None) -> dict` (default: a fresh offline build of the bundled example; or any run
folder, e.g. `python bench/bench_evals.py tests/fixtures/evalrun`). Prints JSON; no asserts.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evals.mutations import run_mutation_suite  # noqa: E402
from evals.runner import run_gates  # noqa: E402


def run(out_dir: Path | None = None, repeats: int = 5) -> dict[str, object]:
    """Gate timing (median of `repeats`, cold file reads each time) and mutation catch rates."""
    if out_dir is None:
        import tempfile

        sys.path.insert(0, str(ROOT / "bench"))
        from bench_build import build_example

        with tempfile.TemporaryDirectory() as tmp:
            proc, _ = build_example(Path(tmp) / "out")
            if proc.returncode != 0:
                raise SystemExit(f"example build failed: {proc.stderr[-2000:]}")
            return run(Path(tmp) / "out", repeats)
    folder = Path(out_dir)
    times = []
    report = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        report = run_gates(folder)
        times.append(time.perf_counter() - t0)
    suite = run_mutation_suite(folder)
    ops = suite["operators"]
    return {
        "out_dir": str(folder),
        "eval_seconds_median": round(statistics.median(times), 4),
        "passed": report.passed if report else None,
        "items_checked": {g.name: g.n for g in report.gates} if report else {},
        "mutants": suite["mutants"],
        "catch_rate": suite["catch_rate"],
        "catch_rate_per_operator": {k: v["catch_rate"] for k, v in ops.items()},  # type: ignore[union-attr]
        "mutants_per_operator": {k: v["n"] for k, v in ops.items()},  # type: ignore[union-attr]
        "false_alarms": suite["false_alarms"],
        "mutation_suite_seconds": suite["seconds"],
    }


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]) if len(sys.argv) > 1 else None), indent=2))
