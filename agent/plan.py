"""Turn the computed results in the build state into the document plan.

The plan is the offline document (every section, deterministic) plus the narrative tasks an
LLM may redraft, each carrying only the facts and quotes it is allowed to use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from agent.context import RunContext
from tools.citations import ROUNDING_RULE, StatBook
from tools.document import Section
from tools.drafting import (
    DocMeta,
    NarrativeSpec,
    checklist_section,
    header_section,
    negative_section,
    persona_sections,
    simple_section,
    summary_section,
    tier_distribution,
    tier_section,
    validation_section,
    validation_summary,
    weights_section,
)
from tools.models import Stat


@dataclass(frozen=True)
class DocumentPlan:
    title: str
    sections: list[Section]
    tasks: list[Any]  # agent.drafting.NarrativeTask
    new_stats: list[Stat]


def _caveats(state: Any) -> list[str]:
    out = list(getattr(state["patterns"].sufficiency, "reasons", []))
    bundle = state["personas"]
    if bundle.interviewees and not any(bundle.links.values()):
        out.append(
            "none of the interviews could be linked to a customer account, so personas are "
            "not split by ICP tier and interview evidence is not joined to revenue or churn"
        )
    elif bundle.interviewees:
        unlinked = sorted(k for k, v in bundle.links.items() if not v)
        if unlinked:
            out.append(f"interviews not linked to an account: {', '.join(unlinked)}")
    out += [i.message for i in state["interviews"].issues]
    return out


def _task(
    spec: NarrativeSpec, stats: dict[str, Stat], evidence: dict[str, Any], subject: str
) -> Any:
    from agent.drafting import NarrativeKind, NarrativeTask, facts_from_stats, quotes_from_evidence

    facts = facts_from_stats(
        stats[sid] for sid in spec.stat_ids if sid in stats and stats[sid].value is not None
    )
    quotes = quotes_from_evidence(evidence[q] for q in spec.quote_ids if q in evidence)
    return NarrativeTask(
        section_id=spec.section_id,
        kind=cast("NarrativeKind", spec.kind),  # NarrativeSpec.kind holds one of these
        subject=subject,
        facts=facts,
        quotes=quotes,
        offline=spec.offline,
    )


def plan_document(state: Any, ctx: RunContext) -> DocumentPlan:
    req, data, icp, bundle = state["request"], state["data"], state["icp"], state["personas"]
    stats = dict(state["stats"])
    book = StatBook()
    book.extend(stats.values())
    evidence = {e.id: e for e in state["interviews"].evidence}
    meta = DocMeta(
        company=req.company,
        as_of=req.as_of.isoformat(),
        mode=ctx.llm_mode,
        files=[p.name for p in req.customers],
        n_accounts=len(data.accounts),
        n_deals=len(data.deals),
        n_interviews=len(state["interviews"].interviews),
        caveats=_caveats(state),
        sufficiency=getattr(state["patterns"], "sufficiency", None),
    )
    sections = [
        header_section(meta, book),
        summary_section(
            icp.tiers,
            icp.negative,
            bundle.personas,
            stats,
            (
                tier_distribution(icp.tier_of_account, book),
                validation_summary(state.get("validation", [])),
            ),
        ),
    ]
    specs: list[NarrativeSpec] = []
    status = {t.id: t.status for t in state["patterns"].tests}
    for tier in icp.tiers:
        sec, spec = tier_section(tier, stats, book, icp.rules, status)
        sections.append(sec)
        specs.append(spec)
    bad_fit = book.by_key("sufficiency:n_bad_fit")
    basis = (bad_fit.id,) if bad_fit else ()
    neg, spec = negative_section(icp.negative, evidence, stats, basis)
    sections.append(neg)
    specs.append(spec)
    people = {f"{p.interview_id}#{p.name}": p for p in bundle.interviewees}
    linked = any(bundle.links.values())
    psecs, pspecs = persona_sections(bundle.personas, people, book, linked)
    sections += psecs
    specs += pspecs
    sections.append(validation_section(state.get("validation", []), book))
    sections.append(checklist_section(icp.tiers, icp.negative))
    sections.append(
        simple_section(
            "lint",
            "Warnings about this ICP (lint)",
            [(f"{f.message} What to do: {f.fix}", f.stat_ids) for f in icp.lint],
        )
    )
    sections.append(
        weights_section(
            state["scoring"].effective_weights, state["scoring"].notes, book, ROUNDING_RULE
        )
    )
    all_stats = {s.id: s for s in book.all()}
    titles = {sec.id: sec.title for sec in sections}
    tasks = [_task(s, all_stats, evidence, titles.get(s.section_id, s.section_id)) for s in specs]
    title = f"Ideal Customer Profile{' — ' + req.company if req.company else ''} (first draft)"
    new = [s for s in book.all() if s.id not in stats]
    return DocumentPlan(title=title, sections=sections, tasks=tasks, new_stats=new)
