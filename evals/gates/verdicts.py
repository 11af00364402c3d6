"""Validation verdicts agree with the statistics they cite (rule `wrong_verdict`, directions gate).

Three verdict lines are checked, each on the unrounded values in `stats.json`:

| line | cited statistics | verdict must be |
|---|---|---|
| `<metric>: Tier 1 is R non-ICP; target … ratio of at least / of at most / under T — met` | a ratio stat `…:<metric>:ratio` and `target:<metric>` | "met" iff R >= T / R <= T / R < T (the phrase written after "target"; else the target's definition) |
| `Pipeline audit: S of open deals are with Tier 1 accounts — …` | a `…share_tier1` stat, `target:pipeline_low`, `target:pipeline_goal` | "targeting problem" if S < low, "below the … goal" if S <= goal, else "on goal" |
| `TAM check: … — met: …` | `tam.multiple` and `target:tam_multiple` | "met" iff multiple >= target |

A line without the statistics it needs is not checked ("insufficient data" lines say neither).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evals.gates.context import Context
from evals.markdown import Unit, strip_markers
from tools.models import Stat

MET_RE = re.compile(r"—\s*(met|missed)\b", re.I)
PHRASE_RE = re.compile(r"\b(of at least|of at most|under)\b", re.I)
OPS = {"of at least": ">=", "of at most": "<=", "under": "<"}
PIPELINE_RE = re.compile(r"targeting problem|below the [^.;]*?goal|on goal", re.I)


@dataclass(frozen=True)
class Verdict:
    """One verdict of a unit: what the text says, what the statistics imply, where it is."""

    found: str
    expected: str
    start: int  # span of the verdict word(s) in unit.text
    end: int
    ids: str
    detail: str

    @property
    def ok(self) -> bool:
        return self.found == self.expected


def _holds(value: float, op: str, target: float) -> bool:
    return {">=": value >= target, "<=": value <= target, "<": value < target}[op]


def _by_key(stats: list[Stat], pred: object) -> Stat | None:
    return next((s for s in stats if s.value is not None and pred(s.key)), None)  # type: ignore[operator]


def _metric(unit: Unit, stats: list[Stat]) -> Verdict | None:
    m = MET_RE.search(unit.text)
    target = _by_key(stats, lambda k: k.startswith("target:") and not k.startswith(
        ("target:pipeline", "target:tam")))  # fmt: skip
    if m is None or target is None:
        return None
    metric = target.key.split(":", 1)[1]
    ratio = _by_key(stats, lambda k: k.endswith(f":{metric}:ratio"))
    if ratio is None:
        return None
    after = strip_markers(unit.text)
    after = after[after.find("target") :] if "target" in after else ""
    phrase = PHRASE_RE.search(after) or PHRASE_RE.search(target.definition)
    if phrase is None:
        return None
    op = OPS[phrase.group(1).lower()]
    met = _holds(ratio.value, op, target.value)  # type: ignore[arg-type]
    return Verdict(
        m.group(1).lower(), "met" if met else "missed", m.start(1), m.end(1),
        f"{ratio.id},{target.id}", f"ratio {ratio.value:.4g} {op} target {target.value:g}",
    )  # fmt: skip


def _pipeline(unit: Unit, stats: list[Stat]) -> Verdict | None:
    share = _by_key(stats, lambda k: k.endswith("share_tier1"))
    low = _by_key(stats, lambda k: k == "target:pipeline_low")
    goal = _by_key(stats, lambda k: k == "target:pipeline_goal")
    dash = unit.text.find("—")
    m = PIPELINE_RE.search(unit.text, dash) if dash >= 0 else None
    if share is None or low is None or goal is None or m is None:
        return None
    s = share.value
    exp = "targeting problem" if s < low.value else "below goal" if s <= goal.value else "on goal"  # type: ignore[operator]
    word = m.group(0).lower()
    found = "below goal" if word.startswith("below") else word
    return Verdict(
        found, exp, m.start(), m.end(), f"{share.id},{low.id},{goal.id}",
        f"Tier 1 share {s:.4g}; targeting problem under {low.value:g}, goal over {goal.value:g}",
    )  # fmt: skip


def _tam(unit: Unit, stats: list[Stat]) -> Verdict | None:
    mult = _by_key(stats, lambda k: k == "tam.multiple")
    target = _by_key(stats, lambda k: k == "target:tam_multiple")
    m = MET_RE.search(unit.text)
    if mult is None or target is None or m is None:
        return None
    met = mult.value >= target.value  # type: ignore[operator]
    return Verdict(
        m.group(1).lower(), "met" if met else "missed", m.start(1), m.end(1),
        f"{mult.id},{target.id}", f"multiple {mult.value:.4g} >= target {target.value:g}",
    )  # fmt: skip


def verdicts(ctx: Context, unit: Unit) -> list[Verdict]:
    """The checkable verdicts of a unit (at most one per kind)."""
    stats = ctx.cited_stats(unit)
    if not stats:
        return []
    found = [_tam(unit, stats)] if any(s.key == "tam.multiple" for s in stats) else []
    if not found or found[0] is None:
        found = [_pipeline(unit, stats) or _metric(unit, stats)]
    return [v for v in found if v is not None]


def flipped(unit: Unit, v: Verdict) -> str:
    """The unit's text with its verdict turned into a wrong one."""
    old = unit.text[v.start : v.end]
    if v.found in ("met", "missed"):
        new = "missed" if v.found == "met" else "met"
    else:
        new = "on goal" if v.expected != "on goal" else "targeting problem"
    new = new.capitalize() if old[:1].isupper() else new
    return unit.text[: v.start] + new + unit.text[v.end :]


def check(ctx: Context) -> tuple[int, list]:
    """(verdicts checked, `wrong_verdict` failures) over every claim unit."""
    n, failures = 0, []
    for unit in ctx.doc.units:
        for v in verdicts(ctx, unit):
            n += 1
            if not v.ok:
                failures.append(ctx.fail(
                    "directions", "wrong_verdict", unit, id=v.ids,
                    expected=f"'{v.expected}' ({v.detail})", found=v.found,
                ))  # fmt: skip
    return n, failures
