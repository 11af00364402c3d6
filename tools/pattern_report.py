"""Renders the pattern analysis for a marketer (`icp-pattern-analysis.md`) and as `patterns.json`.

Plain words first, numbers after, every number from a registered `Stat` through
`tools.citations.format_value` with a footnote marker to it. Non-significant and
insufficient-evidence results are shown, not hidden.
"""

from __future__ import annotations

from typing import Any

from tools.citations import StatBook, cite, format_value
from tools.ids import stat_id
from tools.models import PatternTest
from tools.outcome_tests import OutcomeTest
from tools.patterns import PatternReport
from tools.schema import COMPONENT_LABELS
from tools.scoring import COMPONENTS, SEGMENTS, ScoringResult

LEVEL_WORDS = {
    "adequate": "There is enough data for firm conclusions about large and medium differences.",
    "directional": "The data supports directional conclusions only: treat every pattern as a "
    "hypothesis to check with sales and more data.",
    "insufficient": "There is not enough data to compare the best and worst customers; the "
    "patterns below are not evidence.",
}
HOW_TO_READ = [
    "Customers were ranked by a health score; the top group is called *ideal*, the bottom group "
    "*bad fit*.",
    "A trait is **significant** when it is much more common in one group than the other and the "
    "difference is unlikely to be chance, even after allowing for the many traits we checked "
    "(false-discovery rate {fdr}).",
    "*Share* is the percentage of a group with the trait; *odds ratio* above 1 means the trait "
    "goes with ideal customers, below 1 with bad-fit customers; the range in brackets is a 95% "
    "interval.",
    "*Not significant* means the data cannot tell the difference from chance. *Insufficient "
    "evidence* means too few customers have the trait, or the data is mostly missing.",
]


def _stat(book: StatBook, key: str):
    sid = stat_id(key)
    return book.get(sid) if sid in book else None


def _v(book: StatBook, key: str) -> str:
    s = _stat(book, key)
    if s is None:
        return "n/a"
    return f"{format_value(s.value, s.unit)}{cite(s.id)}"


def _trait_line(t: PatternTest, book: StatBook) -> str:
    k = f"pattern:{t.id}"
    top, bottom, share_all = (
        _stat(book, f"{k}:{x}") for x in ("share_top", "share_bottom", "share_all")
    )
    o, q = _stat(book, f"{k}:odds_ratio"), _stat(book, f"{k}:q_value")
    more = "best" if t.direction == "ideal" else "worst"
    words = f"**{t.label}** is more common among the {more} customers."
    if top is None or bottom is None or o is None or q is None or share_all is None:
        return f"- {words}"
    nums = (
        f"{format_value(top.value, 'pct')} of ideal customers (95% interval "
        f"{format_value(top.ci_low, 'pct')}–{format_value(top.ci_high, 'pct')}) vs "
        f"{format_value(bottom.value, 'pct')} of bad-fit customers and "
        f"{format_value(share_all.value, 'pct')} of all{cite(top.id, bottom.id, share_all.id)}; "
        f"odds ratio {format_value(o.value, 'ratio')}{cite(o.id)}, q = "
        f"{format_value(q.value, 'pvalue')}{cite(q.id)}, {t.n_trait:,} customers have it"
        f"{cite(t.stat_ids[-1])}."
    )
    return f"- {words} {nums}"


def _table(tests: list[PatternTest], with_numbers: bool) -> list[str]:
    if not tests:
        return ["None."]
    if with_numbers:
        rows = ["| Trait | Ideal | Bad fit | All | q | Customers |", "|---|---|---|---|---|---|"]
        for t in tests:
            rows.append(
                f"| {t.label} | {format_value(t.share_top, 'pct')} | "
                f"{format_value(t.share_bottom, 'pct')} | {format_value(t.share_all, 'pct')} | "
                f"{format_value(t.q_value, 'pvalue')} | {t.n_trait:,} |"
            )
        return rows
    rows = ["| Trait | Why not tested |", "|---|---|"]
    rows += [f"| {t.label} | {t.reason} |" for t in tests]
    return rows


def _segments_table(book: StatBook) -> list[str]:
    rows = [
        "| Segment | Customers | Mean health | Churn rate | Win rate | NRR proxy | Days to close |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in SEGMENTS:
        cells = [
            _v(book, f"segment:{s}:{x}")
            for x in ("size", "mean_health", "churn_rate", "win_rate", "nrr_proxy", "time_to_close")
        ]
        rows.append(f"| {s.replace('_', ' ')} | " + " | ".join(cells) + " |")
    return rows


OUTCOME_TITLES = {"churn_rate": "Churn rate", "win_rate": "Win rate"}
OUTCOME_INTRO = (
    "Each value is compared with the customers without it on a raw outcome, not on the health "
    "score. *Significant after correction* means the difference survives false-discovery control "
    "across all of these outcome comparisons (a family separate from the tests above)."
)


def _outcome_line(t: OutcomeTest, book: StatBook) -> str:
    pct = lambda x: format_value(x, "pct")  # noqa: E731
    if t.outcome == "churn_rate":
        subject, verb, unit = f"Customers with {t.label}", "churned at", "customers"
    else:
        subject, verb, unit = f"Closed deals of customers with {t.label}", "were won at", "deals"
    if t.status == "insufficient_evidence":
        return f"- {subject}: insufficient evidence — {t.reason} (n = {t.n:,} {unit})."
    verdict = (
        "significant after correction"
        if t.status == "significant"
        else "not significant (could be chance)"
    )
    rate, rest = t.stat_ids[0], t.stat_ids[1]
    q = t.stat_ids[2] if len(t.stat_ids) > 2 else ""
    return (
        f"- {subject} {verb} {pct(t.rate)} (95% interval {pct(t.ci_low)}–{pct(t.ci_high)}, "
        f"n = {t.n:,} {unit}){cite(rate)}, against {pct(t.rate_rest)} for the rest (95% interval "
        f"{pct(t.rest_ci_low)}–{pct(t.rest_ci_high)}, n = {t.n_rest:,}){cite(rest)}; {verdict} "
        f"(q = {format_value(t.q_value, 'pvalue')}){cite(q)}."
    )


def _outcomes_section(tests: list[OutcomeTest], book: StatBook) -> list[str]:
    if not tests:
        return []
    lines = ["", "## Outcomes by trait", "", OUTCOME_INTRO]
    for o, title in OUTCOME_TITLES.items():
        mine = [t for t in tests if t.outcome == o]
        if not mine:
            continue
        sig = sum(t.status == "significant" for t in mine)
        tested = sum(t.status != "insufficient_evidence" for t in mine)
        lines += ["", f"### {title}", "", f"{sig} of {tested} tested differences are "
                  "significant after correction.", ""]  # fmt: skip
        lines += [_outcome_line(t, book) for t in mine]
    return lines


def _footnotes(text: str, book: StatBook) -> list[str]:
    out = []
    for s in book.all():
        if f"[^{s.id}]" in text:
            ci = (
                ""
                if s.ci_low is None
                else (
                    f", 95% interval {format_value(s.ci_low, s.unit)}–"
                    f"{format_value(s.ci_high, s.unit)}"
                )
            )
            out.append(
                f"[^{s.id}]: {s.definition}: {format_value(s.value, s.unit)} (n = {s.n:,}{ci})."
            )
    return out


def render_pattern_analysis(report: PatternReport, scoring: ScoringResult, book: StatBook) -> str:
    """The marketer-facing Markdown of the pattern analysis."""
    sig = [t for t in report.tests if t.status == "significant"]
    good = [t for t in sig if t.direction == "ideal" and t.kind != "combo"]
    bad = [t for t in sig if t.direction == "bad_fit" and t.kind != "combo"]
    combos = [t for t in sig if t.kind == "combo"]
    suff = report.sufficiency
    lines = ["# ICP pattern analysis", "", "## How to read this", ""]
    lines += [f"- {x.format(fdr=format_value(report.fdr, 'pct'))}" for x in HOW_TO_READ]
    lines += ["", "## Is there enough data?", "", LEVEL_WORDS[suff.level], ""]
    lines += [f"- {r}" for r in suff.reasons]
    lines += [
        f"- {suff.n_accounts:,} customers: {suff.n_ideal:,} ideal, {suff.n_bad_fit:,} bad fit; "
        f"{suff.n_won:,} won, {suff.n_lost:,} lost and {suff.n_open:,} open deals.",
        "",
    ]
    lines += ["## How customers were scored", ""]
    lines += [
        f"- {COMPONENT_LABELS[c]}: {_v(book, f'scoring:weight:{c}')}"
        for c in COMPONENTS
        if scoring.effective_weights.get(c, 0) > 0
    ]
    lines += [f"- {n}" for n in scoring.notes if not n.startswith("Effective weights")]
    lines += ["", "## Segments at a glance", "", *_segments_table(book), ""]
    lines += ["## What the best customers have in common", ""]
    lines += [_trait_line(t, book) for t in good] or [
        "No trait separates the best customers from the rest beyond chance."
    ]
    lines += ["", "## Warning signs (common among the worst customers)", ""]
    lines += [_trait_line(t, book) for t in bad] or [
        "No trait marks the worst customers beyond chance."
    ]
    if combos:
        lines += ["", "## Combinations", "", *[_trait_line(t, book) for t in combos]]
    rest = [t for t in report.tests if t.status == "not_significant"]
    lines += _outcomes_section(report.outcome_tests, book)
    lines += ["", "## Checked, but could be chance", "", *_table(rest, True)]
    insuff = [t for t in report.tests if t.status == "insufficient_evidence"]
    lines += ["", "## Insufficient evidence", "", *_table(insuff, False), ""]
    body = "\n".join(lines)
    return body + "\n" + "\n".join(_footnotes(body, book)) + "\n"


def patterns_json(report: PatternReport) -> dict[str, Any]:
    """Every test (significant or not), the sufficiency verdict, outcome stat ids and the
    outcome-by-trait tests."""
    return {
        "fdr": report.fdr,
        "sufficiency": report.sufficiency.model_dump(mode="json"),
        "outcomes": list(report.outcomes),
        "notes": list(report.notes),
        "tests": [t.model_dump(mode="json") for t in report.tests],
        "outcome_tests": [t.model_dump(mode="json") for t in report.outcome_tests],
    }
