"""Two structure-gate checks on words that restate the data: significance and interviewees.

- `wrong_significance`: a row of a tier's criterion table that says "significant after
  correction" (or just "significant") must be a criterion whose pattern in `patterns.json` has
  status `significant`; one that says "not significant" / "suggestive only" must not. The row's
  first cell is matched to the tier's `Criterion.label` in `tiers.json`, then its `pattern_id`
  (or, without one, the pattern with the same label).
- `unknown_interviewee`: each `Name (Title, Company)` of a persona's "Interviewees: …; …" line
  must be the speaker of at least one interviewee evidence item in `evidence.jsonl`, and a title
  shown (other than "title not stated") must be the title of one of that speaker's items.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from evals.gates.context import Context
from evals.markdown import Unit, strip_markers
from tools.models import Evidence, PatternTest

NOT_SIG_RE = re.compile(r"suggestive only, not significant|not significant|suggestive only", re.I)
SIG_RE = re.compile(r"significant after correction|\bsignificant\b", re.I)
ITEM_RE = re.compile(r"^\s*(?P<name>[^()]+?)\s*(?:\((?P<inside>[^()]*)\))?\s*$")
NO_TITLE = "title not stated"


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def significance_claim(row: Unit) -> tuple[bool, int, int] | None:
    """(claims significant?, span) of the row's significance words outside its first cell."""
    first = row.text.find("|", row.text.find("|") + 1)
    start = max(first, 0)
    m = NOT_SIG_RE.search(row.text, start)
    if m is not None:
        return False, m.start(), m.end()
    m = SIG_RE.search(row.text, start)
    return (True, m.start(), m.end()) if m is not None else None


def pattern_for(ctx: Context, tier: str, label: str, norm: object) -> PatternTest | None:
    """The pattern behind a tier's criterion row (label normalised by `norm`)."""
    crit = next((c for t in ctx.run.tiers if t.name == tier for c in t.criteria
                 if norm(c.label) == label), None)  # type: ignore[operator]  # fmt: skip
    if crit is None:
        return None
    by_id = {p.id: p for p in ctx.run.patterns}
    if crit.pattern_id and crit.pattern_id in by_id:
        return by_id[crit.pattern_id]
    return next((p for p in ctx.run.patterns if norm(p.label) == label), None)  # type: ignore[operator]


def significance(ctx: Context, tier: str, label: str, row: Unit, norm: object) -> list:
    """Failures (0 or 1) of one criterion row's significance words."""
    claim = significance_claim(row)
    pattern = pattern_for(ctx, tier, label, norm) if claim else None
    if claim is None or pattern is None or claim[0] == (pattern.status == "significant"):
        return []
    said = row.text[claim[1] : claim[2]]
    expected = (f"{pattern.status} in patterns.json (q-value {pattern.q_value:.2g})"
                if pattern.q_value is not None else f"{pattern.status} in patterns.json")  # fmt: skip
    return [ctx.fail("structure", "wrong_significance", row, id=pattern.id,
                     expected=expected, found=said)]  # fmt: skip


@dataclass(frozen=True)
class Member:
    """One `Name (inside)` item of an Interviewees line, with its span in the line."""

    name: str
    title: str | None  # None when not shown or "title not stated"
    start: int
    end: int


def interviewee_lines(ctx: Context) -> Iterator[tuple[Unit, str]]:
    """(unit, its full source line) for each "Interviewees: …" line under Personas."""
    lines = ctx.run.icp_text.split("\n")
    for unit in ctx.doc.units:
        if unit.h2.startswith("Personas") and unit.text.startswith("Interviewees:"):
            raw = lines[unit.line - 1].strip()
            yield unit, raw if raw.startswith("Interviewees:") else unit.text


def members(line: str, known_titles: set[str]) -> list[Member]:
    """The people of an Interviewees line; a title is the known title the parentheses start
    with (titles and companies may hold commas), else the text before the first comma."""
    body = strip_markers(line)
    out, pos = [], len("Interviewees:")
    for part in body[pos:].rstrip().rstrip(".").split(";"):
        m = ITEM_RE.match(part)
        if m is not None and m.group("name"):
            inside = (m.group("inside") or "").strip()
            parts = inside.split(",")
            heads = [",".join(parts[:k]).strip() for k in range(len(parts), 0, -1)]
            title = next((h for h in heads if _fold(h) in known_titles), parts[0].strip())
            title = None if not title or _fold(title) == NO_TITLE else title
            start = pos + part.find(m.group("name"))
            out.append(Member(m.group("name"), title, start, start + len(m.group("name"))))
        pos += len(part) + 1
    return out


def speakers(ctx: Context) -> dict[str, list[Evidence]]:
    out: dict[str, list[Evidence]] = {}
    for ev in sorted(ctx.run.evidence.values(), key=lambda e: e.id):
        if ev.speaker_role == "interviewee" and ev.speaker:
            out.setdefault(_fold(ev.speaker), []).append(ev)
    return out


def interviewees(ctx: Context) -> tuple[int, list]:
    """(people checked, `unknown_interviewee` failures) of every Interviewees line."""
    people = speakers(ctx)
    titles = {_fold(e.title) for evs in people.values() for e in evs if e.title}
    n, failures = 0, []
    for unit, line in interviewee_lines(ctx):
        for m in members(line, titles):
            n += 1
            evs = people.get(_fold(m.name), [])
            if evs and (m.title is None or _fold(m.title) in {_fold(e.title) for e in evs}):
                continue
            shown = m.name + (f" ({m.title})" if m.title else "")
            expected = (f"{evs[0].speaker} with title " + " / ".join(sorted(
                {e.title or NO_TITLE for e in evs})) if evs
                else "the speaker of an interviewee evidence item")  # fmt: skip
            failures.append(ctx.fail("structure", "unknown_interviewee", unit, id=m.name,
                                     expected=expected, found=shown))  # fmt: skip
    return n, failures
