"""Node: read every customer file into one account table and a deals table."""

from __future__ import annotations

from langgraph.runtime import Runtime

from agent.context import RunContext
from agent.nodes.timing import timed
from agent.state import BuildState, CustomerTables
from tools.ingest import load_customer_data, render_ingest_report


@timed("ingest_customers")
def ingest_customers(state: BuildState, runtime: Runtime[RunContext]) -> dict:
    req = state["request"]
    ctx = runtime.context
    ctx.progress("ingest", f"reading {len(req.customers)} customer file(s)")
    data = load_customer_data(
        list(req.customers),
        mapping_file=req.mapping_file,
        sheet=req.sheet,
        churn_definition=req.churn_definition,
    )
    ctx.run.write_text("ingest-report.md", render_ingest_report(data.report))
    ctx.run.stage("ingest", "accounts", data.accounts)
    ctx.run.stage("ingest", "deals", data.deals)
    ctx.run.stage("ingest", "report", data.report)
    tables = CustomerTables(
        accounts=data.accounts, deals=data.deals, attributes=data.attributes, report=data.report
    )
    return {"data": tables}
