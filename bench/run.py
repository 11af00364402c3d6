"""`make bench`: run every benchmark and print its figures (never asserted in unit tests).

Usage: python bench/run.py [name ...]   (names: build ingest analysis score interviews llm evals workshop)
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCHES = ["build", "ingest", "analysis", "score", "interviews", "llm", "evals", "workshop"]


def main(names: list[str]) -> int:
    failed = 0
    for name in names or BENCHES:
        try:
            mod = importlib.import_module(f"bench_{name}")
        except ModuleNotFoundError:
            print(f"[{name}] no benchmark module bench/bench_{name}.py")
            continue
        t0 = time.perf_counter()
        print(f"[{name}] running …", flush=True)
        try:
            figures = mod.run()
        except Exception as exc:  # a broken benchmark must not hide the others' figures
            failed += 1
            print(f"[{name}] FAILED: {exc}")
            continue
        for key, value in figures.items():
            print(f"[{name}] {key}: {value}")
        print(f"[{name}] done in {time.perf_counter() - t0:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
