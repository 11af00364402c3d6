"""Churn definitions: which accounts count as churned when the tables disagree.

Definitions: `accounts_flag` (the churn column of the accounts table), `churn_events` (the
account has at least one churn event), `subscriptions` (at least one subscription flagged as
churned) and `any` (union of the available ones). The default is the accounts flag when it
exists, because it is the CRM's current status of the customer, whereas churn events include
later reactivations and a churned subscription can be a plan change. The report states the
definition used and how many accounts each definition would mark as churned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from tools.errors import InputError
from tools.ingest.join import Aggregates

if TYPE_CHECKING:
    from tools.ingest.load import Session

DEFAULT_ORDER = ["accounts_flag", "churn_events", "subscriptions"]
WHY = {
    "accounts_flag": "it is the CRM's current status of each customer (churn events include "
    "accounts that later reactivated, and a churned subscription can be a plan change)",
    "churn_events": "there is no churn flag on the accounts table and churn events record "
    "actual cancellations",
    "subscriptions": "it is the only churn signal in the data",
}


def churn_definitions(accounts: pd.DataFrame, agg: Aggregates) -> dict[str, pd.Series]:
    """Definition name -> boolean Series aligned with `accounts` (NA = unknown)."""
    ids = accounts["account_id"]
    defs: dict[str, pd.Series] = {}
    if "churned" in accounts and accounts["churned"].notna().any():
        defs["accounts_flag"] = accounts["churned"].astype("boolean")
    for name in ("churn_events", "subscriptions"):
        if name in agg.churn_sets:
            hit = ids.map(agg.churn_sets[name]).fillna(False).astype("boolean")
            defs[name] = pd.Series(hit.to_numpy(), index=accounts.index, dtype="boolean")
    if len(defs) > 1:
        stacked = pd.concat(list(defs.values()), axis=1).fillna(False).astype(bool)
        defs["any"] = stacked.any(axis=1).astype("boolean")
    return defs


def apply_churn(
    accounts: pd.DataFrame, agg: Aggregates, choice: str | None, session: Session
) -> pd.DataFrame:
    """Set `churned` from the chosen (or default) definition and record the decision."""
    defs = churn_definitions(accounts, agg)
    if not defs:
        return accounts
    if choice is not None and choice not in defs:
        raise InputError(
            f"churn definition '{choice}' is not available in this data",
            hint=f"choose one of: {', '.join(defs)}",
        )
    counts = ", ".join(f"{k} = {int(v.fillna(False).sum())}" for k, v in defs.items())
    if choice is None:
        choice = next(d for d in DEFAULT_ORDER if d in defs)
        why = f"default, because {WHY[choice]}"
    else:
        why = "chosen by the user"
    if len(defs) > 1:
        session.decisions.append(
            f"Churn definition used: {choice} ({why}). Churned accounts under each definition: "
            f"{counts}. Choose another with churn_definition / --churn-definition."
        )
    else:
        session.decisions.append(f"Churn definition used: {choice} ({counts}).")
    return accounts.assign(churned=defs[choice].astype("boolean"))
