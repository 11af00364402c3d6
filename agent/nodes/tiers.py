"""Node: Tier 1/2/3, negative ICP, lint, rules file (icp.yaml), exports and validation."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.context import RunContext
from agent.nodes.timing import timed
from agent.state import BuildState
from tools.citations import StatBook
from tools.exports import to_sql
from tools.fitrules import save_rules
from tools.tiers import build_icp, make_learner
from tools.validation import backtest, pipeline_audit


@timed("build_tiers")
def build_tiers(state: BuildState, runtime: Runtime[RunContext]) -> dict:
    req, data, ctx = state["request"], state["data"], runtime.context
    ctx.progress("tiers", "building tiers, negative ICP and rules")
    book = StatBook()
    book.extend(state.get("stats", {}).values())
    icp = build_icp(
        data.accounts,
        state["scoring"].matrix,
        state["patterns"].tests,
        data.attributes,
        data.deals,
        book=book,
        as_of=req.as_of,
    )
    ctx.progress("validate", "backtesting the rules on held-out customers")
    learn = make_learner(
        data.attributes, as_of=req.as_of, weights=req.weights, top=req.top, bottom=req.bottom,
        fdr=req.fdr, min_support=req.min_support,
    )  # fmt: skip
    held_out = backtest(data.accounts, data.deals, learn, book=book, as_of=req.as_of)
    audit = pipeline_audit(icp.rules, data.accounts, data.deals, book=book)
    validation = [icp.validation, held_out.model_copy(update={"pipeline": audit})]
    ctx.run.write_json("validation.json", validation)
    save_rules(icp.rules, ctx.run.path("icp.yaml"))
    ctx.run.write_text("fit_score.sql", to_sql(icp.rules))
    ctx.run.write_json(
        "tiers.json",
        {
            "tiers": icp.tiers,
            "negative": icp.negative,
            "lint": icp.lint,
            "tier_of_account": icp.tier_of_account,
        },
    )
    return {"icp": icp, "validation": validation, "stats": {s.id: s for s in book.all()}}
