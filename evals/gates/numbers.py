"""Numbers gate: every number in prose equals a rendering of a statistic its unit cites.

Allowed renderings of a cited stat are `tools.citations.rendered_numbers` (value, CI bounds, n,
`extra["shown"]`), compared after `normalise_number_token`, with a written `x` read as `×` and
the sign ignored (a direction word carries it; the directions gate checks it). Not numbers:
footnote markers, quoted text (the quotes gate checks it verbatim), `Tier N`, ISO dates, inline
code, list markers and headings. Footnote definitions and the Sources section are not prose;
the "How this was computed" section states settings and the rounding rule itself (method, not
findings), so its numbers are not checked either.
"""

from __future__ import annotations

import re

from evals.gates.context import Context
from evals.markdown import ANY_MARKER_RE, Unit
from evals.report import Failure, GateResult, make_result
from tools.citations import NUMBER_RE, format_stat, normalise_number_token, rendered_numbers
from tools.models import Stat

GATE = "numbers"
NOT_PROSE = ("Sources", "How this was computed")
NOT_NUMBERS = [
    ANY_MARKER_RE,
    re.compile(r"“[^”\n]*”|\"[^\"\n]*\""),  # quotes
    re.compile(r"`[^`\n]*`"),  # inline code: file names
    re.compile(r"\bTier\s+\d+\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # dates are not statistics
    re.compile(r"^\s*\d+[.)]\s"),  # ordered-list marker
]


def blank_non_numbers(text: str) -> str:
    """The unit's text with every not-a-number span blanked (positions preserved)."""
    for pattern in NOT_NUMBERS:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def norm(token: str) -> str:
    t = normalise_number_token(token).lstrip("+-")
    return t[:-1] + "×" if t.endswith("x") else t


def number_tokens(unit: Unit) -> list[tuple[int, str]]:
    """(position, raw token) of every number in the unit's prose."""
    text = blank_non_numbers(unit.text)
    return [(m.start(), m.group(0)) for m in NUMBER_RE.finditer(text)]


def renderings(stat: Stat) -> set[str]:
    return {norm(x) for x in rendered_numbers(stat)}


def stat_for_token(token: str, stats: list[Stat]) -> Stat | None:
    """The first cited stat whose value (then any rendering) equals the token."""
    t = norm(token)
    for st in stats:
        if norm(rendered_value(st)) == t:
            return st
    return next((st for st in stats if t in renderings(st)), None)


def rendered_value(stat: Stat) -> str:
    return format_stat(stat)


def in_scope(unit: Unit) -> bool:
    return unit.kind != "header" and not unit.h2.startswith(NOT_PROSE)


def check(ctx: Context) -> GateResult:
    failures: list[Failure] = []
    n = 0
    for unit in ctx.doc.units:
        if not in_scope(unit):
            continue
        stats = ctx.cited_stats(unit)
        allowed = set().union(*(renderings(s) for s in stats)) if stats else set()
        for _, token in number_tokens(unit):
            n += 1
            if not stats:
                failures.append(
                    ctx.fail(
                        GATE,
                        "orphan_number",
                        unit,
                        id=token,
                        expected="a cited statistic showing this number",
                        found=f"{token} with no cited statistic",
                    )
                )
            elif norm(token) not in allowed:
                failures.append(
                    ctx.fail(
                        GATE,
                        "number_mismatch",
                        unit,
                        id=",".join(s.id for s in stats),
                        expected=" or ".join(sorted(allowed)),
                        found=token,
                    )
                )
    return make_result(GATE, n, failures)
