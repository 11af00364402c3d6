"""Parse a rendered `ICP.md` into sections, claim units and footnote definitions.

The gates read the Markdown itself (not the `Document` model) so a hand-edited file is checked
too. A *claim unit* is a sentence of a paragraph, a bullet item, a table row or a block quote
(see docs/architecture.md, "The document convention"). Headings, table headers, italic notes and
footnote definitions are not claim units. Every unit knows its H2 section (which decides whether
it is gated), its H3 subsection (personas live there), its line number and its citation ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from tools.citations import CITE_RE
from tools.document import GATED_PREFIXES

UnitKind = Literal["sentence", "bullet", "row", "header", "quote"]

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
FOOTNOTE_DEF_RE = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
ANY_MARKER_RE = re.compile(r"\[\^([^\]\s]+)\]")
BULLET_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
SEPARATOR_RE = re.compile(r"^\|?\s*:?-{2,}")
NOTE_RE = re.compile(r"^\*[^*].*\*$")
# A sentence ends at . ! ? (plus any closing quote and footnote markers) before a capital,
# a digit, an opening quote or $; decimals such as 2.1 never have whitespace after the dot.
SENTENCE_END_RE = re.compile(r"[.!?][”\"’)]?((?:\[\^[^\]]+\])*)\s+(?=[A-Z0-9“\"$*])")


@dataclass(frozen=True)
class Unit:
    """One claim unit of the document."""

    kind: UnitKind
    text: str
    line: int  # 1-based line in ICP.md
    h2: str
    h3: str = ""

    @property
    def gated(self) -> bool:
        return self.h2.startswith(GATED_PREFIXES)

    @property
    def cites(self) -> list[str]:
        """Every footnote id the unit cites (well-formed or not), in order, de-duplicated."""
        out: list[str] = []
        for m in ANY_MARKER_RE.finditer(self.text):
            if m.group(1) not in out:
                out.append(m.group(1))
        return out

    def short(self, width: int = 160) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Heading:
    level: int
    title: str
    line: int
    h2: str


@dataclass
class ParsedDoc:
    """The document as the gates see it."""

    text: str
    units: list[Unit] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)
    tables: list[list[Unit]] = field(default_factory=list)  # header unit first, then rows

    def h2_titles(self) -> list[str]:
        return [h.title for h in self.headings if h.level == 2]

    def section_units(self, h2_prefix: str) -> list[Unit]:
        return [u for u in self.units if u.h2.startswith(h2_prefix)]


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping each sentence's trailing markers with it."""
    out: list[str] = []
    start = 0
    for m in SENTENCE_END_RE.finditer(text):
        end = m.start(0) + len(m.group(0).rstrip())
        out.append(text[start:end].strip())
        start = m.end(0)
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def table_cells(row: str) -> list[str]:
    """Cells of a Markdown table row, without the outer pipes."""
    body = row.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [c.strip() for c in body.split("|")]


def strip_markers(text: str) -> str:
    return ANY_MARKER_RE.sub("", text)


def well_formed_ids(text: str) -> list[str]:
    return [m.group(1) for m in CITE_RE.finditer(text)]


class _Parser:
    def __init__(self, text: str) -> None:
        self.doc = ParsedDoc(text=text)
        self.h2 = ""
        self.h3 = ""
        self.para: list[tuple[int, str]] = []
        self.table: list[Unit] | None = None

    def flush(self) -> None:
        if self.para:
            line = self.para[0][0]
            joined = " ".join(t.strip() for _, t in self.para)
            for s in split_sentences(joined):
                self.doc.units.append(Unit("sentence", s, line, self.h2, self.h3))
            self.para = []
        if self.table is not None:
            self.doc.tables.append(self.table)
            self.table = None

    def feed(self, no: int, raw: str) -> None:
        line = raw.rstrip("\n").rstrip("\r")
        stripped = line.strip()
        if not stripped:
            self.flush()
            return
        if (m := HEADING_RE.match(stripped)) is not None:
            self.flush()
            self.on_heading(len(m.group(1)), m.group(2), no)
            return
        if (m := FOOTNOTE_DEF_RE.match(stripped)) is not None:
            self.flush()
            self.doc.footnotes[m.group(1)] = m.group(2)
            return
        if stripped.startswith("|"):
            self.on_table(stripped, no)
            return
        if self.table is not None:
            self.flush()
        if stripped.startswith(">"):
            self.flush()
            body = stripped.lstrip(">").strip()
            self.doc.units.append(Unit("quote", body, no, self.h2, self.h3))
        elif (m := BULLET_RE.match(line)) is not None:
            self.flush()
            self.doc.units.append(Unit("bullet", m.group(1).strip(), no, self.h2, self.h3))
        elif NOTE_RE.match(stripped) and not self.para:
            self.flush()  # an italic note ("*Note: …*") is an annotation, not a claim
        else:
            self.para.append((no, stripped))

    def on_heading(self, level: int, title: str, no: int) -> None:
        if level <= 2:
            self.h2 = title if level == 2 else ""
            self.h3 = ""
        elif level == 3:
            self.h3 = title
        self.doc.headings.append(Heading(level, title, no, self.h2))

    def on_table(self, stripped: str, no: int) -> None:
        if self.para:
            self.flush()
        if self.table is None:
            self.table = [Unit("header", stripped, no, self.h2, self.h3)]
            return
        if SEPARATOR_RE.match(stripped) and len(self.table) == 1:
            return
        unit = Unit("row", stripped, no, self.h2, self.h3)
        self.table.append(unit)
        self.doc.units.append(unit)


def parse(text: str) -> ParsedDoc:
    """Parse ICP.md text into claim units, headings, tables and footnote definitions."""
    parser = _Parser(text)
    for no, raw in enumerate(text.split("\n"), start=1):
        parser.feed(no, raw)
    parser.flush()
    return parser.doc
