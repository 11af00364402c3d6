"""Generate the bundled example companies (synthetic, seeded, byte-for-byte reproducible).

`python examples/generate.py` writes `examples/acme/` (Acme Analytics: ~400 customer accounts,
deals, 13 interviews, ground truth) and `examples/second/` (Brightdesk: a smaller, differently
shaped export). Outcomes are drawn from a latent "fit" score built from planted traits plus
noise, so the structure is real but not perfectly separable. `ground_truth.json` records what
was planted; the interview texts live in `examples/_interviews.py`.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 58  # chosen so a plain Fisher + BH analysis shows only the planted traits
AS_OF = pd.Timestamp("2026-06-30")
HERE = Path(__file__).resolve().parent


def _load_texts():  # the interview texts are a sibling module; examples/ is not a package
    spec = importlib.util.spec_from_file_location("examples_interviews", HERE / "_interviews.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


INDUSTRIES = {
    "FinTech": 0.16, "E-commerce": 0.14, "Healthcare": 0.10, "Manufacturing": 0.10,
    "Marketing Agency": 0.10, "Professional Services": 0.10, "Logistics": 0.09,
    "Education": 0.07, "Media": 0.07, "Real Estate": 0.07,
}  # fmt: skip
FUNDING = {
    "Bootstrapped": 0.22, "Seed": 0.18, "Series A": 0.22, "Series B": 0.17,
    "Series C+": 0.10, "PE-backed": 0.06, "Public": 0.05,
}  # fmt: skip
COUNTRIES = {
    "United States": 0.45, "United Kingdom": 0.15, "Germany": 0.10, "Canada": 0.10,
    "Australia": 0.07, "Netherlands": 0.07, "France": 0.06,
}  # fmt: skip
LEAD_SOURCES = ["Inbound", "Outbound", "Partner", "Event", "Paid Search"]
OWNERS = ["Dana Whitfield", "Marcus Oyelaran", "Sofia Brandt", "Kenji Watanabe", "Lena Novak"]
TOOLS = {  # tool -> share of accounts using it (independent of outcomes)
    "Slack": 0.75, "Stripe": 0.45, "QuickBooks": 0.25, "NetSuite": 0.18, "Xero": 0.12,
    "Snowflake": 0.20, "BigQuery": 0.14, "dbt": 0.12, "Looker": 0.10, "Excel": 0.30,
    "Zendesk": 0.22, "Jira": 0.35,
}  # fmt: skip
CHURN_REASONS = {
    "bootstrapped": ["Too expensive", "Budget cuts", "Went back to spreadsheets",
                     "Too expensive", "Low adoption"],
    "other": ["Switched to competitor", "Low adoption", "Missing integration", "Champion left",
              "Company acquired", "Too expensive", "Budget cuts"],
}  # fmt: skip
LOSS_REASONS = {
    "bootstrapped": ["No budget", "Price too high", "Staying on spreadsheets", "No budget"],
    "other": ["Chose competitor", "Timing / not a priority", "Security review stalled",
              "Price too high", "No decision"],
}  # fmt: skip
NAME_A = [
    "Amber", "Arbor", "Atlas", "Beacon", "Birch", "Blue", "Bright", "Cedar", "Cinder", "Clear",
    "Cobalt", "Copper", "Crest", "Delta", "Ember", "Fern", "Fox", "Granite", "Harbor", "Hollow",
    "Iron", "Juniper", "Kestrel", "Lark", "Linden", "Maple", "Meridian", "North", "Oak", "Orbit",
    "Pine", "Quarry", "Red", "Ridge", "River", "Sable", "Silver", "Stone", "Summit", "True",
]  # fmt: skip
NAME_B = [
    "Labs", "Works", "Logic", "Systems", "Partners", "Group", "Cloud", "Studio", "Metrics", "Hub",
    "Digital", "Solutions", "Networks", "Dynamics", "Technologies", "Interactive", "Global",
    "Collective", "Industries", "Software",
]  # fmt: skip


PLANTED = {  # what `_fit` and `_deals` build in; copied into ground_truth.json
    "best_segment": {"column": "Industry", "attribute": "industry", "value": "FinTech"},
    "bad_trait": {"column": "Funding Stage", "attribute": "funding_stage", "value": "Bootstrapped"},
    "sweet_spot": {"column": "Number of Employees", "attribute": "employees", "low": 50, "high": 200},
    "noise_attributes": [
        {"column": "Country", "attribute": "country"},
        {"column": "Lead Source", "attribute": "lead_source", "aliases": ["acquisition_channel"]},
        {"column": "CRM Owner", "attribute": "crm_owner"},
    ],
    "correlated_traits": [
        {"column": "Tech Stack", "attribute": "tech_stack", "value": "Google Sheets",
         "note": "70% of Bootstrapped vs 25% of other accounts; may surface as bad-fit"},
    ],
}  # fmt: skip


def _pick(rng: np.random.Generator, probs: dict[str, float], n: int) -> np.ndarray:
    keys = list(probs)
    p = np.array([probs[k] for k in keys])
    return rng.choice(np.array(keys, dtype=object), size=n, p=p / p.sum())


def _names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    combos = rng.choice(len(NAME_A) * len(NAME_B), size=n, replace=False)
    a = np.array(NAME_A, dtype=object)[combos // len(NAME_B)]
    b = np.array(NAME_B, dtype=object)[combos % len(NAME_B)]
    names = a + " " + b
    tld = np.where(rng.random(n) < 0.7, ".com", ".io")
    domains = pd.Series(names).str.lower().str.replace(" ", "", regex=False) + tld
    return names, domains.to_numpy(dtype=object)


def _tech_stack(rng: np.random.Generator, n: int, bootstrapped: np.ndarray) -> pd.Series:
    crm = rng.choice(["Salesforce", "HubSpot", "Pipedrive"], size=n, p=[0.4, 0.45, 0.15])
    stack = pd.Series(crm, dtype=object)
    # Spreadsheets-as-system-of-record is common in bootstrapped firms (a correlate of the bad trait).
    sheets = rng.random(n) < np.where(bootstrapped, 0.7, 0.25)
    for tool, share in [("Google Sheets", None), *TOOLS.items()]:
        has = sheets if share is None else rng.random(n) < share
        stack = stack.where(~has, stack + "; " + tool)
    return stack


def _accounts_traits(rng: np.random.Generator, n: int) -> pd.DataFrame:
    names, domains = _names(rng, n)
    funding = _pick(rng, FUNDING, n)
    employees = np.clip(np.round(np.exp(rng.normal(np.log(80), 1.3, n))), 3, 5000)
    revenue = employees * np.exp(rng.normal(np.log(120_000), 0.5, n))
    return pd.DataFrame(
        {
            "Company ID": [f"CMP-{1001 + i}" for i in range(n)],
            "Company name": names,
            "Website": domains,
            "Industry": _pick(rng, INDUSTRIES, n),
            "Number of Employees": employees.astype(int),
            "Annual Revenue": (np.round(revenue, -4)).astype(np.int64),
            "Country": _pick(rng, COUNTRIES, n),
            "Funding Stage": funding,
            "Tech Stack": _tech_stack(rng, n, funding == "Bootstrapped"),
            "Lead Source": rng.choice(LEAD_SOURCES, size=n),
            "CRM Owner": rng.choice(OWNERS, size=n),
        }
    )


def _fit(df: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Latent fit: planted effects plus unit noise (so no trait decides an outcome alone)."""
    emp = df["Number of Employees"].to_numpy()
    return (
        1.2 * _is(df, "best_segment")
        + 0.9 * _sweet(emp)
        - 1.1 * _is(df, "bad_trait")
        - 0.3 * (emp > 1000)
        + rng.normal(0, 1, len(df))
    )


def _sweet(employees) -> np.ndarray:
    spot = PLANTED["sweet_spot"]
    return ((np.asarray(employees) >= spot["low"]) & (np.asarray(employees) <= spot["high"])) * 1.0


def _is(df: pd.DataFrame, key: str) -> np.ndarray:
    """Mask of the rows carrying a planted trait (`best_segment` or `bad_trait`)."""
    return (df[PLANTED[key]["column"]] == PLANTED[key]["value"]).to_numpy()


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _outcomes(df: pd.DataFrame, z: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    n = len(df)
    log_emp = np.log(df["Number of Employees"].to_numpy() / 80)
    first, last = pd.Timestamp("2021-01-04"), pd.Timestamp("2026-05-29")
    span = (last - first).days
    start = first + pd.to_timedelta(np.round(rng.beta(1.5, 1, n) * span), unit="D")
    tenure_years = (AS_OF - start).days.to_numpy() / 365.25
    hazard = _sigmoid(-1.9 - 0.9 * z)  # annual churn probability
    churned = rng.random(n) < 1 - (1 - hazard) ** tenure_years
    lived = np.maximum(60, rng.uniform(0.15, 1.0, n) * (AS_OF - start).days.to_numpy())
    churn_date = pd.Series(start + pd.to_timedelta(np.round(lived), unit="D")).where(churned)
    churn_date = churn_date.clip(upper=AS_OF - pd.Timedelta(days=3))
    base = np.exp(np.log(6500) + 0.3 * log_emp + 0.35 * z + rng.normal(0, 0.45, n))
    base = np.clip(np.round(base, -2), 1000, 50_000)
    expands = ~churned & (rng.random(n) < _sigmoid(-0.9 + 1.1 * z))
    expansion = np.where(expands, np.round(base * rng.uniform(0.1, 0.5, n), -2), 0)
    arr = np.minimum(base + expansion, 60_000)
    reasons = _reasons(rng, _is(df, "bad_trait"), CHURN_REASONS)
    close = np.log(38) - 0.3 * z + 0.2 * log_emp + rng.normal(0, 0.35, n)
    return pd.DataFrame(
        {
            "Customer Since": start,
            "ARR": arr.astype(int),
            "Expansion ARR": (arr - base).astype(int),
            "Churned": np.where(churned, "Yes", "No"),
            "Churn Date": churn_date,
            "Churn Reason": np.where(churned, reasons, ""),
            "NPS": np.clip(np.round(7.0 + 1.2 * z + rng.normal(0, 1.3, n)), 0, 10),
            "Support Tickets (12m)": rng.poisson(np.exp(1.5 - 0.4 * z + 0.25 * log_emp)),
            "Days to Close": np.clip(np.round(np.exp(close)), 5, 240).astype(int),
            "Referrals": rng.poisson(np.exp(-1.1 + 0.8 * z)),
        },
        index=df.index,
    )


def _money(values: pd.Series) -> pd.Series:
    return "$" + values.astype(np.int64).map("{:,}".format)


def _messy(df: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Render the clean table as a CRM would export it: mostly tidy, with a little mess."""
    out = df.astype(dict.fromkeys(["Number of Employees", "Annual Revenue", "ARR", "NPS"], object))
    n = len(out)
    idx = lambda k: out.index[rng.choice(n, size=k, replace=False)]  # noqa: E731
    dollars = idx(9)
    out.loc[dollars, "ARR"] = _money(df.loc[dollars, "ARR"])
    millions = idx(12)
    out.loc[millions, "Annual Revenue"] = (
        "$" + (df.loc[millions, "Annual Revenue"] / 1e6).round(1).astype(str) + "M"
    )
    out.loc[idx(4), "Annual Revenue"] = "N/A"
    out.loc[idx(3), "Number of Employees"] = "N/A"
    out.loc[rng.random(n) < 0.12, "NPS"] = ""
    out["NPS"] = out["NPS"].map(lambda v: "" if v == "" else str(int(v)))
    for proper, variant in [("FinTech", "fintech"), ("E-commerce", "e-commerce")]:
        rows = out.index[out["Industry"] == proper][[3, 17]]
        out.loc[rows, "Industry"] = variant
    for col in ["Customer Since", "Churn Date"]:
        out[col] = df[col].dt.strftime("%Y-%m-%d").fillna("")
    return out


def _reasons(rng: np.random.Generator, boot: np.ndarray, table: dict[str, list[str]]):
    other = rng.choice(table["other"], size=len(boot))
    return np.where(boot, rng.choice(table["bootstrapped"], size=len(boot)), other)


def _deal_rows(rows: pd.DataFrame, kind: str, stage, amount, created, closed, reason):
    return pd.DataFrame(
        {
            "Company ID": rows["Company ID"],
            "Deal Name": rows["Company name"] + f" - {kind}",
            "Stage": stage,
            "Amount": np.asarray(amount).astype(int),
            "Created Date": created,
            "Close Date": closed,
            "Loss Reason": reason,
        }
    )


def _deals(acc: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Won new-business deals of recent customers, earlier lost attempts, open expansions."""
    recent = acc[acc["Customer Since"] >= pd.Timestamp("2025-04-01")]
    created = recent["Customer Since"] - pd.to_timedelta(recent["Days to Close"], unit="D")
    amount = recent["ARR"] - recent["Expansion ARR"]
    won = _deal_rows(
        recent, "New Business", "Closed Won", amount, created, recent["Customer Since"], ""
    )
    # Planted: FinTech and the sweet spot rarely lost a first attempt, Bootstrapped often did.
    best, bad = _is(recent, "best_segment"), _is(recent, "bad_trait")
    logit = -1.3 - 1.0 * best + 1.4 * bad - 0.5 * _sweet(recent["Number of Employees"])
    lost_rows = recent[rng.random(len(recent)) < _sigmoid(logit)]
    k = len(lost_rows)
    start = created[lost_rows.index] - pd.to_timedelta(rng.integers(120, 300, k), unit="D")
    end = start + pd.to_timedelta(rng.integers(20, 90, k), unit="D")
    amount = np.round(lost_rows["ARR"] * rng.uniform(0.7, 1.1, k), -2)
    reasons = _reasons(rng, _is(lost_rows, "bad_trait"), LOSS_REASONS)
    lost = _deal_rows(lost_rows, "New Business", "Closed Lost", amount, start, end, reasons)
    active = acc[(acc["Churned"] == "No") & (acc["Customer Since"] < pd.Timestamp("2026-01-01"))]
    pick = active.iloc[np.sort(rng.choice(len(active), size=24, replace=False))]
    stages = rng.choice(["Discovery", "Demo", "Proposal", "Negotiation"], size=24)
    amount = np.round(pick["ARR"] * rng.uniform(0.15, 0.5, 24), -2)
    start = pd.Timestamp("2026-03-02") + pd.to_timedelta(rng.integers(0, 110, 24), unit="D")
    open_ = _deal_rows(pick, "Expansion", stages, amount, start, pd.NaT, "")
    deals = pd.concat([won, lost, open_], ignore_index=True)
    deals = deals.sort_values(["Created Date", "Company ID"], kind="stable", ignore_index=True)
    deals.insert(0, "Deal ID", [f"D-{5001 + i}" for i in range(len(deals))])
    for col in ["Created Date", "Close Date"]:
        deals[col] = deals[col].dt.strftime("%Y-%m-%d").fillna("")
    return deals


def _interview_accounts(acc: pd.DataFrame, items: list[dict]) -> list[tuple[str, str]]:
    """Link each interview to a real account of the pool its story belongs to."""
    emp, active = acc["Number of Employees"], acc["Churned"] == "No"
    fintech = acc["Industry"] == "FinTech"
    pools = {
        "fintech": acc[active & fintech & emp.between(50, 200)],
        "other": acc[active & ~fintech & emp.between(50, 200)],
        "large": acc[active & ~fintech & (emp >= 500)],
        "churned": acc[~active & (acc["Funding Stage"] == "Bootstrapped")],
    }
    used = dict.fromkeys(pools, 0)
    links = []
    for item in items:
        pool = pools[item["pool"]]
        row = pool.iloc[used[item["pool"]] * 3 % len(pool)]
        links.append((row["Company ID"], row["Company name"]))
        used[item["pool"]] += 1
    return links


def _write_interviews(folder: Path, items: list[dict], links, texts) -> list[dict]:
    """Write each note plus the sidecar `interviews.csv`; return rows with the true role."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for item, (account_id, company) in zip(items, links, strict=True):
        fields = {**item, "company": company, "account_id": account_id}
        body = texts.render(item, fields)
        (folder / item["file"]).write_text(body, encoding="utf-8", newline="\n")
        rows.append(
            {k: fields[k] for k in ["file", "account_id", "name", "title", "company", "role"]}
        )
    sidecar = pd.DataFrame(rows).drop(columns="role")
    sidecar.to_csv(folder / "interviews.csv", index=False, lineterminator="\n")
    return rows


def _roles(rows: list[dict]) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {}
    for row in rows:
        roles.setdefault(row["role"], []).append(row["file"])
    return {k: sorted(v) for k, v in sorted(roles.items())}


def _health_summary(acc: pd.DataFrame) -> dict[str, float]:
    active = acc["Churned"] == "No"
    return {
        "n_accounts": len(acc),
        "active_accounts": int(active.sum()),
        "total_arr_active": int(acc.loc[active, "ARR"].sum()),
        "total_arr_all": int(acc["ARR"].sum()),
        "churn_rate": round(float((~active).mean()), 3),
    }


def _meta(company: str) -> dict:
    return {
        "company": company, "synthetic": True, "generator": "examples/generate.py",
        "seed": SEED, "as_of": AS_OF.strftime("%Y-%m-%d"),
    }  # fmt: skip


def _ground_truth(acc: pd.DataFrame, deals: pd.DataFrame, interviews: list[dict]) -> dict:
    stages = deals["Stage"].value_counts()
    won, lost = int(stages.get("Closed Won", 0)), int(stages.get("Closed Lost", 0))
    counts = {"deals_won": won, "deals_lost": lost, "deals_open": len(deals) - won - lost}
    return {
        **_meta("Acme Analytics"),
        **PLANTED,
        "summary": {**_health_summary(acc), **counts},
        "interviews": interviews,
        "interview_roles": _roles(interviews),
    }


def _second(out: Path, texts) -> None:
    """Brightdesk: ~120 accounts, one semicolon CSV, MRR/CSAT/Status, headcount bands."""
    rng = np.random.default_rng([SEED, 2])
    n = 120
    verticals = ["Healthcare", "Retail", "Hospitality", "Education", "Construction", "Nonprofit"]
    vertical = rng.choice(verticals, size=n, p=[0.25, 0.2, 0.18, 0.14, 0.13, 0.10])
    region = rng.choice(["EMEA", "North America", "APAC"], size=n, p=[0.5, 0.35, 0.15])
    z = 1.6 * (vertical == "Healthcare") + rng.normal(0, 1, n)
    heads = np.clip(np.round(np.exp(rng.normal(np.log(25), 0.9, n))), 2, 400)
    bands = pd.cut(heads, [0, 10, 50, 200, 500], labels=["1-10", "11-50", "51-200", "201-500"])
    signup = pd.Timestamp("2022-01-10") + pd.to_timedelta(rng.integers(0, 1550, n), unit="D")
    cancelled = rng.random(n) < _sigmoid(-0.9 - 1.2 * z)
    lived = np.maximum(45, rng.uniform(0.2, 1.0, n) * (AS_OF - signup).days.to_numpy())
    cancel_on = pd.Series(signup + pd.to_timedelta(np.round(lived), unit="D")).where(cancelled)
    mrr = np.clip(np.round(np.exp(np.log(420) + 0.4 * z + rng.normal(0, 0.5, n)), -1), 49, 4000)
    df = pd.DataFrame(
        {
            "Org": [f"ORG-{i:03d}" for i in range(1, n + 1)],
            "Organisation": _clinic_names(_names(rng, n)[0], vertical == "Healthcare"),
            "Vertical": vertical,
            "Headcount": bands.astype(str),
            "Region": region,
            "Plan": rng.choice(["Starter", "Team", "Business"], size=n, p=[0.4, 0.4, 0.2]),
            "MRR": mrr.astype(int),
            "Signup": signup.strftime("%d/%m/%Y"),
            "Status": np.where(cancelled, "Cancelled", "Active"),
            "Cancelled On": cancel_on.dt.strftime("%d/%m/%Y").fillna(""),
            "CSAT": np.clip(np.round(3.6 + 0.5 * z + rng.normal(0, 0.5, n), 1), 1, 5),
            "Tickets": rng.poisson(np.exp(1.2 - 0.4 * z)),
        }
    )
    out.mkdir(parents=True, exist_ok=True)
    df.to_csv(out / "accounts.csv", sep=";", index=False, lineterminator="\n")
    healthy = df[(df["Status"] == "Active") & (df["Vertical"] == "Healthcare")]
    links = list(zip(healthy["Org"], healthy["Organisation"], strict=True))[::2]
    items = texts.SECOND_INTERVIEWS
    rows = _write_interviews(out / "interviews", items, links[: len(items)], texts)
    truth = {
        **_meta("Brightdesk"),
        "best_segment": {"column": "Vertical", "attribute": "industry", "value": "Healthcare"},
        "noise_attributes": [{"column": "Region", "attribute": "region"}],
        "summary": {
            "n_accounts": n,
            "active_accounts": int((~cancelled).sum()),
            "total_mrr_active": int(mrr[~cancelled].sum()),
        },
        "interviews": rows,
        "interview_roles": _roles(rows),
    }
    _write_json(out / "ground_truth.json", truth)


def _clinic_names(names: np.ndarray, clinic: np.ndarray) -> np.ndarray:
    """Healthcare customers are clinics, so they get a clinic-like name."""
    kinds = np.array([" Clinic", " Physio", " Dental", " Health", " Medical", " Family Practice"])
    first = pd.Series(names).str.split(" ").str[0]
    return np.where(clinic, first + kinds[np.cumsum(clinic) % len(kinds)], names)


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def generate(out_dir: Path) -> None:
    """Write `acme/` and `second/` under `out_dir` (same bytes on every run)."""
    texts = _load_texts()
    rng = np.random.default_rng([SEED, 1])
    traits = _accounts_traits(rng, 400)
    z = _fit(traits, rng)
    acc = pd.concat([traits, _outcomes(traits, z, rng)], axis=1)
    deals = _deals(acc, rng)
    acme = out_dir / "acme"
    acme.mkdir(parents=True, exist_ok=True)
    _messy(acc, rng).to_csv(acme / "accounts.csv", index=False, lineterminator="\n")
    deals.to_csv(acme / "deals.csv", index=False, lineterminator="\n")
    links = _interview_accounts(acc, texts.INTERVIEWS)
    interviews = _write_interviews(acme / "interviews", texts.INTERVIEWS, links, texts)
    truth = _ground_truth(acc, deals, interviews)
    _write_json(acme / "ground_truth.json", truth)
    (acme / "README.md").write_text(texts.readme(truth), encoding="utf-8", newline="\n")
    _second(out_dir / "second", texts)


if __name__ == "__main__":
    generate(HERE)
    print(f"wrote {HERE / 'acme'} and {HERE / 'second'}")
