"""Deterministic (offline) drafting of the ICP document from computed results.

Every sentence is built from statistics (numbers enter only as `{s-…}` placeholders) and every
quote from an evidence item. The narrative paragraphs here are also the fallback text when an
LLM draft fails its checks. `narrative_tasks` lists what an LLM may redraft, with the facts and
quotes it may use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tools.citations import StatBook
from tools.document import Bullets, Document, Paragraph, QuoteBlock, Section, Sentence, Table
from tools.models import Criterion, Evidence, Interviewee, Persona, Stat, Tier

ROLE_LABELS = {
    "champion": "Champion",
    "economic_buyer": "Economic buyer",
    "technical_buyer": "Technical buyer",
    "end_user": "End user",
    "blocker": "Blocker",
}
KIND_LABELS = {
    "pain": "Pain",
    "goal": "Goal",
    "objection": "Objection",
    "trigger": "Trigger",
    "job": "Job to be done",
    "information_source": "Information source",
    "content_preference": "Content preference",
    "responsibility": "Responsibility",
    "phrase": "Their words",
}
TIER_TITLES = {
    "Tier 1": "Tier 1 — Perfect fit (prioritise always)",
    "Tier 2": "Tier 2 — Good fit (when capacity allows)",
    "Tier 3": "Tier 3 — Acceptable (inbound only)",
}


@dataclass(frozen=True)
class DocMeta:
    company: str
    as_of: str
    mode: str
    files: list[str]
    n_accounts: int
    n_deals: int
    n_interviews: int
    caveats: list[str] = field(default_factory=list)
    sufficiency: Any = None  # tools.outcomes.Sufficiency


@dataclass(frozen=True)
class NarrativeSpec:
    """What a narrative paragraph may say: its section, kind, fact ids, quote ids, fallback."""

    section_id: str
    kind: str  # tier_rationale | negative_icp | persona
    stat_ids: list[str]
    quote_ids: list[str]
    offline: Paragraph


def _s(text: str, *cites: str) -> Sentence:
    return Sentence(text=text, cites=tuple(c for c in cites if c))


def _by_suffix(ids: Iterable[str], stats: dict[str, Stat], suffix: str) -> Stat | None:
    return next((stats[i] for i in ids if i in stats and stats[i].key.endswith(suffix)), None)


def criterion_row(
    c: Criterion, book: StatBook, tier: str, stats: dict[str, Stat], status: dict[str, str]
) -> list[Sentence]:
    """A criterion as a table row: label (as in tiers.json), attribute, points, evidence."""
    pts = book.add(
        f"rules:{tier}:{c.attribute}:{c.label}:points",
        f"fit points for '{c.label}' in icp.yaml",
        c.points,
        0,
        "count",
    )
    top = _by_suffix(c.stat_ids, stats, ":share_top")
    bottom = _by_suffix(c.stat_ids, stats, ":share_bottom")
    q = _by_suffix(c.stat_ids, stats, ":q_value")
    cites = [x.id for x in (top, bottom, q) if x is not None] or list(c.stat_ids)
    if top is not None and bottom is not None and q is not None:
        significant = status.get(c.pattern_id or "") == "significant"
        strength = (
            "significant after correction" if significant else "suggestive only, not significant"
        )
        evidence = f"{{{top.id}}} of ideal vs {{{bottom.id}}} of bad-fit customers; {strength} (q-value {{{q.id}}})"
    else:
        evidence = "see the pattern analysis"
    attribute = c.attribute.replace("_", " ")
    return [_s(c.label, *cites, pts.id), _s(attribute), _s(f"{{{pts.id}}}"), _s(evidence)]


def _metric_rows(stat_ids: Iterable[str], stats: dict[str, Stat]) -> list[list[Sentence]]:
    rows = []
    for sid in stat_ids:
        st = stats.get(sid)
        if st is None or st.value is None:
            continue
        value = f"{{{sid}}}"
        if st.ci_low is not None and st.ci_high is not None:
            value += f" ({{{sid}:lo}}–{{{sid}:hi}})"
        rows.append([_s(st.definition, sid), _s(value), _s(f"{{{sid}:n}}")])
    return rows


def qualify_sentence(tier: Tier, rules: Any, book: StatBook) -> Sentence | None:
    """How an account qualifies for the tier, with the cut-offs of icp.yaml as statistics."""
    if not rules.criteria:
        return None
    level = int(tier.name.split()[-1])
    cut = getattr(rules.cutoffs, f"tier_{level}")
    c = book.add(
        f"rules:cutoff:tier_{level}",
        f"fit points needed for {tier.name} in icp.yaml",
        cut,
        0,
        "count",
    )
    if level == 1:
        t1 = [r for r in rules.criteria if r.tier == 1]
        n1 = book.add(
            "rules:tier_1:n_criteria", "number of Tier 1 criteria in icp.yaml", len(t1), 0, "count"
        )
        return _s(
            f"An account is in Tier 1 when it scores at least {{{c.id}}} fit points from the {{{n1.id}}} Tier 1 criteria below and has no disqualifier.",
            c.id,
            n1.id,
        )
    if level == 2:
        return _s(
            f"An account is in Tier 2 when it scores at least {{{c.id}}} fit points, has no disqualifier and does not reach Tier 1.",
            c.id,
        )
    return _s(
        f"An account is in Tier 3 when it has no disqualifier and at least {{{c.id}}} fit point(s) but too few for Tier 2.",
        c.id,
    )


def tier_section(
    tier: Tier, stats: dict[str, Stat], book: StatBook, rules: Any, status: dict[str, str]
) -> tuple[Section, NarrativeSpec]:
    sid = tier.name.lower().replace(" ", "-")
    n_stat = book.add(
        f"tier:{tier.name}:n_match",
        f"current customers in {tier.name}",
        tier.n_match,
        tier.n_match,
        "count",
    )
    if not rules.criteria:
        first = f"Insufficient evidence to define {tier.name}: no trait separates the best customers from the worst with enough support; {{{n_stat.id}}} current customers are assigned here."
    elif tier.criteria:
        first = f"{tier.name} is defined by the company traits below; {{{n_stat.id}}} current customers are in this tier."
    else:
        first = f"{tier.name} has no criteria of its own; it holds accounts that meet part of the higher-tier criteria, and {{{n_stat.id}}} current customers are in it."
    offline = Paragraph(sentences=[_s(first, n_stat.id)])
    blocks: list = [offline]
    rule = qualify_sentence(tier, rules, book)
    if rule is not None:
        blocks.append(Paragraph(sentences=[rule]))
    if tier.criteria:
        rows = [criterion_row(c, book, tier.name, stats, status) for c in tier.criteria]
        header = ["Criterion", "Attribute", "Points", "Evidence (share of customers)"]
        blocks.append(Table(header=header, rows=rows))
    rows = _metric_rows(tier.stat_ids, stats)
    if rows:
        blocks.append(
            Table(header=["Metric (customers in this tier)", "Value (interval)", "n"], rows=rows)
        )
    section = Section(id=sid, title=TIER_TITLES.get(tier.name, tier.name), blocks=blocks)
    spec = NarrativeSpec(sid, "tier_rationale", [n_stat.id, *tier.stat_ids], [], offline)
    return section, spec


def negative_section(
    negative: list,
    evidence: dict[str, Evidence],
    stats: dict[str, Stat],
    basis: tuple[str, ...] = (),
) -> tuple[Section, NarrativeSpec]:
    if not negative:
        offline = Paragraph(
            sentences=[
                _s(
                    "No disqualifying trait is over-represented among the bottom customers with enough support: insufficient evidence for a negative ICP.",
                    *basis,
                )
            ]
        )
        return Section(
            id="negative-icp", title="Negative ICP — who to reject", blocks=[offline]
        ), NarrativeSpec("negative-icp", "negative_icp", [], [], offline)
    offline = Paragraph(
        sentences=[
            _s(
                "Each signal below is over-represented among the bottom customers by health score, with the outcome it predicts.",
                *negative[0].stat_ids[:1],
            )
        ]
    )
    rows = []
    for sig in negative:
        examples = ", ".join(f"`{a}`" for a in sig.example_accounts) or "—"
        reasons = "; ".join(sig.reasons) or "—"
        keep = [
            i
            for i in sig.stat_ids
            if i not in stats
            or not stats[i].key.startswith("pattern:")
            or stats[i].key.endswith((":share_bottom", ":share_all", ":q_value"))
        ]
        action = (
            "Disqualify (rule in icp.yaml)"
            if sig.action == "disqualify"
            else "Deprioritise (warning sign)"
        )
        rows.append(
            [_s(sig.criterion.label, *keep), _s(action), _s(sig.why), _s(examples), _s(reasons)]
        )
    blocks: list = [
        offline,
        Table(
            header=[
                "Signal",
                "Action",
                "Why it predicts a bad outcome",
                "Example accounts",
                "Churn / loss reasons",
            ],
            rows=rows,
        ),
    ]
    quote_ids = [q for sig in negative for q in sig.quote_ids if q in evidence]
    blocks += [QuoteBlock(evidence_id=q, lead="In their words") for q in quote_ids[:3]]
    all_ids = [i for sig in negative for i in sig.stat_ids]
    return Section(
        id="negative-icp", title="Negative ICP — who to reject", blocks=blocks
    ), NarrativeSpec("negative-icp", "negative_icp", all_ids, quote_ids, offline)


def persona_sections(
    personas: list[Persona],
    people: dict[str, Interviewee],
    book: StatBook,
    linked: bool,
    per_kind: int = 2,
) -> tuple[list[Section], list[NarrativeSpec]]:
    intro = "Personas describe people inside customer companies; tiers describe companies."
    if not linked:
        intro += " The interviews are not linked to customer accounts, so personas are not split by ICP tier."
    sections = [
        Section(
            id="personas",
            title="Personas — the people who buy and use",
            blocks=[Paragraph(sentences=[_s(intro)])],
        )
    ]
    specs = []
    for p in personas:
        n = book.add(
            f"persona:{p.id}:n_interviews",
            f"Interviews behind the {ROLE_LABELS[p.decision_role]} persona ({p.tier or 'all tiers'})",
            len(p.interviewees),
            len(p.interviewees),
            "count",
        )
        where = (
            (f" in {p.tier}" if p.tier.startswith("Tier") else " outside the ICP") if p.tier else ""
        )
        titles = ", ".join(p.titles) or "not stated"
        members = sorted(
            {
                f"{m.name} ({m.title or 'title not stated'}{', ' + m.company if m.company else ''})"
                for m in people.values()
                if m.interview_id in p.interviewees and m.decision_role == p.decision_role
            }
        )
        n_people = book.add(
            f"persona:{p.id}:n_people",
            f"Interviewees behind the {ROLE_LABELS[p.decision_role]} persona ({p.tier or 'all tiers'})",
            len(members),
            len(members),
            "count",
        )
        ev_ids = [ins.evidence_id for ins in p.insights]
        if p.emerging:
            first = f"This persona{where} rests on a single interviewee — a hypothesis to confirm; titles: {titles}."
        else:
            first = f"This persona{where} rests on {{{n_people.id}}} interviewees from {{{n.id}}} interview(s); titles: {titles}."
        offline = Paragraph(sentences=[_s(first, n.id, n_people.id, *ev_ids[:1])])
        blocks: list = [offline]
        if members:
            who = _s(f"Interviewees: {'; '.join(members)}.", *ev_ids[:1])
            blocks.append(Paragraph(sentences=[who]))
        for kind in KIND_LABELS:
            chosen = sorted(
                (i for i in p.insights if i.kind == kind), key=lambda i: (-i.score, i.evidence_id)
            )[:per_kind]
            blocks += [
                QuoteBlock(evidence_id=i.evidence_id, lead=KIND_LABELS[kind]) for i in chosen
            ]
        title = f"{ROLE_LABELS[p.decision_role]}{' — ' + p.tier if p.tier else ''}{' (emerging)' if p.emerging else ''}"
        sid = f"persona-{p.id}"
        sections.append(Section(id=sid, title=title, level=3, blocks=blocks))
        specs.append(NarrativeSpec(sid, "persona", [n.id], ev_ids, offline))
    if not personas:
        sections[0] = Section(
            id="personas",
            title="Personas — the people who buy and use",
            blocks=[
                Paragraph(
                    sentences=[
                        _s(
                            "No interview evidence was given, so there are no personas yet: add interview notes with --interviews."
                        )
                    ]
                )
            ],
        )
    return sections, specs


def header_section(meta: DocMeta, book: StatBook) -> Section:
    a = book.add(
        "data:n_accounts", "Customer accounts analysed", meta.n_accounts, meta.n_accounts, "count"
    )
    d = book.add(
        "data:n_deals", "Deals (won, lost and open) analysed", meta.n_deals, meta.n_deals, "count"
    )
    i = book.add(
        "data:n_interviews", "Interview notes read", meta.n_interviews, meta.n_interviews, "count"
    )
    items = [
        _s(
            f"Data used: {{{a.id}}} customer accounts, {{{d.id}}} deals and {{{i.id}}} interview notes from {', '.join(f'`{f}`' for f in meta.files)}.",
            a.id,
            d.id,
            i.id,
        ),
        _s(f"As of: {meta.as_of} (the date all tenures and staleness checks are measured to)."),
        _s(f"Drafting mode: `{meta.mode}`."),
        _s(
            "How churn was defined, and every value cleaned or row skipped: see `ingest-report.md`."
        ),
    ]
    suff = meta.sufficiency
    ids = [a.id, d.id, i.id]
    if suff is not None:
        from tools.outcomes import MIN_GROUP_ADEQUATE, MIN_WON_DEALS

        ids += [
            book.add(
                "sufficiency:n_ideal",
                "customers in the ideal (top) group",
                suff.n_ideal,
                suff.n_accounts,
                "count",
            ).id,
            book.add(
                "sufficiency:n_bad_fit",
                "customers in the bad-fit (bottom) group",
                suff.n_bad_fit,
                suff.n_accounts,
                "count",
            ).id,
            book.add(
                "sufficiency:n_won",
                "won deals (customers count as won when there are no closed deals)",
                suff.n_won,
                suff.n_won + suff.n_lost,
                "count",
            ).id,
            book.add(
                "sufficiency:rules",
                f"data sufficiency rules: at least 30 customers, {MIN_WON_DEALS} won deals and {MIN_GROUP_ADEQUATE} customers in each of the ideal and bad-fit groups",
                suff.n_accounts,
                suff.n_accounts,
                "count",
            ).id,
        ]
    items += [
        _s(f"Caveat: {c.rstrip('.')}.", *(ids if any(ch.isdigit() for ch in c) else [i.id]))
        for c in meta.caveats
    ]
    return Section(id="about", title="About this draft", blocks=[Bullets(items=items)])


def simple_section(sid: str, title: str, lines: list[tuple[str, list[str]]]) -> Section:
    if not lines:
        return Section(
            id=sid, title=title, blocks=[Paragraph(sentences=[_s("Nothing to report.")])]
        )
    return Section(id=sid, title=title, blocks=[Bullets(items=[_s(t, *c) for t, c in lines])])


def weights_section(
    weights: dict[str, float], notes: list[str], book: StatBook, rounding: str
) -> Section:
    rows = []
    for comp, w in sorted(weights.items()):
        st = book.add(
            f"weights:effective:{comp}",
            f"Effective health-score weight of {comp.replace('_', ' ')}",
            w / 100.0,
            0,
            "pct",
        )
        rows.append([_s(comp.replace("_", " ")), _s(f"{{{st.id}}}", st.id)])
    blocks: list = [Table(header=["Health component", "Effective weight"], rows=rows)]
    kept = [n for n in notes if not n.startswith("Effective weights")]
    blocks.append(Bullets(items=[_s(n) for n in kept] + [_s(f"Rounding rule: {rounding}")]))
    return Section(id="method", title="How this was computed", blocks=blocks)


def assemble(
    title: str,
    sections: list[Section],
    narratives: dict[str, tuple[Paragraph, list[QuoteBlock], str | None]],
) -> Document:
    """Replace each section's first (narrative) paragraph with its drafted version, if any."""
    out = []
    for sec in sections:
        drafted = narratives.get(sec.id)
        if drafted is None or not sec.blocks:
            out.append(sec)
            continue
        para, quotes, flag = drafted
        blocks = [para, *quotes, *sec.blocks[1:]]
        out.append(sec.model_copy(update={"blocks": blocks, "flagged": flag}))
    return Document(title=title, sections=out)


def validation_section(reports: list[Any], book: StatBook) -> Section:
    """In-sample and held-out validation, each verdict citing the statistics behind it."""
    blocks: list = []
    for i, rep in enumerate(reports):
        key = "insample" if i == 0 else "heldout"
        tr = book.add(
            f"validation:{key}:n_train",
            f"customers the rules were learned on ({key})",
            rep.n_train,
            rep.n_train,
            "count",
        )
        te = book.add(
            f"validation:{key}:n_test",
            f"customers the rules were tested on ({key})",
            rep.n_test,
            rep.n_test,
            "count",
        )
        split = [
            book.add(
                "validation:train_share",
                "share of customers (earliest) used to learn the rules in the time-based backtest",
                0.7,
                0,
                "pct",
            ).id,
            book.add(
                "validation:test_share",
                "share of customers (latest) used to test the rules in the time-based backtest",
                0.3,
                0,
                "pct",
            ).id,
        ]
        folds = book.add(
            "validation:k_folds",
            "folds of the k-fold cross-validation used when there are no dates (5-fold)",
            5,
            0,
            "count",
        )
        split.append(folds.id)
        if i == 0:
            lead = _s(f"{rep.method[0].upper()}{rep.method[1:]}.")
        else:
            lead = _s(
                f"Held-out backtest ({rep.method}): rules learned on {{{tr.id}}} customers and tested on {{{te.id}}}.",
                tr.id,
                te.id,
                *split,
            )
        items = [_s(m.words, *m.stat_ids) for m in rep.metrics]
        if rep.pipeline is not None:
            p = rep.pipeline
            items.append(
                _s(
                    f"Pipeline audit: {{{p.stat_ids[0]}}} of open deals are with Tier 1 accounts — {p.verdict}.",
                    *p.stat_ids,
                )
            )
        if getattr(rep, "tam", None) is not None:
            t = rep.tam
            ids = t.stat_ids
            size = (
                f", a Tier 1 market of {{{ids[1]}}} ({{{ids[2]}}} the revenue target)"
                if len(ids) >= 4
                else ""
            )
            items.append(
                _s(
                    f"TAM check: {{{ids[0]}}} companies of the market list are Tier 1{size} — {t.verdict}.",
                    *ids,
                )
            )
        if rep.notes:
            items.append(_s("Per-fold results are in `validation.json`."))
        blocks += [Paragraph(sentences=[lead]), Bullets(items=items)]
    if not blocks:
        blocks = [Paragraph(sentences=[_s("No validation could be run on this data.")])]
    return Section(id="validation", title="Validation", blocks=blocks)


TIER_GROUPS = ["Tier 1", "Tier 2", "Tier 3", "Not ICP", "Disqualified", "Insufficient data"]


def tier_distribution(tier_of_account: dict[str, str], book: StatBook) -> Sentence:
    """Where every current customer lands under the rules, so the counts add up."""
    total = len(tier_of_account)
    parts, ids = [], []
    for group in TIER_GROUPS:
        k = sum(1 for v in tier_of_account.values() if v == group)
        st = book.add(
            f"distribution:{group}",
            f"current customers scored '{group}' by icp.yaml",
            k,
            total,
            "count",
        )
        ids.append(st.id)
        shown = {"Not ICP": "not ICP", "Insufficient data": "with insufficient data"}
        parts.append(
            f"{{{st.id}}} {shown.get(group, group if group.startswith('Tier') else group.lower())}"
        )
    return _s(
        f"Under the rules, your current customers split into {', '.join(parts)} ('insufficient data': a field the Tier 1 rules need is empty; 'not ICP': too few fit points).",
        *ids,
    )


def validation_summary(reports: list[Any]) -> Sentence | None:
    """The held-out verdicts in words, met and missed alike."""
    if len(reports) < 2 or not reports[1].metrics:
        return None
    rep = reports[1]
    by: dict[str, list[str]] = {}
    for m in rep.metrics:
        by.setdefault(m.verdict, []).append(m.words.split(":", 1)[0])
    words = "; ".join(f"{verdict}: {', '.join(names)}" for verdict, names in sorted(by.items()))
    ids = [i for m in rep.metrics for i in m.stat_ids]
    return _s(
        f"On customers the rules were not learned on (held-out backtest), practice targets — {words}.",
        *ids,
    )


def summary_section(
    tiers: list[Tier],
    negative: list,
    personas: list[Persona],
    stats: dict[str, Stat],
    extra: tuple[Sentence | None, ...] = (),
) -> Section:
    """The one-page view for the team: who to chase, who to reject, who we talk to."""
    items = [x for x in extra if x is not None]
    tier1 = next((t for t in tiers if t.name == "Tier 1"), None)
    if tier1 is not None and tier1.criteria:
        labels = "; ".join(c.label for c in tier1.criteria)
        items.append(
            _s(
                f"Prioritise (Tier 1): {labels}.",
                *(c.stat_ids[0] for c in tier1.criteria if c.stat_ids),
            )
        )
    else:
        items.append(_s("Tier 1: insufficient evidence in this data to name a best-fit segment."))
    if negative:
        labels = "; ".join(n.criterion.label for n in negative)
        items.append(
            _s(
                f"Reject or deprioritise: {labels}.",
                *(n.stat_ids[0] for n in negative if n.stat_ids),
            )
        )
    roles = sorted({ROLE_LABELS[p.decision_role] for p in personas if not p.emerging})
    emerging = sorted({ROLE_LABELS[p.decision_role] for p in personas if p.emerging} - set(roles))
    if roles:
        items.append(_s(f"Personas with at least two interviewees: {', '.join(roles)}."))
    if emerging:
        items.append(
            _s(f"Emerging personas (one interviewee each, to confirm): {', '.join(emerging)}.")
        )
    return Section(id="summary", title="Summary for the team", blocks=[Bullets(items=items)])


def checklist_section(tiers: list[Tier], negative: list) -> Section:
    """Questions a seller can answer on a first call, straight from the rules."""
    items = []
    for t in tiers:
        for c in t.criteria:
            items.append(
                _s(
                    f"{t.name} signal — does the account match '{c.label}' ({c.attribute.replace('_', ' ')})?",
                    *c.stat_ids[:1],
                )
            )
    for n in negative:
        question = f"does the account match '{n.criterion.label}'?"
        if n.action == "disqualify":
            text = f"Disqualifier — {question} If yes, do not pursue."
        else:
            text = f"Warning sign — {question} If yes, deprioritise and check fit."
        items.append(_s(text, *n.stat_ids[:1]))
    if not items:
        items.append(
            _s(
                "No rule is supported by this data yet; qualify by conversation and re-run with more history."
            )
        )
    items.append(_s("Score any list the same way with `icp score --rules icp.yaml FILE`."))
    return Section(
        id="checklist", title="Sales qualification checklist", blocks=[Bullets(items=items)]
    )
