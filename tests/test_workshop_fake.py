"""A small fake of the workshop's backend adapter (dependency injection, no patching).

`FakeBackend` subclasses the real adapter and replaces only the parts that need the pipeline
(build, inspect) and the embedding model; rule re-tiering and note reading stay real. It is also
importable by the pty tests' child process (`tests/` on PYTHONPATH).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from agent.workshop.backend import Backend, BuildSpec, IngestSummary, Snapshot
from tools.citations import StatBook
from tools.fitrules import Cutoffs, FitRules, RuleCriterion
from tools.models import ColumnMapping, Criterion, PatternTest, Tier

ACCOUNTS = pd.DataFrame({
    "account_id": ["A1", "A2", "A3", "A4", "A5", "A6"],
    "name": ["Northwind Pay", "Ledgerly", "Shopmart", "Tiny Co", "Bitbank", "Corner Shop"],
    "industry": ["FinTech", "FinTech", "Retail", "Retail", "FinTech", "Retail"],
    "employees": [120.0, 60.0, 300.0, 20.0, 180.0, 80.0],
    "churned": [False, False, True, True, False, True],
    "churn_reason": [None, None, "Price too high", "Price too high", None, "Champion left"],
})  # fmt: skip
DEALS = pd.DataFrame({
    "deal_id": ["D1", "D2", "D3", "D4"],
    "account_id": ["A1", "A3", "A5", "A2"],
    "deal_stage": ["open", "open", "won", "open"],
})  # fmt: skip
RULES = FitRules(
    criteria=[
        RuleCriterion(id="c1", attribute="industry", kind="category", signal="FinTech",
                      values=["FinTech"], points=2),
        RuleCriterion(id="c2", attribute="employees", kind="range", signal="50–200 employees",
                      low=50, high=200, points=1),
    ],
    cutoffs=Cutoffs(tier_1=3, tier_2=2, tier_3=1),
)  # fmt: skip
DOC = "# ICP\n\n## Summary\n\nIntro line.\n\n## Tier 1\n\nFinTech companies.\n\n## Personas\n\nP.\n"


class FakeBackend(Backend):
    def __init__(self) -> None:
        super().__init__(llm="offline")
        self.builds: list[BuildSpec] = []
        self.indexed: list[Path] = []

    def inspect(self, paths: list[Path], mapping_file: Path | None) -> IngestSummary:
        for p in paths:
            if p.suffix == ".bin":
                from tools.errors import InputError

                raise InputError("cannot read this file", file=str(p), hint="export it as CSV")
        maps = [ColumnMapping(file=str(paths[0]), column="Industry", field="industry",
                              confidence=0.95, reason="header synonym")]  # fmt: skip
        return IngestSummary(maps, [], len(ACCOUNTS), len(DEALS))

    def build(self, spec: BuildSpec, progress=None) -> Snapshot:  # noqa: ANN001
        self.builds.append(spec)
        book = StatBook()
        share = book.add("pattern|industry=FinTech|share_top", "share of ideal customers in "
                         "FinTech", 0.75, 4, "pct")  # fmt: skip
        lift = book.add("pattern|industry=FinTech|lift", "lift of FinTech among ideal customers",
                        1.5, 4, "ratio")  # fmt: skip
        bottom = book.add("pattern|industry=FinTech|share_bottom", "share of bad-fit customers "
                          "in FinTech", 0.0, 2, "pct")  # fmt: skip
        crit = Criterion(attribute="industry", label="Industry = FinTech", values=["FinTech"],
                         stat_ids=[share.id, lift.id])  # fmt: skip
        test = PatternTest(
            id="industry=FinTech", attribute="industry", label="Industry = FinTech", kind="value",
            value="FinTech", n_all=6, n_trait=3, n_top=2, n_top_trait=2, n_bottom=2,
            n_bottom_trait=0, share_top=1.0, share_bottom=0.0, share_all=0.5, lift=2.0,
            odds_ratio=None, ci_low=None, ci_high=None, p_value=0.1, q_value=0.1,
            direction="ideal", status="not_significant",
            stat_ids=[share.id, lift.id, bottom.id],
        )  # fmt: skip
        rules = RULES
        if (spec.weights or {}).get("revenue", 20) >= 30:  # a weight change moves one account
            rules = RULES.model_copy(update={"cutoffs": Cutoffs(tier_1=3, tier_2=1, tier_3=1)})
        tiers, _ = self.retier(rules, ACCOUNTS, [])
        spec.out.mkdir(parents=True, exist_ok=True)
        doc = spec.out / "ICP.md"
        doc.write_text(DOC, encoding="utf-8")
        return Snapshot(
            out_dir=spec.out, document_path=doc, passed=True, seconds=0.01,
            stats={s.id: s for s in book.all()}, evidence={}, tests=[test],
            tiers=[Tier(name="Tier 1", summary="", criteria=[crit], n_match=2)],
            tier_of_account=tiers, accounts=ACCOUNTS, deals=DEALS, rules=rules,
            sufficiency=["Data sufficiency: directional (6 accounts)"],
            validation=[("win rate", "met" if rules is RULES else "missed", [share.id])],
        )  # fmt: skip

    def embedder(self):  # noqa: ANN201 - keyword-only extraction keeps the fake fast
        return None

    def index_note(self, store_dir: Path, path: Path, note) -> int:  # noqa: ANN001
        self.indexed.append(path)
        return len(note.evidence)


def test_fake_backend_tiers_follow_the_rules(tmp_path: Path) -> None:
    snap = FakeBackend().build(BuildSpec(customers=[], interviews=[], out=tmp_path))
    assert snap.tier_of_account["A1"] == "Tier 1"
    assert snap.tier_of_account["A3"] == "Not ICP"
