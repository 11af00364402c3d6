"""Workshop latency on the bundled example: first answer after loading, insights after a paste.

`run()` returns the figures as a dict; `python bench/bench_workshop.py` prints them. Offline LLM,
a fresh temporary project each run (so the first answer includes the build).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTE = """Maria: Our biggest headache is closing the books every month. It takes nine days.

Interviewer: What would stop you from buying?

Maria: Honestly the price is a concern for us. Security review also takes forever here.

Maria: We started looking after our Series B, when investors demanded monthly board metrics.
"""


def run() -> dict[str, float | str]:
    sys.path.insert(0, str(REPO))
    from agent.cli.workshop_cmd import open_conversation

    acme = REPO / "examples" / "acme"
    with tempfile.TemporaryDirectory() as tmp:
        conv = open_conversation(Path(tmp) / "proj", "offline", date(2026, 6, 30), "")
        try:
            t0 = time.perf_counter()
            conv.turn(f"load customers {acme / 'accounts.csv'} {acme / 'deals.csv'}")
            conv.turn(f"load interviews {acme / 'interviews'}")
            t_load = time.perf_counter() - t0
            first = conv.turn("why is fintech Tier 1?")
            t_first = time.perf_counter() - t0
            t1 = time.perf_counter()
            note = conv.turn(NOTE, mode="paste")
            t_paste = time.perf_counter() - t1
            t2 = time.perf_counter()
            conv.turn("show churn reasons for companies under 50 employees")
            t_next = time.perf_counter() - t2
        finally:
            conv.close()
    return {
        "load_s": round(t_load, 3),
        "first_answer_after_load_s": round(t_first, 3),
        "first_answer_kind": first.kind,
        "insights_after_paste_s": round(t_paste, 3),
        "paste_reply_kind": note.kind,
        "next_answer_s": round(t_next, 3),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
