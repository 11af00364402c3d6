"""Exports of scored accounts: HubSpot and Salesforce import CSVs, and `fit_score.sql`.

The CRM files carry name/domain + tier + fit score + signals under the column names those tools'
import wizards map without manual work. Records are matched on the company domain (and name):
our account id goes into a custom "ICP Source ID" column, never into the CRM's own record-id
column, which holds the CRM's internal ids. The ICP columns are custom properties the user
creates once (`CRM_NOTE`). Files are UTF-8 with a BOM so Excel shows "–" and accents correctly.
Rows keep the order of the scored file. `to_sql` renders the rules as one standard-SQL query (CASE expressions, `||`, POSITION,
SUBSTRING) that runs unchanged in DuckDB and PostgreSQL and returns exactly what
`tools.fitrules.score_frame` returns for the same rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tools.fitrules import (
    DISQUALIFIED,
    INSUFFICIENT,
    NOT_ICP,
    SIGNALS_MAX,
    TIER_NAMES,
    FitRules,
    RuleCriterion,
)

HUBSPOT_COLUMNS = {
    "name": "Name",
    "domain": "Company Domain Name",
    "account_id": "ICP Source ID",
    "tier": "ICP Tier",
    "fit_score": "ICP Fit Score",
    "signals": "ICP Signals",
}
SALESFORCE_COLUMNS = {
    "name": "Account Name",
    "domain": "Website",
    "account_id": "ICP_Source_ID__c",
    "tier": "ICP_Tier__c",
    "fit_score": "ICP_Fit_Score__c",
    "signals": "ICP_Signals__c",
}


CRM_NOTE = {
    "HubSpot": "create the company properties ICP Source ID, ICP Tier, ICP Fit Score and "
    "ICP Signals in HubSpot before importing; records match on Company Domain Name",
    "Salesforce": "create the account fields ICP_Source_ID__c, ICP_Tier__c, ICP_Fit_Score__c "
    "and ICP_Signals__c in Salesforce before importing; match records on Account Name",
}


def _crm_frame(scored: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    keep = [c for c in columns if c in scored.columns]
    return scored[keep].rename(columns=columns).reset_index(drop=True)


def to_hubspot_csv(scored: pd.DataFrame, path: str | Path) -> Path:
    """Write a HubSpot company import file (UTF-8 CSV with BOM) from `score_frame` output."""
    out = Path(path)
    _crm_frame(scored, HUBSPOT_COLUMNS).to_csv(out, index=False, encoding="utf-8-sig")
    return out


def to_salesforce_csv(scored: pd.DataFrame, path: str | Path) -> Path:
    """Write a Salesforce account import file (Data Import Wizard / Data Loader CSV)."""
    out = Path(path)
    _crm_frame(scored, SALESFORCE_COLUMNS).to_csv(out, index=False, encoding="utf-8-sig")
    return out


# ---------------------------------------------------------------- SQL


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _num(x: float) -> str:
    return repr(float(x))


def _col(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(name: str) -> str:
    return f"LOWER(TRIM(CAST({_col(name)} AS VARCHAR)))"


def _multi(name: str) -> str:
    return f"(';' || REPLACE(REPLACE({_text(name)}, '; ', ';'), ' ;', ';') || ';')"


def _match_sql(c: RuleCriterion) -> str:
    if c.kind == "range":
        parts = [f"{_col(c.attribute)} IS NOT NULL"]
        if c.low is not None:
            parts.append(f"{_col(c.attribute)} >= {_num(c.low)}")
        if c.high is not None:
            parts.append(f"{_col(c.attribute)} <= {_num(c.high)}")
        return "(" + " AND ".join(parts) + ")"
    values = [v.strip(" ").lower() for v in c.values]
    if c.kind == "multi":
        hay = _multi(c.attribute)
        return "(" + " OR ".join(f"POSITION({_lit(f';{v};')} IN {hay}) > 0" for v in values) + ")"
    return f"({_text(c.attribute)} IN ({', '.join(_lit(v) for v in values)}))"


def _missing_sql(field: str, kind: str) -> str:
    if kind == "range":
        return f"{_col(field)} IS NULL"
    return f"({_col(field)} IS NULL OR TRIM(CAST({_col(field)} AS VARCHAR)) = '')"


def _header(rules: FitRules, table: str) -> str:
    kinds = {c.attribute: c.kind for c in rules.criteria + rules.disqualifiers}
    shape = {"range": "DOUBLE PRECISION (NULL = unknown)", "category": "TEXT (NULL = unknown)"}
    shape["multi"] = "TEXT, values joined with ';' e.g. 'Salesforce;Slack' (NULL/'' = unknown)"
    lines = [
        f"-- fit_score.sql: ICP fit scoring generated from icp.yaml (rules version {rules.version}).",
        f"-- Data: sha256 {rules.provenance.data_sha256 or 'n/a'}, as of "
        f"{rules.provenance.as_of or 'n/a'}. Standard SQL: runs in PostgreSQL and DuckDB.",
        f"-- Expected table {table}, one row per account, with columns:",
        f"--   {rules.id_column} TEXT, {rules.domain_column} TEXT",
    ]
    lines += [f"--   {f} {shape[kinds.get(f, 'category')]}" for f in rules.fields()]
    lines += [
        "-- Categories match case-insensitively after trimming spaces; ranges are inclusive.",
        "-- Returns: id, domain, tier, fit_score (0-100, NULL when data is insufficient),",
        "-- points and signals (< 1,024 characters) - the same values `icp score` writes.",
    ]
    return "\n".join(lines)


def to_sql(rules: FitRules, table: str = "accounts") -> str:
    """Render the rules as one SELECT over `table` computing tier, fit_score and signals."""
    terms = [f"CASE WHEN {_match_sql(c)} THEN {c.points} ELSE 0 END" for c in rules.criteria]
    sig = [
        f"CASE WHEN {_match_sql(c)} THEN {_lit(', + ' + c.signal)} ELSE '' END"
        for c in rules.criteria
    ] + [
        f"CASE WHEN {_match_sql(c)} THEN {_lit(', − ' + c.signal)} ELSE '' END"
        for c in rules.disqualifiers
    ]
    disq = " OR ".join(_match_sql(c) for c in rules.disqualifiers) or "1 = 0"
    kinds = {c.attribute: c.kind for c in rules.criteria + rules.disqualifiers}
    miss = [_missing_sql(f, kinds.get(f, "category")) for f in rules.required_fields]
    m, cut = rules.max_points, rules.cutoffs
    sep = "\n      + "
    return f"""{_header(rules, table)}
WITH scored AS (
  SELECT
    CAST({_col(rules.id_column)} AS VARCHAR) AS {_col(rules.id_column)},
    CAST({_col(rules.domain_column)} AS VARCHAR) AS {_col(rules.domain_column)},
    (0{sep if terms else ""}{sep.join(terms)}) AS points,
    CASE WHEN {disq} THEN 1 ELSE 0 END AS disqualified,
    CASE WHEN {" OR ".join(miss) or "1 = 0"} THEN 1 ELSE 0 END AS missing_data,
    (''{sep.replace("+", "||") if sig else ""}{sep.replace("+", "||").join(sig)}) AS signals_raw
  FROM {table}
)
SELECT
  {_col(rules.id_column)},
  {_col(rules.domain_column)},
  CASE
    WHEN disqualified = 1 THEN {_lit(DISQUALIFIED)}
    WHEN missing_data = 1 THEN {_lit(INSUFFICIENT)}
    WHEN points >= {cut.tier_1} THEN {_lit(TIER_NAMES[0])}
    WHEN points >= {cut.tier_2} THEN {_lit(TIER_NAMES[1])}
    WHEN points >= {cut.tier_3} THEN {_lit(TIER_NAMES[2])}
    ELSE {_lit(NOT_ICP)}
  END AS tier,
  CASE
    WHEN disqualified = 1 THEN 0
    WHEN missing_data = 1 THEN NULL
    WHEN points <= 0 THEN 0
    WHEN points >= {m} THEN 100
    ELSE CAST(FLOOR((200 * points + {m}) / {2 * m}.0) AS INTEGER)
  END AS fit_score,
  points,
  SUBSTRING(signals_raw FROM 3 FOR {SIGNALS_MAX}) AS signals
FROM scored
ORDER BY {_col(rules.id_column)};
"""
