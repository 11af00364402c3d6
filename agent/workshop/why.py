"""Answers to "why is X Tier N?": one plain-language sentence from the statistics, then the ids.

The lead sentence is built from the criterion's pattern statistics (share of best customers with
the trait against share of worst, and whether the difference survives the false-discovery
correction); every number in it is a cited `Stat`. The remaining statistics are listed once each.
When the subject is not a criterion of the tier asked about, the answer says so plainly and names
the tier it is in (if any) and the criteria each tier has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agent.workshop.render import NO_DATA, Reply
from tools.citations import cite, format_stat
from tools.models import Stat

if TYPE_CHECKING:
    from agent.workshop.answers import Knowledge

MAX_ITEMS = 6
STATUS_WORDS = {
    "significant": "significant after correction",
    "not_significant": "not significant after correction, so it could be chance",
    "insufficient_evidence": "too few customers to test",
}
DIRECTION_WORDS = {
    "ideal": "more common among your best customers",
    "bad_fit": "more common among your worst customers",
    "none": "no difference between best and worst customers",
}


def matches(subject: str, *texts: str | None) -> bool:
    s = subject.lower().strip()
    return any(t and (s == t.lower() or s in t.lower().split(" = ")[-1].lower()) for t in texts)


def _suffix(st: Stat) -> str:
    return st.key.replace("|", ":").rsplit(":", 1)[-1]


def _test_for(k: Knowledge, crit: Any) -> Any:
    ids = set(crit.stat_ids)
    return next((p for p in k.snap.tests if (crit.pattern_id and p.id == crit.pattern_id)
                 or ids & set(p.stat_ids)), None)  # fmt: skip


def _lead(k: Knowledge, crit: Any, tier: str, subject: str, stats: list[Stat]) -> str:
    name = next((v for v in crit.values if matches(subject, v)), None) or crit.label
    head = f"{name} is a {k.session.tier_label(tier)} criterion"
    by = {_suffix(s): s for s in stats}
    top, bottom = by.get("share_top"), by.get("share_bottom")
    if top is None:
        return f"{head}{cite(*(s.id for s in stats))}."
    have = f"are {' or '.join(crit.values)}" if crit.values else f"fall in {crit.label}"
    text = f"{head}: {format_stat(top)}{cite(top.id)} of your best customers {have}"
    if bottom is not None:
        text += f" against {format_stat(bottom)}{cite(bottom.id)} of your worst"
    test = _test_for(k, crit)
    if test is not None and test.status in STATUS_WORDS:
        text += f" ({STATUS_WORDS[test.status]})"
    return text + "."


def _stat_line(st: Stat) -> str:
    return f"{st.definition}: {format_stat(st)}{cite(st.id)}"


def why_tier(k: Knowledge, subject: str, tier: str) -> Reply:
    """Lead sentence per matching criterion, then each supporting statistic once."""
    title = f"Why is {subject} {k.session.tier_label(tier)}?"
    lines: list[str] = []
    shown: set[str] = set()
    for t in (t for t in k.snap.tiers if t.name == tier):
        for c in (c for c in t.criteria if matches(subject, c.label, *c.values)):
            stats = [k.snap.stats[i] for i in c.stat_ids if i in k.snap.stats]
            test = _test_for(k, c)
            if test is not None:
                stats += [k.snap.stats[i] for i in test.stat_ids
                          if i in k.snap.stats and i not in c.stat_ids]  # fmt: skip
            lines.append(_lead(k, c, tier, subject, stats))
            cited = {s.id for s in stats if _suffix(s) in ("share_top", "share_bottom")}
            rest = [s for s in stats if s.id not in shown and s.id not in cited]
            shown |= {s.id for s in stats}
            if rest:
                lines.append("Also measured:")
                lines += [f"  - {_stat_line(s)}" for s in rest[:MAX_ITEMS]]
    accounts = _account_lines(k, subject)
    if not lines and not accounts:
        lines = _not_a_criterion(k, subject, tier)
    lines += accounts
    return Reply(title, lines, "answer")


def _not_a_criterion(k: Knowledge, subject: str, tier: str) -> list[str]:
    """Say plainly that the subject is not a criterion of the tier, and what the tiers are."""
    name = subject.strip().capitalize()
    lines = [f"{name} is not a {k.session.tier_label(tier)} criterion."]
    elsewhere = [t.name for t in k.snap.tiers
                 if any(matches(subject, c.label, *c.values) for c in t.criteria)]  # fmt: skip
    if elsewhere:
        lines.append(f"It is a criterion of {', '.join(map(k.session.tier_label, elsewhere))}.")
    tested = [p for p in k.snap.tests if p.kind != "missing" and matches(subject, p.label, p.value)]
    for p in tested[:MAX_ITEMS]:
        lines.append(f"{p.label} was tested: {DIRECTION_WORDS.get(p.direction, p.direction)}"
                     f", {STATUS_WORDS.get(p.status, p.status)}.")  # fmt: skip
    if not tested and not elsewhere:
        lines.append(f"{NO_DATA} No tested pattern mentions '{subject}'.")
    if not k.snap.tiers:
        return [*lines, "The build produced no tiers."]
    lines.append("The tiers and their criteria:")
    for t in k.snap.tiers:
        crits = "; ".join(c.label for c in t.criteria) or "no criteria"
        lines.append(f"  {k.session.tier_label(t.name)}: {crits}")
    return lines


def _account_lines(k: Knowledge, subject: str) -> list[str]:
    acc = k.snap.accounts
    if "name" not in acc.columns:
        return []
    hit = acc[acc["name"].astype(str).str.lower() == subject.lower()]
    if hit.empty:
        return []
    aid = str(hit["account_id"].iloc[0])
    tier = k.tiers.get(aid, "not tiered")
    return [f"Account {hit['name'].iloc[0]} ({aid}) is {k.session.tier_label(tier)} under the "
            "current rules."]  # fmt: skip
