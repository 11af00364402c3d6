"""The document model and its Markdown rendering with footnote citations.

Drafting (offline or LLM) produces a `Document` of sections made of sentences that carry their
citations as data. Numbers enter prose only through placeholders `{s-xxxxxxxx}` (the value),
`{s-xxxxxxxx:n}`, `{s-xxxxxxxx:lo}`, `{s-xxxxxxxx:hi}`, which the renderer fills with
`tools.citations.format_value`; a placeholder's stat is always cited by the sentence that holds it.
Quotes are rendered from evidence items, never from drafted text.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from tools.citations import cite, format_value
from tools.models import Evidence, Frozen, Stat

PLACEHOLDER_RE = re.compile(r"\{((?:s)-[0-9a-f]{8})(?::(n|lo|hi))?\}")
GATED_PREFIXES = ("Tier", "Negative ICP", "Personas")


class Sentence(Frozen):
    text: str
    cites: tuple[str, ...] = ()


class Paragraph(Frozen):
    kind: Literal["paragraph"] = "paragraph"
    sentences: list[Sentence]


class Bullets(Frozen):
    kind: Literal["bullets"] = "bullets"
    items: list[Sentence]


class Table(Frozen):
    kind: Literal["table"] = "table"
    header: list[str]
    rows: list[list[Sentence]]


class QuoteBlock(Frozen):
    kind: Literal["quote"] = "quote"
    evidence_id: str
    lead: str = ""  # e.g. "Pain" — words only, no numbers


Block = Paragraph | Bullets | Table | QuoteBlock


class Section(Frozen):
    id: str
    title: str
    level: int = 2
    blocks: list[Block] = Field(default_factory=list)
    flagged: str | None = None  # e.g. "LLM draft failed checks; offline text shown"


class Document(Frozen):
    title: str
    sections: list[Section]


class RenderError(ValueError):
    """A draft refers to a statistic or evidence item this run does not have."""


class Renderer:
    """Renders a Document against the run's statistics and evidence."""

    def __init__(self, stats: dict[str, Stat], evidence: dict[str, Evidence]) -> None:
        self.stats = stats
        self.evidence = evidence
        self.used: list[str] = []

    def _note(self, ids: tuple[str, ...] | list[str]) -> None:
        for i in ids:
            if i not in self.used:
                self.used.append(i)

    def sentence(self, s: Sentence) -> str:
        body, cites = self._fill(s)
        return body + cite(*cites)

    def _fill(self, s: Sentence) -> tuple[str, list[str]]:
        """The text with placeholders filled, and every id it cites (placeholders included)."""
        cites = list(s.cites)

        def fill(m: re.Match[str]) -> str:
            sid, part = m.group(1), m.group(2)
            stat = self.stats.get(sid)
            if stat is None:
                raise RenderError(f"placeholder cites unknown statistic {sid}")
            if sid not in cites:
                cites.append(sid)
            if part == "n":
                return format_value(stat.n, "count")
            if part == "lo":
                return format_value(stat.ci_low, stat.unit)
            if part == "hi":
                return format_value(stat.ci_high, stat.unit)
            return format_value(stat.value, stat.unit)

        body = PLACEHOLDER_RE.sub(fill, s.text)
        for cid in cites:
            if cid not in self.stats and cid not in self.evidence:
                raise RenderError(f"sentence cites unknown id {cid}: {s.text[:80]}")
        self._note(cites)
        return body, cites

    def table_row(self, row: list[Sentence]) -> str:
        """A table row is one claim: its citations are shown once, after the first cell."""
        cells, ids = [], []
        for c in row:
            body, cites = self._fill(c)
            cells.append(body.replace("|", "/"))
            ids += [i for i in cites if i not in ids]
        if cells:
            cells[0] += cite(*ids)
        return "| " + " | ".join(cells) + " |"

    def quote(self, q: QuoteBlock) -> str:
        ev = self.evidence.get(q.evidence_id)
        if ev is None:
            raise RenderError(f"quote cites unknown evidence {q.evidence_id}")
        self._note([ev.id])
        who = ev.speaker + (f", {ev.title}" if ev.title else "")
        lead = f"**{q.lead}:** " if q.lead else ""
        text = " ".join(ev.text.split())
        return f"> {lead}“{text}”{cite(ev.id)} — {who}"

    def block(self, b: Block) -> str:
        if isinstance(b, Paragraph):
            return " ".join(self.sentence(s) for s in b.sentences)
        if isinstance(b, Bullets):
            return "\n".join(f"- {self.sentence(s)}" for s in b.items)
        if isinstance(b, Table):
            head = "| " + " | ".join(b.header) + " |"
            sep = "|" + "---|" * len(b.header)
            rows = [self.table_row(row) for row in b.rows]
            return "\n".join([head, sep, *rows])
        return self.quote(b)

    def footnotes(self) -> str:
        lines = []
        for i in self.used:
            if i in self.stats:
                st = self.stats[i]
                value = format_value(st.value, st.unit)
                ci = ""
                if st.ci_low is not None and st.ci_high is not None:
                    lo = format_value(st.ci_low, st.unit)
                    hi = format_value(st.ci_high, st.unit)
                    ci = f", interval {lo} to {hi}"
                lines.append(f"[^{i}]: {st.definition}: {value}{ci} (n={st.n}; `stats.json`)")
            else:
                ev = self.evidence[i]
                title = f", {ev.title}" if ev.title else ""
                src = ev.source.rsplit("/", 1)[-1]
                lines.append(
                    f"[^{i}]: {ev.speaker}{title} — `{src}`, characters {ev.start}–{ev.end} "
                    "(`evidence.jsonl`)"
                )
        return "\n".join(lines)


def render_markdown(doc: Document, stats: dict[str, Stat], evidence: dict[str, Evidence]) -> str:
    """Render the document; every id it cites is listed under `## Sources` as a footnote."""
    r = Renderer(stats, evidence)
    parts = [f"# {doc.title}", ""]
    for sec in doc.sections:
        parts.append(f"{'#' * sec.level} {sec.title}")
        parts.append("")
        if sec.flagged:
            parts.append(f"*Note: {sec.flagged}*")
            parts.append("")
        for b in sec.blocks:
            parts.append(r.block(b))
            parts.append("")
    notes = r.footnotes()
    if notes:
        parts += ["## Sources", "", notes, ""]
    return "\n".join(parts)


def is_gated(title: str) -> bool:
    return title.startswith(GATED_PREFIXES)
