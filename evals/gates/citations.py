"""Citations gate: every id resolves and has a footnote; every factual claim unit cites an id.

Every `[^id]` in the document must be a well-formed id that resolves to `stats.json`,
`evidence.jsonl` (or `personas.json` for `p-` ids) and have a footnote definition; every footnote
definition must resolve too. In gated sections (H2 starting with Tier, Negative ICP, Personas)
a claim unit is *factual*, and must cite at least one id, when it holds a number, a comparison
word, a quote, an `Attribute = value` trait or a `label: value` bullet, or is a table row.
Pure labels (at most four words, all bold or ending with a colon) are not factual.
"""

from __future__ import annotations

import re

from evals.gates.context import Context
from evals.gates.directions import comparison_words
from evals.gates.numbers import number_tokens
from evals.gates.quotes import find_quotes
from evals.markdown import Unit
from evals.report import Failure, GateResult, make_result
from tools.ids import ID_PATTERN

GATE = "citations"
ID_RE = re.compile(rf"^{ID_PATTERN}$")
LABEL_VALUE_RE = re.compile(r"^\**[^:*]{1,40}:\**\s*\S")
TRAIT_RE = re.compile(r"\w\s+=\s+\w")


def is_label(unit: Unit) -> bool:
    bare = re.sub(r"\[\^[^\]]+\]", "", unit.text).strip()
    plain = bare.strip("*_ ").strip()
    short = len(plain.split()) <= 4
    return short and (plain.endswith(":") or (bare.startswith("**") and bare.endswith("**")))


def is_factual(unit: Unit) -> bool:
    """Does the unit state a fact (and therefore need a citation)?"""
    if unit.kind == "header" or is_label(unit):
        return False
    if unit.kind in ("row", "quote"):
        return True
    if (
        number_tokens(unit)
        or comparison_words(unit)
        or find_quotes(unit)
        or TRAIT_RE.search(unit.text)
    ):
        return True
    return unit.kind == "bullet" and bool(LABEL_VALUE_RE.match(unit.text))


def _resolves(ctx: Context, cid: str) -> bool:
    run = ctx.run
    return cid in run.stats or cid in run.evidence or any(p.id == cid for p in run.personas)


def _marker_failures(ctx: Context, unit: Unit) -> list[Failure]:
    out = []
    for cid in unit.cites:
        if not ID_RE.match(cid):
            out.append(
                ctx.fail(
                    GATE,
                    "malformed_id",
                    unit,
                    id=cid,
                    expected="s-/q-/p- plus 8 hex digits",
                    found=cid,
                )
            )
        elif not _resolves(ctx, cid):
            out.append(
                ctx.fail(
                    GATE,
                    "unresolved_id",
                    unit,
                    id=cid,
                    expected="an id in stats.json or evidence.jsonl",
                    found="not found",
                )
            )
        if cid not in ctx.doc.footnotes:
            out.append(
                ctx.fail(
                    GATE,
                    "missing_footnote",
                    unit,
                    id=cid,
                    expected=f"a footnote definition [^{cid}]:",
                    found="none",
                )
            )
    return out


def check(ctx: Context) -> GateResult:
    failures: list[Failure] = []
    n = 0
    for unit in ctx.doc.units:
        n += len(unit.cites)
        failures += _marker_failures(ctx, unit)
        if unit.gated and is_factual(unit):
            n += 1
            if not unit.cites:
                failures.append(
                    ctx.fail(
                        GATE, "uncited_claim", unit, expected=">= 1 citation", found="no citation"
                    )
                )
    for cid in ctx.doc.footnotes:
        n += 1
        if not _resolves(ctx, cid):
            failures.append(
                ctx.fail(
                    GATE,
                    "unresolved_footnote",
                    None,
                    id=cid,
                    sentence=f"[^{cid}]: {ctx.doc.footnotes[cid][:100]}",
                    expected="an id of this run",
                    found="not found",
                )
            )
    return make_result(GATE, n, failures)
