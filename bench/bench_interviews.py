"""Benchmark: ingest generated interview notes into the evidence store, then re-ingest unchanged.

Prints utterances embedded per second (target >= 200/s on 2 cores) and the re-ingest time
(target < 2 s). Notes are generated from a fixed seed, so every run measures the same input.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SENTENCES = [
    "Our old reporting tool was slow and the numbers were often wrong",
    "We wanted one place where sales and support could see the same customer history",
    "The price was a concern because our budget is set once a year",
    "When we grew past eighty people the spreadsheets stopped working",
    "I use the dashboard every morning to check which deals moved overnight",
    "A colleague recommended it after reading a case study from a similar company",
    "Security reviewed the single sign-on setup before we signed",
    "Onboarding new hires used to take three weeks and now takes a few days",
    "I prefer short videos and a free trial with our own data",
    "Honestly the migration took longer than the vendor promised",
    "Our finance team needed forecasts every week instead of every quarter",
    "We integrated it with our billing system through the API in an afternoon",
]
FIRST = [
    "Ana",
    "Ben",
    "Cara",
    "Dev",
    "Eli",
    "Fay",
    "Gus",
    "Hana",
    "Ivo",
    "Jo",
    "Kai",
    "Lea",
    "Max",
    "Nia",
    "Oto",
    "Pia",
    "Quin",
    "Rae",
    "Sol",
    "Tia",
]
LAST = [
    "Abe",
    "Brun",
    "Cole",
    "Dorn",
    "Eck",
    "Fox",
    "Gale",
    "Holt",
    "Ives",
    "Jung",
    "Kerr",
    "Lind",
    "Moss",
    "Nash",
    "Orr",
    "Pike",
    "Quill",
    "Rook",
    "Stone",
    "Tate",
    "Ulm",
    "Vance",
    "Wolf",
    "Yost",
    "Zane",
]
QUESTIONS = [
    "What happened next?",
    "Why was that a problem?",
    "Who else was involved?",
    "How did you decide?",
    "What would you change?",
]


def make_note(i: int, words: int = 1500) -> str:
    rnd = random.Random(i)
    name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
    lines = [
        f"---\ninterviewee: {name}\ntitle: {rnd.choice(['CTO', 'CFO', 'Engineer'])}\n"
        f"company: Company {i}\n---\n"
    ]
    count = 0
    while count < words:
        lines.append(f"Interviewer: {rnd.choice(QUESTIONS)}\n\n")
        said = " ".join(
            f"{rnd.choice(SENTENCES)} in case {rnd.randint(1, 999)}."
            for _ in range(rnd.randint(2, 5))
        )
        lines.append(f"{name}: {said}\n\n")
        count += len(said.split()) + 4
    return "".join(lines)


def run(n_notes: int = 500, words: int = 1500) -> dict[str, float]:
    """Generate, ingest, re-ingest; return the measured figures."""
    from agent.retrieval import EvidenceStore, MiniLMEmbedding
    from tools.evidence import build_evidence
    from tools.transcripts import read_interviews

    with tempfile.TemporaryDirectory() as tmp:
        notes = Path(tmp) / "notes"
        notes.mkdir()
        for i in range(n_notes):
            (notes / f"note-{i:04d}.md").write_text(make_note(i, words), encoding="utf-8")
        store = EvidenceStore(Path(tmp) / "store", embedding=MiniLMEmbedding())
        t0 = time.perf_counter()
        ivs, _ = read_interviews([notes])
        evidence = build_evidence(ivs)
        t1 = time.perf_counter()
        stats = store.upsert_interviews(ivs, evidence)
        t2 = time.perf_counter()
        ivs2, _ = read_interviews([notes])
        again = store.upsert_interviews(ivs2, build_evidence(ivs2))
        t3 = time.perf_counter()
    return {
        "notes": n_notes,
        "utterances": stats["embedded"],
        "parse_s": round(t1 - t0, 2),
        "embed_store_s": round(t2 - t1, 2),
        "utterances_per_s": round(stats["embedded"] / max(t2 - t1, 1e-9), 1),
        "reingest_s": round(t3 - t2, 2),
        "reingest_embedded": again["embedded"],
    }


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    for key, value in run(n).items():
        print(f"{key:>20}: {value}")
