"""The eval report: per-gate results with exact failing items, a baseline diff, and rendering.

`EvalReport` is what `evals.runner.run_gates` returns and what `eval-report.json` holds;
`render_markdown` turns it into the readable `eval-report.md` (with a "how to read" section that
states each gate's rule, including the direction rules of `evals.gates.directions`).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

GATE_ORDER = ("quotes", "citations", "numbers", "directions", "structure")


class Failure(BaseModel):
    """One failing item: where it is, which id, what was expected and what was found."""

    gate: str
    rule: str  # short machine name, e.g. "not_verbatim", "orphan_number"
    section: str = ""
    line: int = 0
    sentence: str = ""
    id: str = ""
    expected: str = ""
    found: str = ""

    def key(self) -> tuple[str, str, str, str]:
        """Identity used to diff two reports (line numbers shift between builds)."""
        return (self.gate, self.rule, self.id, " ".join(self.sentence.split())[:120])


class GateResult(BaseModel):
    name: str
    passed: bool
    score: float  # share of checked items that pass (1.0 when nothing to check)
    n: int  # items checked
    failures: list[Failure] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class GateChange(BaseModel):
    gate: str
    score_before: float | None
    score_after: float | None
    new_failures: list[Failure] = Field(default_factory=list)
    fixed_failures: list[Failure] = Field(default_factory=list)


class EvalReport(BaseModel):
    out_dir: str
    passed: bool
    gates: list[GateResult]
    judge: dict[str, object] | None = None
    baseline: str | None = None
    changes: list[GateChange] = Field(default_factory=list)

    def gate(self, name: str) -> GateResult:
        return next(g for g in self.gates if g.name == name)


def make_result(name: str, n: int, failures: list[Failure], notes: list[str] | None = None):
    """Score = share of checked items without a failure (failures can exceed items: clamp)."""
    bad_items = len({(f.line, f.sentence, f.id, f.rule) for f in failures})
    score = 1.0 if n == 0 else max(0.0, (n - min(bad_items, n)) / n)
    return GateResult(
        name=name, passed=not failures, score=round(score, 4), n=n, failures=failures,
        notes=notes or [],
    )  # fmt: skip


def diff_reports(current: EvalReport, baseline: EvalReport) -> list[GateChange]:
    """What changed per gate between a baseline report and the current one."""
    changes = []
    for name in GATE_ORDER:
        cur = next((g for g in current.gates if g.name == name), None)
        base = next((g for g in baseline.gates if g.name == name), None)
        cur_f = {f.key(): f for f in (cur.failures if cur else [])}
        base_f = {f.key(): f for f in (base.failures if base else [])}
        change = GateChange(
            gate=name,
            score_before=base.score if base else None,
            score_after=cur.score if cur else None,
            new_failures=[f for k, f in cur_f.items() if k not in base_f],
            fixed_failures=[f for k, f in base_f.items() if k not in cur_f],
        )
        if (
            change.new_failures
            or change.fixed_failures
            or change.score_before != change.score_after
        ):
            changes.append(change)
    return changes


HOW_TO_READ = """## How to read this report

Each gate checks `ICP.md` against this run's artifacts and lists every failing item with its
line, the sentence, the id involved, and what was expected versus found. A gate passes only at
100%; `icp eval` exits 1 when any gate fails.

- **quotes** — text inside “…” followed by a `[^q-…]` marker must appear verbatim (only
  whitespace, quote marks and masked emails/phones are normalised) inside the cited evidence
  span; the span is re-read from its source file at its recorded offsets and must be an
  interviewee's turn. A quote in a Tier / Negative ICP / Personas section with no `q-` marker fails.
- **citations** — every `[^id]` resolves to `stats.json` / `evidence.jsonl` and has a footnote
  definition; every factual unit (it holds a number, a comparison word, a quote, a
  `label: value` / `Attribute = value` bullet, or is a table row) in a gated section cites an id.
- **numbers** — every number in a claim unit (outside footnote markers, quotes, `Tier N`, dates,
  code spans and headings) equals a rendering of the value, interval bounds, n or
  `extra["shown"]` of a statistic that unit cites (sign ignored: direction words carry it).
- **directions** — comparison words must agree with the cited statistics:

| claim | cited statistic | passes when |
|---|---|---|
| more / higher / greater / larger / wins more / over-represented / longer / slower | a ratio (×) | value > 1 |
| less / lower / fewer / smaller / under-represented / cheaper | a ratio (×) | value < 1 |
| faster / quicker / shorter / sooner (time) | a ratio (×) of times | value < 1 |
| “A vs B” / “A than B” with an up word | two stats of one unit, A written first | A > B |
| “A vs B” / “A than B” with a down word | two stats of one unit, A written first | A < B |
| up / down word | a difference stat (definition says difference/change) | sign > 0 / < 0 |

  A comparison word negated (“not higher”) or used as a bound (“more than 40”) is not checked.
  A Validation verdict (“— met” / “— missed”, pipeline audit, TAM check) must agree with the
  unrounded ratio and target statistics it cites (`wrong_verdict`).
- **structure** — required sections (Tier 1, Tier 2, Tier 3, Negative ICP, Personas, Validation,
  Sources) exist; every `Tier N` named exists in `tiers.json`; every criterion row of a tier's
  `Criterion` table is a criterion of that tier, every `Signal` row of Negative ICP is a negative
  signal; no negative signal appears as a Tier 1 criterion; every `Attribute = value` trait named
  in a gated section exists in `patterns.json` / `tiers.json`; each persona (H3 under Personas)
  names a decision role that exists in `personas.json` and cites at least two interviewees
  unless marked *emerging*; a criterion's “significant” / “not significant” words match its
  pattern's status (`wrong_significance`); each person on an “Interviewees:” line is an
  interviewee (with that title) in `evidence.jsonl` (`unknown_interviewee`).
"""


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "/")


def render_markdown(report: EvalReport) -> str:
    """The human-readable eval-report.md."""
    verdict = "PASS" if report.passed else "FAIL"
    lines = [f"# Groundedness eval — {verdict}", "", f"Run folder: `{report.out_dir}`", ""]
    lines += ["| gate | result | score | items checked | failures |", "|---|---|---|---|---|"]
    for g in report.gates:
        res = "pass" if g.passed else "FAIL"
        lines.append(f"| {g.name} | {res} | {g.score:.1%} | {g.n} | {len(g.failures)} |")
    lines.append("")
    for g in report.gates:
        if not g.failures and not g.notes:
            continue
        lines += [f"## {g.name}", ""]
        lines += [f"*{note}*" for note in g.notes]
        if g.failures:
            lines += [
                "| line | rule | sentence | id | expected | found |",
                "|---|---|---|---|---|---|",
            ]
            for f in g.failures:
                cells = [str(f.line), f.rule, f.sentence, f.id, f.expected, f.found]
                lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        lines.append("")
    if report.baseline is not None:
        lines += _render_changes(report)
    if report.judge is not None:
        lines += ["## Judge (optional, not a gate)", ""]
        lines += [f"- {k}: {v}" for k, v in report.judge.items()] + [""]
    return "\n".join(lines) + "\n" + HOW_TO_READ


def _render_changes(report: EvalReport) -> list[str]:
    lines = [f"## Changes since baseline `{report.baseline}`", ""]
    if not report.changes:
        return [*lines, "No change.", ""]
    for c in report.changes:
        before = "—" if c.score_before is None else f"{c.score_before:.1%}"
        after = "—" if c.score_after is None else f"{c.score_after:.1%}"
        lines.append(f"- **{c.gate}**: {before} → {after}")
        lines += [
            f"  - new: line {f.line}: {f.sentence[:100]} ({f.id}) — {f.rule}"
            for f in c.new_failures
        ]
        lines += [f"  - fixed: {f.sentence[:100]} ({f.id}) — {f.rule}" for f in c.fixed_failures]
    return [*lines, ""]
