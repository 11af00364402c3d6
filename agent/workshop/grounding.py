"""Groundedness checks for chat answers, and the register of statistics computed in the chat.

An answer is accepted only if every `[^s-…]` / `[^q-…]` marker resolves to this project's
statistics (the last build's `stats.json` plus `workshop-stats.json`, where statistics computed
for a chat question are registered with the same content-derived ids) or evidence (the build's
`evidence.jsonl` plus pasted notes), and every “quoted” span followed by a `q-` marker is verbatim
(whitespace / quote-mark normalisation only) inside the cited interviewee evidence. The quote
normalisation is the evals quotes gate's own (`evals.gates.quotes.normalise`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tools.citations import CITE_RE, StatBook
from tools.models import Evidence, Stat, Unit

try:  # the evals package owns the quote rules; reuse them so chat and document agree
    from evals.gates.quotes import QUOTE_RE, normalise
except ImportError:  # pragma: no cover - evals is part of the repo; kept for partial checkouts
    QUOTE_RE = re.compile(r"(“([^”\n]+)”|\"([^\"\n]+)\")((?:\[\^[^\]\s]+\])*)")

    def normalise(text: str) -> str:
        return " ".join(text.replace("“", '"').replace("”", '"').replace("’", "'").split())


STATS_FILE = "workshop-stats.json"


class ChatStats:
    """Statistics computed for chat answers, persisted in `<project>/workshop-stats.json`."""

    def __init__(self, project: Path) -> None:
        self.path = project / STATS_FILE
        self.book = StatBook()
        if self.path.is_file():
            try:
                rows = json.loads(self.path.read_text(encoding="utf-8"))
                self.book.extend(Stat.model_validate(r) for r in rows)
            except (OSError, ValueError):
                pass  # a damaged register is rebuilt: every stat is recomputed on demand

    def add(
        self, key: str, definition: str, value: float | None, n: int, unit: Unit, **extra: Any
    ) -> Stat:
        stat = self.book.add(f"workshop|{key}", definition, value, n, unit, **extra)
        rows = [s.model_dump(mode="json") for s in self.book.all()]
        self.path.write_text(json.dumps(rows, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return stat

    def all(self) -> dict[str, Stat]:
        return {s.id: s for s in self.book.all()}


def check_answer(text: str, stats: dict[str, Stat], evidence: dict[str, Evidence]) -> list[str]:
    """Problems with an answer's citations and quotes, in plain words (empty = grounded)."""
    problems: list[str] = []
    for m in CITE_RE.finditer(text):
        cid = m.group(1)
        if cid not in (stats if cid.startswith("s-") else evidence):
            problems.append(f"citation {cid} does not resolve to this project's data")
    for m in QUOTE_RE.finditer(text):
        body = m.group(2) if m.group(2) is not None else m.group(3)
        qids = [x.group(1) for x in CITE_RE.finditer(m.group(4)) if x.group(1).startswith("q-")]
        if not qids:
            continue
        ev = evidence.get(qids[0])
        if ev is None:
            continue  # already reported above
        if ev.speaker_role != "interviewee":
            problems.append(f"quote {qids[0]} is not an interviewee's words")
        if normalise(body) not in normalise(ev.text):
            problems.append(f"quote {qids[0]} is not verbatim in its source")
    return problems


def quote(ev: Evidence, limit: int = 240) -> str:
    """An evidence item as a citable one-line quote: “text”[^q-…] (whole, or cut at a word)."""
    text = " ".join(ev.text.replace("“", '"').replace("”", '"').split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return f"“{text}”[^{ev.id}]"
