"""Mutation operators for hand edits that keep every marker valid: a quote re-attributed to
another person, and a table cell's value replaced by one end of that stat's 95% interval.

Each operator takes the gates' `Context` of a clean build and yields `(site, corrupted ICP.md)`
pairs (None when a site cannot be rewritten); `evals.mutations` registers them with the gate
that must catch them (`quotes` and `numbers`).
"""

from __future__ import annotations

from collections.abc import Iterator

from evals.gates.context import Context
from evals.gates.numbers import (
    in_scope,
    norm,
    number_tokens,
    range_ends,
    renderings,
    talks_about_interval,
)
from evals.gates.quotes import attributions
from evals.markdown import Unit
from tools.citations import format_value
from tools.models import Evidence, Stat


def replace_unit(doc_text: str, unit: Unit, new: str) -> str | None:
    """The document with the unit's text on its line replaced (None if unchanged/not found)."""
    lines = doc_text.split("\n")
    line = lines[unit.line - 1]
    if unit.text not in line or new == unit.text:
        return None
    lines[unit.line - 1] = line.replace(unit.text, new, 1)
    return "\n".join(lines)


def _people(ctx: Context) -> list[Evidence]:
    """One interviewee evidence item per distinct speaker with a name, by name."""
    seen: dict[str, Evidence] = {}
    for ev in sorted(ctx.run.evidence.values(), key=lambda e: e.id):
        if ev.speaker_role == "interviewee" and ev.speaker and ev.speaker not in seen:
            seen[ev.speaker] = ev
    return [seen[k] for k in sorted(seen)]


def swap_attribution(ctx: Context) -> Iterator[tuple[str, str | None]]:
    """Re-attribute a quote: another interviewee's name and title, or (every other site) the
    right name with another interviewee's title."""
    people = _people(ctx)
    k = 0
    for unit in ctx.doc.units:
        for _, (a, b), name, title in attributions(unit):
            others = [p for p in people if p.speaker.casefold() != name.casefold()]
            if not others:
                continue
            other = others[k % len(others)]
            if k % 2 and title and other.title and other.title.casefold() != title.casefold():
                new = f"{name}, {other.title}"
            else:
                new = other.speaker + (f", {other.title}" if other.title else "")
            k += 1
            old = unit.text[a:b]
            text = unit.text[:a] + new + unit.text[b:]
            yield f"line {unit.line}: {old} -> {new}", replace_unit(ctx.run.icp_text, unit, text)


def _bound_for(token: str, stats: list[Stat], strict: set[str]) -> str | None:
    """A rendered CI bound of the cited stat whose value the token shows, if it differs from
    every number the unit may show without an interval."""
    for st in stats:
        if norm(format_value(st.value, st.unit)) != norm(token):
            continue
        for bound in (st.ci_high, st.ci_low):
            if bound is None:
                continue
            shown = format_value(bound, st.unit)
            if norm(shown) not in strict:
                return shown
    return None


def value_to_bound(ctx: Context) -> Iterator[tuple[str, str | None]]:
    """Replace a stat's value in a table row with one end of its 95% interval."""
    for unit in ctx.doc.units:
        if unit.kind != "row" or not in_scope(unit) or talks_about_interval(unit):
            continue
        stats = ctx.cited_stats(unit)
        strict = set().union(*(renderings(s, with_bounds=False) for s in stats))
        paired = range_ends(unit)
        for pos, token in number_tokens(unit):
            if pos in paired or (new := _bound_for(token, stats, strict)) is None:
                continue
            text = unit.text[:pos] + new + unit.text[pos + len(token) :]
            yield f"line {unit.line}: {token} -> {new}", replace_unit(ctx.run.icp_text, unit, text)
            break
