"""Adjustments and their effect: weights, exclusions, ranges, tier names, persona decisions.

A weight change re-runs the build (health scores, patterns and tiers all depend on it); a rule
change (exclude a segment, tighten a range) re-tiers the accounts with the learned rules plus the
marketer's overrides. Either way the reply lists which accounts moved tiers and how the
validation verdicts changed, with the moved count registered and cited as a statistic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agent.workshop.answers import tier_counts
from agent.workshop.backend import Snapshot
from agent.workshop.intents import Intent
from agent.workshop.render import Reply
from agent.workshop.review import write_review_file
from agent.workshop.session import RuleOverride, WorkshopSession
from tools.citations import cite, format_stat
from tools.schema import DEFAULT_WEIGHTS

if TYPE_CHECKING:
    from agent.workshop.engine import Workshop

Result = tuple[WorkshopSession, Reply]
MAX_MOVES = 12
TIERS = ("Tier 1", "Tier 2", "Tier 3")


def effect_lines(
    ws: Workshop,
    change: str,
    before: dict[str, str],
    after: dict[str, str],
    snaps: tuple[Snapshot, Snapshot],
    session: WorkshopSession,
) -> list[str]:
    """Which accounts moved tiers, tier sizes before -> after, validation verdict changes."""
    moved = sorted(a for a in set(before) | set(after) if before.get(a) != after.get(a))
    st = ws.chat.add(f"moved|{change}|{len(before)}", f"accounts that changed tier after: {change}",
                     len(moved), len(after), "count")  # fmt: skip
    lines = [f"Accounts that moved tier: {format_stat(st)}{cite(st.id)}"]
    acc = snaps[1].accounts
    names = dict(zip(acc["account_id"].astype(str), acc.get("name", acc["account_id"]).astype(str),
                     strict=True))  # fmt: skip
    for aid in moved[:MAX_MOVES]:
        lines.append(f"  - {names.get(aid, aid)} ({aid}): {before.get(aid, 'not tiered')} -> "
                     f"{after.get(aid, 'not tiered')}")  # fmt: skip
    if len(moved) > MAX_MOVES:
        lines.append(f"  … and {len(moved) - MAX_MOVES} more")
    b, a = tier_counts(before), tier_counts(after)
    lines += [f"{session.tier_label(t)}: {b.get(t, 0)} -> {a.get(t, 0)} accounts" for t in TIERS]
    old = {m: (v, ids) for m, v, ids in snaps[0].validation}
    for metric, verdict, ids in snaps[1].validation:
        was = old.get(metric, ("n/a", []))[0]
        change_word = "unchanged" if was == verdict else f"{was} -> {verdict}"
        lines.append(f"Validation, {metric}: {change_word}{cite(*ids)}")
    return lines


def set_weight(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    before_snap = ws.snapshot(s)
    before = ws.tiers(s, before_snap)
    weights = {**DEFAULT_WEIGHTS, **s.weights, it.args["component"]: it.args["value"]}
    new = s.model_copy(update={"weights": weights})
    after_snap = ws.snapshot(new)
    after = ws.tiers(new, after_snap)
    change = f"{it.args['component']} weight {it.args['value']:g}"
    lines = [f"Weights now: {', '.join(f'{k}={v:g}' for k, v in weights.items())}"]
    lines += effect_lines(ws, change, before, after, (before_snap, after_snap), new)
    return new, Reply(f"Set {change}", lines, "ok")


def _rule_change(ws: Workshop, s: WorkshopSession, override: RuleOverride) -> Result:
    snap = ws.snapshot(s)
    if snap.rules is None:
        return s, Reply("No rules yet", ["The build produced no fit rules to adjust."], "warn")
    if override.attribute not in snap.accounts.columns:
        cols = ", ".join(c for c in snap.accounts.columns if c not in ("account_id", "name"))
        return s, Reply("Unknown attribute", [f"Your data has no '{override.attribute}' column; "
                        f"use one of: {cols}"], "warn")  # fmt: skip
    if override.kind == "range" and not any(
        c.attribute == override.attribute and c.kind == "range" for c in snap.rules.criteria
    ):
        return s, Reply("Nothing to tighten", [f"No tier criterion uses a {override.attribute} "
                        "range, so there is no range to tighten."], "warn")  # fmt: skip
    if override.kind == "exclude":
        n, values = ws.backend.excluded_accounts(snap.rules, snap.accounts, override)
        if n == 0:
            shown = ", ".join(values[:12]) + (" …" if len(values) > 12 else "")
            return s, Reply("No account matches", [f"No account has {override.attribute} = "
                            f"{override.value}, so nothing was excluded and nothing changed.",
                            f"Values in your data: {shown or 'none'}"], "warn")  # fmt: skip
    before = ws.tiers(s, snap)
    kept = [o for o in s.overrides if not (o.kind == "range" and override.kind == "range"
                                           and o.attribute == override.attribute)]  # fmt: skip
    new = s.model_copy(update={"overrides": [*kept, override]})
    after = ws.tiers(new, snap)
    lines = effect_lines(ws, override.describe(), before, after, (snap, snap), new)
    lines.append("Validation verdicts are recomputed at the next `draft`.")
    return new, Reply(f"Adjusted: {override.describe()}", lines, "ok")


def exclude(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    o = RuleOverride(kind="exclude", attribute=it.args["attribute"], value=it.args["value"])
    return _rule_change(ws, s, o)


def tighten(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    o = RuleOverride(kind="range", attribute=it.args["attribute"], low=it.args["low"],
                     high=it.args["high"])  # fmt: skip
    return _rule_change(ws, s, o)


def rename_tier(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    names = {**s.tier_names, it.args["tier"]: it.args["name"]}
    new = s.model_copy(update={"tier_names": names})
    write_review_file(ws.project, new)
    return new, Reply("Tier renamed", [f"{it.args['tier']} is now called '{it.args['name']}' in "
                      "this workshop and in review.json."], "ok")  # fmt: skip


def persona_decision(ws: Workshop, s: WorkshopSession, it: Intent) -> Result:
    snap = ws.snapshot(s)
    target, decision = it.args["persona"], it.args["decision"]
    hits = [p for p in snap.personas if target in (p.id, p.decision_role)]
    if not hits:
        known = ", ".join(f"{p.id} ({p.decision_role.replace('_', ' ')})" for p in snap.personas)
        return s, Reply("No such persona", [f"No persona matches '{target}'. Personas: "
                        f"{known or 'none yet (load interviews)'}"], "warn")  # fmt: skip
    decisions = {**s.persona_decisions, **{p.id: decision for p in hits}}
    new = s.model_copy(update={"persona_decisions": decisions})
    write_review_file(ws.project, new)
    lines = [f"{p.id} ({p.decision_role.replace('_', ' ')}, {p.tier or 'any tier'}): {decision}"
             for p in hits]  # fmt: skip
    return new, Reply(
        f"Persona {decision}", [*lines, "Saved in the session and review.json."], "ok"
    )
