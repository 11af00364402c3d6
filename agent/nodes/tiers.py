"""Node: Tier 1/2/3, negative ICP, lint, rules file (icp.yaml), exports and validation."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.context import RunContext
from agent.nodes.timing import timed
from agent.state import BuildState
from tools.citations import StatBook
from tools.exports import to_sql
from tools.fitrules import save_rules
from tools.ingest import load_customer_data
from tools.scoring import write_matrix_xlsx
from tools.tiers import build_icp, make_learner
from tools.validation import backtest, pipeline_audit, tam_check


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
    tam = _tam(req, icp, data, book) if req.tam else None
    validation = [icp.validation, held_out.model_copy(update={"pipeline": audit, "tam": tam})]
    ctx.run.write_json("validation.json", validation)
    matrix = state["scoring"].matrix
    matrix = matrix.assign(icp_tier=matrix["account_id"].astype(str).map(icp.tier_of_account))
    ctx.run.write_csv("customer-scoring-matrix.csv", matrix)
    write_matrix_xlsx(matrix, ctx.run.path("customer-scoring-matrix.xlsx"))
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


def _tam(req, icp, data, book: StatBook):  # noqa: ANN001, ANN202 - node-private helper
    """Tier 1 market in the user's market list vs the revenue target (mean Tier 1 ARR as ACV)."""
    market = load_customer_data([req.tam]).accounts
    tier1 = [a for a, t in icp.tier_of_account.items() if t == "Tier 1"]
    arr = data.accounts.set_index("account_id").get("arr")
    acv = float(arr.reindex(tier1).mean()) if arr is not None and tier1 else None
    return tam_check(icp.rules, market, req.revenue_target, acv, book=book)
