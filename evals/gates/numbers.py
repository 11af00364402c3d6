"""Numbers gate: every number in prose equals a rendering of a statistic its unit cites.

Allowed renderings of a cited stat are `tools.citations.rendered_numbers` (value, n,
`extra["shown"]`, numbers of its definition), compared after `normalise_number_token`, with a
written `x` read as `×` and the sign ignored (a direction word carries it; the directions gate
checks it). A stat's 95% interval bounds are allowed only where the text talks about an interval:
the unit says "interval", "CI", "95%" or "between", or the number is one end of a range ("a–b",
"a to b"); elsewhere a bound would read as the value itself (`bound_as_value`). Not numbers:
footnote markers, quoted text (the quotes gate checks it verbatim), `Tier N`, ISO dates, inline
code, list markers, headings and the level in "95% interval"/"95% CI". Footnote definitions
and the Sources section are not prose; the "How this was computed" section states settings and
the rounding rule itself (method, not findings), so its numbers are not checked either.
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
    re.compile(r"\b95%(?=\s*(?:CI|confidence|interval)\b)"),  # the level, not a finding
]
INTERVAL_WORDS_RE = re.compile(r"(?i:interval|\bbetween\b)|\bCI\b|\b95%")
RANGE_GAP_RE = re.compile(r"^\s*(?:–|—|-|to)\s*$")


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


def renderings(stat: Stat, with_bounds: bool = True) -> set[str]:
    return {norm(x) for x in rendered_numbers(stat, with_bounds=with_bounds)}


def talks_about_interval(unit: Unit) -> bool:
    """Does the unit's text (markers aside) say it shows an interval?"""
    return INTERVAL_WORDS_RE.search(ANY_MARKER_RE.sub(" ", unit.text)) is not None


def range_ends(unit: Unit) -> set[int]:
    """Positions of number tokens that are one end of a range pairing ("a–b", "a to b")."""
    text = blank_non_numbers(unit.text)
    toks = number_tokens(unit)
    out: set[int] = set()
    for (p1, t1), (p2, _) in zip(toks, toks[1:], strict=False):
        if RANGE_GAP_RE.match(text[p1 + len(t1) : p2]):
            out.update((p1, p2))
    return out


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


def _allowed(stats: list[Stat]) -> tuple[set[str], set[str]]:
    """(renderings without bounds, bound-only renderings) of the cited stats."""
    strict = set().union(*(renderings(s, with_bounds=False) for s in stats))
    return strict, set().union(*(renderings(s) for s in stats)) - strict


def check(ctx: Context) -> GateResult:
    failures: list[Failure] = []
    n = 0
    for unit in ctx.doc.units:
        if not in_scope(unit):
            continue
        stats = ctx.cited_stats(unit)
        strict, bounds = _allowed(stats) if stats else (set(), set())
        interval = talks_about_interval(unit)
        paired = range_ends(unit) if bounds and not interval else set()
        for pos, token in number_tokens(unit):
            n += 1
            t = norm(token)
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
            elif t in strict or (t in bounds and (interval or pos in paired)):
                continue
            else:
                failures.append(
                    ctx.fail(
                        GATE,
                        "bound_as_value" if t in bounds else "number_mismatch",
                        unit,
                        id=",".join(s.id for s in stats),
                        expected=" or ".join(sorted(strict))
                        + (
                            " (interval bounds only where the text says interval)"
                            if t in bounds
                            else ""
                        ),
                        found=token,
                    )
                )
    return make_result(GATE, n, failures)
