"""Mutation operators for hand edits that keep every marker valid: a quote re-attributed to
another person, a table cell's value replaced by one end of that stat's 95% interval, a
validation verdict flipped, a criterion's significance words swapped, and a persona's
interviewee renamed (or given another person's title).

Each operator takes the gates' `Context` of a clean build and yields `(site, corrupted ICP.md)`
pairs (None when a site cannot be rewritten); `evals.mutations` registers them with the gate
that must catch them (`quotes`, `numbers`, `directions`, `structure`).
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
from evals.gates.people import interviewee_lines, members, pattern_for, significance_claim
from evals.gates.quotes import attributions
from evals.gates.structure import CRITERION_HEADERS, TIER_RE, norm_label
from evals.gates.verdicts import flipped, verdicts
from evals.markdown import Unit, table_cells
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


def flip_verdict(ctx: Context) -> Iterator[tuple[str, str | None]]:
    """Turn a correct validation verdict into a wrong one ("missed" -> "met", pipeline audit)."""
    for unit in ctx.doc.units:
        for v in verdicts(ctx, unit):
            if v.ok:
                new = flipped(unit, v)
                yield (
                    f"line {unit.line}: {v.found} -> wrong verdict",
                    replace_unit(ctx.run.icp_text, unit, new),
                )


def flip_significance(ctx: Context) -> Iterator[tuple[str, str | None]]:
    """Swap a criterion row's "significant after correction" / "suggestive only, not
    significant" for the other one."""
    for table in ctx.doc.tables:
        tier = TIER_RE.match(table[0].h2)
        if tier is None or norm_label(table_cells(table[0].text)[0]) not in CRITERION_HEADERS:
            continue
        for row in table[1:]:
            claim = significance_claim(row)
            label = norm_label(table_cells(row.text)[0])
            pattern = pattern_for(ctx, f"Tier {tier.group(1)}", label, norm_label)
            if claim is None or pattern is None:
                continue
            sig, a, b = claim
            new = "suggestive only, not significant" if sig else "significant after correction"
            text = row.text[:a] + new + row.text[b:]
            yield (
                f"line {row.line}: {row.text[a:b]} -> {new}",
                replace_unit(ctx.run.icp_text, row, text),
            )


def _invented(name: str, known: set[str], people: list[Evidence]) -> str:
    first = name.split()[0]
    for p in people:
        cand = f"{first} {p.speaker.split()[-1]}"
        if cand.casefold() not in known:
            return cand
    return f"{first} Quillfeather"


def rename_interviewee(ctx: Context) -> Iterator[tuple[str, str | None]]:
    """On a persona's Interviewees line, put in a person nobody interviewed or (every other
    member) the right name with another interviewee's title."""
    people = _people(ctx)
    known = {p.speaker.casefold() for p in people}
    titles = {(p.title or "").casefold() for p in people if p.title}
    k = 0
    for unit, line in interviewee_lines(ctx):
        for m in members(line, titles):
            mine = {(p.title or "").casefold() for p in people if p.speaker == m.name}
            other = next((p.title for p in people if p.title and p.title.casefold() not in mine),
                         None)  # fmt: skip
            if k % 2 and m.title and other and (at := line.find(m.title, m.end)) >= 0:
                new_line, site = (
                    line[:at] + other + line[at + len(m.title) :],
                    f"{m.title} -> {other}",
                )
            else:
                new = _invented(m.name, known, people)
                new_line, site = line[: m.start] + new + line[m.end :], f"{m.name} -> {new}"
            k += 1
            lines = ctx.run.icp_text.split("\n")
            if line not in lines[unit.line - 1]:
                continue
            lines[unit.line - 1] = lines[unit.line - 1].replace(line, new_line, 1)
            yield f"line {unit.line}: {site}", "\n".join(lines)
