"""The canonical customer schema every input is mapped onto.

Ingest produces one row per account with these column names (plus custom attribute columns,
kept under their cleaned original names and listed as `AttributeSpec`s), and a deals table.
Scoring, patterns and tiers read only these names.
"""

from __future__ import annotations

from typing import Literal

FieldType = Literal["id", "text", "category", "multi", "number", "money", "date", "bool"]

# canonical account field -> (type, role). role: "key" | "attribute:<group>" | "outcome" | "meta"
ACCOUNT_FIELDS: dict[str, tuple[FieldType, str]] = {
    "account_id": ("id", "key"),
    "name": ("text", "meta"),
    "domain": ("text", "meta"),
    "industry": ("category", "attribute:firmographic"),
    "employees": ("number", "attribute:firmographic"),
    "revenue": ("money", "attribute:firmographic"),  # the customer company's annual revenue
    "country": ("category", "attribute:firmographic"),
    "region": ("category", "attribute:firmographic"),
    "funding_stage": ("category", "attribute:firmographic"),
    "founded_year": ("number", "attribute:firmographic"),
    "tech_stack": ("multi", "attribute:technographic"),
    "previous_solution": ("category", "attribute:technographic"),
    "acquisition_channel": ("category", "attribute:behavioural"),
    "plan": ("category", "attribute:behavioural"),
    "seats": ("number", "attribute:behavioural"),
    "usage": ("number", "attribute:behavioural"),
    "arr": ("money", "outcome"),
    "mrr": ("money", "outcome"),
    "contract_value": ("money", "outcome"),
    "start_date": ("date", "outcome"),
    "churned": ("bool", "outcome"),
    "churn_date": ("date", "outcome"),
    "churn_reason": ("text", "outcome"),
    "expansion_arr": ("money", "outcome"),
    "nps": ("number", "outcome"),
    "csat": ("number", "outcome"),
    "tickets": ("number", "outcome"),
    "time_to_close_days": ("number", "outcome"),
    "referrals": ("number", "outcome"),
    "cac": ("money", "outcome"),
}

# canonical deal fields (one row per opportunity)
DEAL_FIELDS: dict[str, FieldType] = {
    "deal_id": "id",
    "account_id": "id",
    "deal_stage": "category",  # normalised to won / lost / open
    "deal_amount": "money",
    "deal_created": "date",
    "deal_closed": "date",
    "loss_reason": "text",
}

# Health components of SPEC §2 with default weights (percent) and direction.
DEFAULT_WEIGHTS: dict[str, float] = {
    "revenue": 20,
    "retention": 20,
    "expansion": 15,
    "satisfaction": 15,
    "support_burden": 10,
    "time_to_close": 10,
    "referrals": 10,
}

COMPONENT_LABELS: dict[str, str] = {
    "revenue": "revenue contribution",
    "retention": "retention duration",
    "expansion": "expansion revenue",
    "satisfaction": "NPS/CSAT",
    "support_burden": "support burden",
    "time_to_close": "time to close",
    "referrals": "referral activity",
}


def attribute_fields() -> dict[str, str]:
    """Canonical fields usable as ICP traits -> their group."""
    return {
        name: role.split(":", 1)[1]
        for name, (_t, role) in ACCOUNT_FIELDS.items()
        if role.startswith("attribute:")
    }
