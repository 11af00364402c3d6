"""Directions gate: comparison words agree with the cited statistics' direction and magnitude.

Rules (also printed in eval-report.md, "How to read"):

| claim word | cited statistic | passes when |
|---|---|---|
| up: more, higher, greater, larger, bigger, above, over-represented, longer, slower, costlier | ratio (×) | value > 1 |
| down: less, lower, fewer, smaller, below, under-represented, cheaper | ratio (×) | value < 1 |
| time down: faster, quicker, shorter, sooner | ratio (×) of times | value < 1 |
| up word with "A vs B" / "A than B" / "A compared with B" | two stats, A written first | A > B |
| down / time-down word with "A vs B" | two stats, A written first | A < B |
| up / down word | a difference stat (definition says difference/change/delta) | value > 0 / < 0 |

A word is paired with the nearest ratio number shown in the unit, else the nearest "vs" pair,
else the only cited ratio stat, else a cited difference stat. Words inside quotes, negated words
("not higher", "no more") and bounds ("more than 40") are not comparisons. A comparison with no
statistic to check is counted in the gate's notes, not failed.

Validation verdicts ("— met" / "— missed", the pipeline audit and TAM check) must agree with the
cited ratio and target statistics (rule `wrong_verdict`, see `evals.gates.verdicts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evals.gates import verdicts
from evals.gates.context import Context
from evals.gates.numbers import blank_non_numbers, in_scope, norm, number_tokens
from evals.markdown import ANY_MARKER_RE, Unit
from evals.report import Failure, GateResult, make_result
from tools.citations import format_stat
from tools.models import Stat

GATE = "directions"
UP = ("more", "higher", "greater", "larger", "bigger", "above", "over-represented",
      "overrepresented", "longer", "slower", "costlier", "pricier")  # fmt: skip
DOWN = ("less", "lower", "fewer", "smaller", "below", "under-represented", "underrepresented",
        "cheaper", "faster", "quicker", "shorter", "sooner")  # fmt: skip
FLIP = {"more": "less", "less": "more", "higher": "lower", "lower": "higher", "greater": "smaller",
        "smaller": "larger", "larger": "smaller", "bigger": "smaller", "fewer": "more",
        "above": "below", "below": "above", "faster": "slower", "slower": "faster",
        "quicker": "slower", "shorter": "longer", "longer": "shorter", "sooner": "slower",
        "cheaper": "costlier", "over-represented": "under-represented",
        "under-represented": "over-represented", "overrepresented": "underrepresented",
        "underrepresented": "overrepresented"}  # fmt: skip
WORD_RE = re.compile(r"\b(" + "|".join(sorted(UP + DOWN, key=len, reverse=True)) + r")\b", re.I)
NEGATION_RE = re.compile(r"\b(?:not|no|never|n't)\s+(?:\w+\s+)?$", re.I)
BOUND_RE = re.compile(r"^\s+than\s+[-$]?\d", re.I)
SEPARATOR_RE = re.compile(r"\bvs\.?|\bversus\b|\bthan\b|\bcompared (?:with|to)\b", re.I)
DIFF_RE = re.compile(r"\b(?:difference|change|delta|minus)\b", re.I)


@dataclass(frozen=True)
class Comparison:
    word: str
    pos: int
    up: bool
    checked: bool
    ok: bool = True
    expected: str = ""
    found: str = ""
    stat_id: str = ""


def comparison_words(unit: Unit) -> list[tuple[int, str]]:
    text = blank_non_numbers(ANY_MARKER_RE.sub(lambda m: " " * len(m.group(0)), unit.text))
    out = []
    for m in WORD_RE.finditer(text):
        if NEGATION_RE.search(text[: m.start()]) or BOUND_RE.match(text[m.end() :]):
            continue
        out.append((m.start(), m.group(1)))
    return out


def _tokens(unit: Unit, stats: list[Stat]) -> list[tuple[int, Stat]]:
    """Number tokens that render a cited stat's value, with that stat."""
    out = []
    for pos, tok in number_tokens(unit):
        st = next((s for s in stats if norm(format_stat(s)) == norm(tok)), None)
        if st is not None:
            out.append((pos, st))
    return out


def _pairs(unit: Unit, values: list[tuple[int, Stat]]) -> list[tuple[int, Stat, Stat]]:
    """(separator position, A, B) for each "A vs B" with a value on both sides."""
    out = []
    for m in SEPARATOR_RE.finditer(unit.text):
        before = [v for v in values if v[0] < m.start()]
        after = [v for v in values if v[0] > m.end()]
        if before and after and before[-1][1].id != after[0][1].id:
            out.append((m.start(), before[-1][1], after[0][1]))
    return out


def _verdict(word: str, pos: int, up: bool, a: Stat, b: Stat | None) -> Comparison:
    sign = ">" if up else "<"
    if b is None:
        ref = 0.0 if a.unit != "ratio" else 1.0
        ok = a.value is not None and (a.value > ref if up else a.value < ref)
        exp = f"'{word}' needs {a.id} {sign} {ref:g}"
        return Comparison(word, pos, up, True, ok, exp, format_stat(a), a.id)
    ok = None not in (a.value, b.value) and (a.value > b.value if up else a.value < b.value)  # type: ignore[operator]
    exp = f"'{word}' needs first {sign} second"
    found = f"{format_stat(a)} ({a.id}) vs {format_stat(b)} ({b.id})"
    return Comparison(word, pos, up, True, bool(ok), exp, found, f"{a.id},{b.id}")


def comparisons(ctx: Context, unit: Unit) -> list[Comparison]:
    """Every comparison word of the unit, checked against the statistic it is paired with."""
    words = comparison_words(unit)
    if not words:
        return []
    stats = ctx.cited_stats(unit)
    ratio_stats = [s for s in stats if s.unit == "ratio"]
    ratios = _tokens(unit, ratio_stats)
    pairs = _pairs(unit, _tokens(unit, [s for s in stats if s.unit != "ratio"]))
    diffs = [s for s in stats if s.unit != "ratio" and DIFF_RE.search(s.definition)]
    out = []
    for pos, word in words:
        up = word.lower() in UP
        if ratios:
            st = min(ratios, key=lambda t: abs(t[0] - pos))[1]
            out.append(_verdict(word, pos, up, st, None))
        elif pairs:
            _, a, b = min(pairs, key=lambda t: abs(t[0] - pos))
            out.append(_verdict(word, pos, up, a, b))
        elif len(ratio_stats) == 1:
            out.append(_verdict(word, pos, up, ratio_stats[0], None))
        elif diffs:
            out.append(_verdict(word, pos, up, diffs[0], None))
        else:
            out.append(Comparison(word, pos, up, False))
    return out


def check(ctx: Context) -> GateResult:
    failures: list[Failure] = []
    n = unchecked = 0
    for unit in ctx.doc.units:
        if not in_scope(unit):
            continue
        for c in comparisons(ctx, unit):
            if not c.checked:
                unchecked += 1
                continue
            n += 1
            if not c.ok:
                failures.append(
                    ctx.fail(
                        GATE,
                        "direction_mismatch",
                        unit,
                        id=c.stat_id,
                        expected=c.expected,
                        found=c.found,
                    )
                )
    n_verdicts, wrong = verdicts.check(ctx)
    n += n_verdicts
    failures += wrong
    notes = (
        [f"{unchecked} comparison word(s) had no cited statistic to check against"]
        if unchecked
        else []
    )
    return make_result(GATE, n, failures, notes)
