"""Structure gate: the document names only tiers, traits and personas the data has.

Checks: required H2 sections exist; every `Tier N` named exists in `tiers.json`; each row of a
tier's criterion table (first header cell Criterion/Criteria/Trait) is a criterion of that tier,
each row of the Negative ICP signal table (Signal/Criterion/Disqualifier) is a negative signal;
no negative signal is also a Tier 1 criterion (in the document or in `tiers.json`); every
`Attribute = value` trait in a gated section is part of a label in `patterns.json`/`tiers.json`;
each persona (H3 under Personas) names a decision role (and tier, if any) that `personas.json`
has, and cites interviewee evidence from at least two interviews unless marked *emerging*;
a criterion row's significance words agree with its pattern's status (`wrong_significance`) and
each person on an "Interviewees:" line is an interviewee of `evidence.jsonl`, with their title
(`unknown_interviewee`) — both in `evals.gates.people`.
"""

from __future__ import annotations

import re

from evals.gates import people
from evals.gates.context import Context
from evals.markdown import Unit, strip_markers, table_cells
from evals.report import Failure, GateResult, make_result

GATE = "structure"
REQUIRED = ("Tier 1", "Tier 2", "Tier 3", "Negative ICP", "Personas", "Validation", "Sources")
TIER_RE = re.compile(r"\bTier\s+(\d+)\b")
CRITERION_HEADERS = {"criterion", "criteria", "trait"}
SIGNAL_HEADERS = {"signal", "criterion", "disqualifier"}
ROLES = {"champion": "champion", "economic buyer": "economic_buyer",
         "technical buyer": "technical_buyer", "end user": "end_user", "blocker": "blocker"}  # fmt: skip
# "Attribute = value" with a word attribute (not "n = 18") and a value that is not a bare number.
TRAIT_RE = re.compile(
    r"(\b[^\W\d]{2,}[\w'&/-]*)\s+=\s+(?![\d$])([^,;()\[\]|*]+?)"
    r"(?=\s*(?:[,;()\[\]|*]|\.\s|\.$|$|\s(?:and|or|with|in)\s))"
)


def norm_label(text: str) -> str:
    t = strip_markers(text).replace("**", "").replace("`", "")
    t = re.sub(r"[–—−]", "-", t)
    return " ".join(t.lower().split()).strip(" .:;")


class _Checker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.failures: list[Failure] = []
        self.n = 0
        run = ctx.run
        self.tier_labels = {t.name: {norm_label(c.label) for c in t.criteria} for t in run.tiers}
        self.neg_labels = {norm_label(s.criterion.label) for s in run.negative}
        self.known = set().union(*self.tier_labels.values()) if self.tier_labels else set()
        self.known |= self.neg_labels | {norm_label(p.label) for p in run.patterns}

    def fail(self, rule: str, unit: Unit | None, **kw: object) -> None:
        self.failures.append(self.ctx.fail(GATE, rule, unit, **kw))

    def required_sections(self) -> None:
        titles = self.ctx.doc.h2_titles()
        for name in REQUIRED:
            self.n += 1
            ok = any(t.startswith(name) for t in titles)
            if name == "Sources":
                ok = ok and bool(self.ctx.doc.footnotes)
            if not ok:
                self.fail(
                    "missing_section",
                    None,
                    id=name,
                    expected=f"an H2 section '{name}…'",
                    found="absent",
                )

    def tier_names(self) -> None:
        if "tiers.json" in self.ctx.run.missing:
            self.fail(
                "artifact_missing", None, id="tiers.json", expected="tiers.json", found="absent"
            )
            return
        places: list[tuple[str, int, Unit | None]] = [
            (u.text, u.line, u) for u in self.ctx.doc.units
        ]
        places += [(h.title, h.line, None) for h in self.ctx.doc.headings]
        for text, line, unit in places:
            for m in TIER_RE.finditer(text):
                self.n += 1
                name = f"Tier {m.group(1)}"
                if name not in self.tier_labels:
                    self.fail(
                        "unknown_tier",
                        unit,
                        id=name,
                        line=line,
                        sentence=text[:160],
                        expected=" / ".join(sorted(self.tier_labels)),
                        found=name,
                    )

    def tables(self) -> None:
        doc_tier1: dict[str, Unit] = {}
        doc_neg: dict[str, Unit] = {}
        for table in self.ctx.doc.tables:
            head, rows = table[0], table[1:]
            first = norm_label(table_cells(head.text)[0])
            tier = TIER_RE.match(head.h2)
            if tier and first in CRITERION_HEADERS:
                name = f"Tier {tier.group(1)}"
                for row in rows:
                    label = norm_label(table_cells(row.text)[0])
                    self.criterion_row(name, label, row)
                    if name == "Tier 1":
                        doc_tier1[label] = row
            elif head.h2.startswith("Negative ICP") and first in SIGNAL_HEADERS:
                for row in rows:
                    label = norm_label(table_cells(row.text)[0])
                    self.n += 1
                    doc_neg[label] = row
                    if label not in self.neg_labels:
                        self.fail(
                            "unknown_signal",
                            row,
                            id=label,
                            expected=" / ".join(sorted(self.neg_labels)),
                            found=label,
                        )
        for label in sorted(set(doc_tier1) & set(doc_neg)):
            self.fail(
                "negative_in_tier1",
                doc_tier1[label],
                id=label,
                expected="not both a Tier 1 criterion and a negative signal",
                found=label,
            )

    def criterion_row(self, tier: str, label: str, row: Unit) -> None:
        self.n += 1
        allowed = self.tier_labels.get(tier, set())
        if tier == "Tier 1" and label in self.neg_labels:
            self.fail(
                "negative_in_tier1",
                row,
                id=label,
                expected="Tier 1 criteria exclude negative-ICP signals",
                found=label,
            )
        elif label not in allowed:
            self.fail(
                "unknown_criterion",
                row,
                id=label,
                expected=f"a {tier} criterion: " + " / ".join(sorted(allowed)),
                found=label,
            )
        else:
            self.failures += people.significance(self.ctx, tier, label, row, norm_label)

    def data_overlap(self) -> None:
        for label in sorted(self.tier_labels.get("Tier 1", set()) & self.neg_labels):
            self.n += 1
            self.fail(
                "negative_in_tier1",
                None,
                id=label,
                sentence="tiers.json",
                expected="Tier 1 criteria exclude negative-ICP signals",
                found=label,
            )

    def traits(self) -> None:
        for unit in self.ctx.doc.units:
            if not unit.gated:
                continue
            for m in TRAIT_RE.finditer(strip_markers(unit.text)):
                self.n += 1
                mention = norm_label(f"{m.group(1)} = {m.group(2)}")
                if not any(mention in k for k in self.known):
                    self.fail(
                        "unknown_trait",
                        unit,
                        id=mention,
                        expected="a trait in patterns.json or tiers.json",
                        found=mention,
                    )

    def personas(self) -> None:
        doc = self.ctx.doc
        heads = [h for h in doc.headings if h.level == 3 and h.h2.startswith("Personas")]
        if heads and "personas.json" in self.ctx.run.missing:
            self.fail(
                "artifact_missing",
                None,
                id="personas.json",
                expected="personas.json",
                found="absent",
            )
            return
        for head in heads:
            units = [u for u in doc.units if u.h2 == head.h2 and u.h3 == head.title]
            self.persona(head.title, head.line, units)

    def persona(self, title: str, line: int, units: list[Unit]) -> None:
        self.n += 1
        low = title.lower().replace("_", " ")
        role = next((r for w, r in ROLES.items() if w in low), None)
        tier = TIER_RE.search(title)
        where = {"sentence": f"### {title}", "id": title}
        known = sorted(
            {f"{p.decision_role} ({p.tier or 'no tier'})" for p in self.ctx.run.personas}
        )
        matches = [
            p for p in self.ctx.run.personas
            if p.decision_role == role and (tier is None or p.tier == f"Tier {tier.group(1)}")
        ]  # fmt: skip
        if not matches:
            self.failures.append(
                self.ctx.fail(
                    GATE,
                    "unknown_persona",
                    None,
                    line=line,
                    expected="a persona in personas.json: " + ", ".join(known),
                    found=role or "no decision role named",
                    **where,
                )
            )
            return
        emerging = "emerging" in low or any("emerging" in u.text.lower() for u in units[:2])
        ev = self.ctx.run.evidence
        cited = {ev[c].interview_id for u in units for c in u.cites
                 if c in ev and ev[c].speaker_role == "interviewee"}  # fmt: skip
        data_emerging = all(p.emerging or len(p.interviewees) < 2 for p in matches)
        if not emerging and (len(cited) < 2 or data_emerging):
            self.failures.append(
                self.ctx.fail(
                    GATE,
                    "persona_not_emerging",
                    None,
                    line=line,
                    expected=">= 2 interviewees or marked emerging",
                    found=f"{len(cited)} interviewee(s) cited",
                    **where,
                )
            )


def check(ctx: Context) -> GateResult:
    c = _Checker(ctx)
    c.required_sections()
    c.tier_names()
    c.tables()
    c.data_overlap()
    c.traits()
    c.personas()
    n_people, wrong_people = people.interviewees(ctx)
    c.n += n_people
    c.failures += wrong_people
    notes = [f"{name} not in the run folder" for name in ctx.run.missing]
    return make_result(GATE, c.n, c.failures, notes)
