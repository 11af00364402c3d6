"""Mutation operators that corrupt a good `ICP.md`, and the suite proving each gate catches them.

Every operator takes the parsed clean document and its run and returns mutants: one corrupted
copy of `ICP.md` per site it can corrupt (capped), each labelled with the gate that must catch
it. `run_mutation_suite(out_dir)` reports, per operator, how many mutants the intended gate
caught (a failure of that gate that the clean build does not have) and which other gates also
fired, plus the false alarms of the clean build. The swap-to-interviewer operator needs
non-interviewee evidence (interviewer or narration turns) in `evidence.jsonl`. The
attribution, interval-bound, verdict, significance and interviewee operators live in
`evals.mutation_ops`.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.gates import Context, evaluate
from evals.gates.citations import is_factual
from evals.gates.directions import FLIP, comparisons
from evals.gates.numbers import in_scope, norm, number_tokens, renderings
from evals.gates.quotes import find_quotes
from evals.markdown import ANY_MARKER_RE, Unit, parse, table_cells
from evals.mutation_ops import (
    flip_significance,
    flip_verdict,
    rename_interviewee,
    swap_attribution,
    value_to_bound,
)
from evals.mutation_ops import replace_unit as _replace_unit
from evals.report import GATE_ORDER
from evals.rundata import RunData, load_run
from evals.runner import evaluate_run

MAX_PER_OPERATOR = 12
FAKE_ID = "s-0badc0de"
INVENTED_CRITERIA = ("Industry = Aerospace", "Region = Antarctica", "Uses a mainframe ERP")
ROLES = ("blocker", "end_user", "technical_buyer", "economic_buyer", "champion")


@dataclass(frozen=True)
class Mutant:
    operator: str
    gate: str  # the gate that must catch it
    site: str  # what was changed, for the report
    text: str  # the corrupted ICP.md


def _insert_after(doc_text: str, line_no: int, block: str) -> str:
    lines = doc_text.split("\n")
    return "\n".join([*lines[:line_no], block, *lines[line_no:]])


def alter_quote_word(ctx: Context) -> Iterator[tuple[str, str | None]]:
    for unit in ctx.doc.units:
        for body, ids, _ in find_quotes(unit):
            words = [w for w in re.findall(r"[A-Za-z]{4,}", body)]
            if not words or not any(i.startswith("q-") for i in ids):
                continue
            word = words[len(words) // 2]
            swap = "never" if word.lower() != "never" else "always"
            new_body = re.sub(rf"\b{word}\b", swap, body, count=1)
            yield (
                f"line {unit.line}: {word} -> {swap}",
                _replace_unit(ctx.run.icp_text, unit, unit.text.replace(body, new_body, 1)),
            )


def swap_to_interviewer(ctx: Context) -> Iterator[tuple[str, str | None]]:
    others = sorted(e.id for e in ctx.run.evidence.values() if e.speaker_role != "interviewee")
    if not others:
        return
    for k, unit in enumerate(u for u in ctx.doc.units if find_quotes(u)):
        body, ids, _ = find_quotes(unit)[0]
        qid = next((i for i in ids if i.startswith("q-")), None)
        if qid is None:
            continue
        other = others[k % len(others)]
        text = _replace_unit(ctx.run.icp_text, unit, unit.text.replace(f"[^{qid}]", f"[^{other}]"))
        if text is not None:  # a plausible footnote too, so only the quotes gate can catch it
            text = text.rstrip("\n") + f"\n[^{other}]: {ctx.run.evidence[other].speaker}\n"
        yield f"line {unit.line}: {qid} -> {other}", text


def change_number(ctx: Context) -> Iterator[tuple[str, str | None]]:
    for unit in ctx.doc.units:
        if not in_scope(unit):
            continue
        allowed = set().union(*(renderings(s) for s in ctx.cited_stats(unit)))
        for pos, token in number_tokens(unit)[:1]:
            digit = next(i for i, ch in enumerate(token) if ch.isdigit())
            for shift in (3, 5, 7):
                new = (
                    token[:digit] + str((int(token[digit]) + shift) % 10 or 9) + token[digit + 1 :]
                )
                if norm(new) not in allowed:
                    break
            text = unit.text[:pos] + new + unit.text[pos + len(token) :]
            yield f"line {unit.line}: {token} -> {new}", _replace_unit(ctx.run.icp_text, unit, text)


def flip_comparison(ctx: Context) -> Iterator[tuple[str, str | None]]:
    for unit in ctx.doc.units:
        for c in comparisons(ctx, unit):
            if not (c.checked and c.ok) or c.word.lower() not in FLIP:
                continue
            new = FLIP[c.word.lower()]
            new = new.capitalize() if c.word[0].isupper() else new
            text = unit.text[: c.pos] + new + unit.text[c.pos + len(c.word) :]
            yield (
                f"line {unit.line}: {c.word} -> {new}",
                _replace_unit(ctx.run.icp_text, unit, text),
            )


def cite_missing_id(ctx: Context) -> Iterator[tuple[str, str | None]]:
    for unit in ctx.doc.units:
        if not unit.cites:
            continue
        old = unit.cites[0]
        text = _replace_unit(
            ctx.run.icp_text, unit, unit.text.replace(f"[^{old}]", f"[^{FAKE_ID}]")
        )
        if text is not None:
            text = text.rstrip("\n") + f"\n[^{FAKE_ID}]: A statistic this run never computed\n"
        yield f"line {unit.line}: {old} -> {FAKE_ID}", text


def drop_citation(ctx: Context) -> Iterator[tuple[str, str | None]]:
    for unit in ctx.doc.units:
        if unit.gated and unit.cites and is_factual(unit):
            new = ANY_MARKER_RE.sub("", unit.text)
            yield (
                f"line {unit.line}: dropped {', '.join(unit.cites)}",
                _replace_unit(ctx.run.icp_text, unit, new),
            )


def _next_h2_line(ctx: Context, prefix: str) -> int | None:
    heads = [h for h in ctx.doc.headings if h.level <= 2]
    for a, b in zip(heads, heads[1:], strict=False):
        if a.title.startswith(prefix):
            return b.line - 1
    return None


def invent_persona(ctx: Context) -> Iterator[tuple[str, str | None]]:
    at = _next_h2_line(ctx, "Personas")
    ev = next((e for e in sorted(ctx.run.evidence.values(), key=lambda e: e.id)
               if e.speaker_role == "interviewee"), None)  # fmt: skip
    if at is None or ev is None:
        return
    have = {p.decision_role for p in ctx.run.personas}
    for role in [r for r in ROLES if r not in have][:3]:
        title = f"{role.replace('_', ' ').capitalize()} — Chief Happiness Officer (Tier 1)"
        block = f"### {title}\n\n- Pains: nobody reads the reports.[^{ev.id}]\n"
        yield f"added persona '{title}'", _insert_after(ctx.run.icp_text, at, block)
    for head in [h for h in ctx.doc.headings if h.level == 3 and "emerging" in h.title.lower()]:
        title = re.sub(r",?\s*emerging", "", head.title, flags=re.I)
        lines = ctx.run.icp_text.split("\n")
        lines[head.line - 1] = f"### {title}"
        text = "\n".join(ln for ln in lines if not ln.lower().startswith("emerging persona"))
        yield f"unmarked emerging persona '{head.title}'", text


def _criterion_table(ctx: Context, h2_prefix: str, headers: set[str]) -> list[Unit] | None:
    for table in ctx.doc.tables:
        first = table_cells(table[0].text)[0].lower()
        if table[0].h2.startswith(h2_prefix) and first in headers and len(table) > 1:
            return table
    return None


def _row_like(template: Unit, label: str) -> str:
    cells = table_cells(template.text)
    rest = cells[1:] if len(cells) > 1 else []
    return "| " + " | ".join([label, *rest]) + " |"


def add_tier1_criterion(ctx: Context) -> Iterator[tuple[str, str | None]]:
    table = _criterion_table(ctx, "Tier 1", {"criterion", "criteria", "trait"})
    if table is None:
        return
    for label in INVENTED_CRITERIA:
        yield (
            f"Tier 1 criterion '{label}'",
            _insert_after(ctx.run.icp_text, table[-1].line, _row_like(table[-1], label)),
        )


def move_negative_to_tier1(ctx: Context) -> Iterator[tuple[str, str | None]]:
    tier1 = _criterion_table(ctx, "Tier 1", {"criterion", "criteria", "trait"})
    neg = _criterion_table(ctx, "Negative ICP", {"signal", "criterion", "disqualifier"})
    if tier1 is None or neg is None:
        return
    for row in neg[1:]:
        label = table_cells(row.text)[0]
        lines = ctx.run.icp_text.split("\n")
        lines[row.line - 1] = None  # type: ignore[call-overload]
        lines.insert(tier1[-1].line, _row_like(tier1[-1], label))
        yield f"moved '{label}' to Tier 1", "\n".join(ln for ln in lines if ln is not None)


Operator = Callable[[Context], Iterator[tuple[str, str | None]]]
OPERATORS: dict[str, tuple[str, Operator]] = {
    "alter_quote_word": ("quotes", alter_quote_word),
    "swap_quote_to_interviewer": ("quotes", swap_to_interviewer),
    "swap_attribution": ("quotes", swap_attribution),
    "change_number": ("numbers", change_number),
    "value_to_bound": ("numbers", value_to_bound),
    "flip_comparison": ("directions", flip_comparison),
    "flip_verdict": ("directions", flip_verdict),
    "cite_missing_id": ("citations", cite_missing_id),
    "drop_citation": ("citations", drop_citation),
    "invent_persona": ("structure", invent_persona),
    "add_tier1_criterion": ("structure", add_tier1_criterion),
    "move_negative_to_tier1": ("structure", move_negative_to_tier1),
    "flip_significance": ("structure", flip_significance),
    "rename_interviewee": ("structure", rename_interviewee),
}


def generate_mutants(run: RunData, cap: int = MAX_PER_OPERATOR) -> list[Mutant]:
    """Every operator's mutants of the run's ICP.md (at most `cap` per operator)."""
    ctx = Context(doc=parse(run.icp_text), run=run)
    out: list[Mutant] = []
    for name, (gate, op) in OPERATORS.items():
        made = [Mutant(name, gate, site, text) for site, text in op(ctx) if text is not None]
        out += made[:cap]
    return out


def _failure_keys(run: RunData) -> dict[str, set[tuple[str, str, str, str]]]:
    return {g.name: {f.key() for f in g.failures} for g in evaluate_run(run).gates}


def run_mutation_suite(out_dir: Path, cap: int = MAX_PER_OPERATOR) -> dict[str, object]:
    """Catch rate per operator (by its intended gate) and false alarms on the clean build."""
    t0 = time.perf_counter()
    run = load_run(Path(out_dir))
    clean = evaluate(run)
    clean_keys = {g.name: {f.key() for f in g.failures} for g in clean}
    ops: dict[str, dict[str, Any]] = {
        name: {"gate": gate, "n": 0, "caught": 0, "also_flagged_by": {}, "missed": []}
        for name, (gate, _) in OPERATORS.items()
    }
    for m in generate_mutants(run, cap):
        keys = _failure_keys(run.with_text(m.text))
        fired = [g for g in GATE_ORDER if keys[g] - clean_keys[g]]
        rec = ops[m.operator]
        rec["n"] += 1
        if m.gate in fired:
            rec["caught"] += 1
        else:
            rec["missed"].append(m.site)
        for g in fired:
            if g != m.gate:
                also = rec["also_flagged_by"]
                also[g] = also.get(g, 0) + 1
    for rec in ops.values():
        rec["catch_rate"] = (rec["caught"] / rec["n"]) if rec["n"] else None
    total = sum(r["n"] for r in ops.values())  # type: ignore[misc]
    caught = sum(r["caught"] for r in ops.values())  # type: ignore[misc]
    return {
        "out_dir": str(out_dir),
        "clean_passed": all(g.passed for g in clean),
        "false_alarms": {g.name: len(g.failures) for g in clean if g.failures},
        "operators": ops,
        "mutants": total,
        "caught": caught,
        "catch_rate": caught / total if total else None,
        "seconds": round(time.perf_counter() - t0, 3),
    }


def write_corpus(out_dir: Path, dest: Path, cap: int = MAX_PER_OPERATOR) -> list[Path]:
    """Copy the run folder once per mutant into `dest/<operator>-<k>/` with the corrupted ICP.md."""
    run = load_run(Path(out_dir))
    written: list[Path] = []
    counts: dict[str, int] = {}
    for m in generate_mutants(run, cap):
        counts[m.operator] = counts.get(m.operator, 0) + 1
        target = Path(dest) / f"{m.operator}-{counts[m.operator]}"
        shutil.copytree(out_dir, target, dirs_exist_ok=True)
        (target / "ICP.md").write_text(m.text, encoding="utf-8")
        written.append(target)
    return written
