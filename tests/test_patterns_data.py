"""Synthetic customer sets with planted signal, shared by the scoring and pattern tests.

Not a test module by content: it holds generators (pytest finds no tests here).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.models import AttributeSpec

INDUSTRIES = ["fintech", "healthcare", "retail", "logistics", "education"]
TOOLS = ["Salesforce", "HubSpot", "Slack", "Jira", "Zendesk"]
NOISE_CATS = {
    "noise_colour": ["red", "green", "blue", "amber"],
    "country": ["US", "UK", "DE", "FR"],
}


def attributes() -> list[AttributeSpec]:
    """About ten traits: planted (industry, employees) and noise."""
    return [
        AttributeSpec(name="industry", kind="categorical", group="firmographic", label="Industry"),
        AttributeSpec(name="employees", kind="numeric", group="firmographic", label="Employees"),
        AttributeSpec(name="country", kind="categorical", group="firmographic", label="Country"),
        AttributeSpec(name="founded_year", kind="numeric", group="firmographic", label="Founded"),
        AttributeSpec(name="tech_stack", kind="multi", group="technographic", label="Tech stack"),
        AttributeSpec(name="plan", kind="categorical", group="behavioural", label="Plan"),
        AttributeSpec(name="seats", kind="numeric", group="behavioural", label="Seats"),
        AttributeSpec(name="has_sso", kind="boolean", group="custom", label="Uses SSO"),
        AttributeSpec(name="noise_colour", kind="categorical", group="custom", label="Colour"),
        AttributeSpec(name="noise_score", kind="numeric", group="custom", label="Noise score"),
    ]


def make_accounts(n: int = 400, seed: int = 0, signal: float = 1.0) -> pd.DataFrame:
    """Accounts whose health rises with industry=fintech and 50–200 employees (if signal > 0)."""
    rng = np.random.default_rng(seed)
    industry = rng.choice(INDUSTRIES, n)
    employees = np.round(np.exp(rng.uniform(np.log(5), np.log(2000), n)))
    sweet = (employees >= 50) & (employees <= 200)
    quality = signal * (1.2 * (industry == "fintech") + 1.0 * sweet) + rng.normal(0, 1, n)
    start = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 1200, n), unit="D")
    churned = rng.random(n) < 1 / (1 + np.exp(1.5 + quality))
    stacks = [tuple(sorted(rng.choice(TOOLS, rng.integers(0, 4), replace=False))) for _ in range(n)]
    return pd.DataFrame(
        {
            "account_id": [f"acc-{i:05d}" for i in range(n)],
            "name": [f"Company {i}" for i in range(n)],
            "industry": industry,
            "employees": employees,
            "country": rng.choice(NOISE_CATS["country"], n),
            "founded_year": rng.integers(1990, 2022, n).astype(float),
            "tech_stack": stacks,
            "plan": rng.choice(["starter", "pro", "enterprise"], n),
            "seats": rng.integers(1, 300, n).astype(float),
            "has_sso": pd.array(rng.random(n) < 0.4, dtype="boolean"),
            "noise_colour": rng.choice(NOISE_CATS["noise_colour"], n),
            "noise_score": rng.normal(50, 10, n),
            "arr": np.round(np.exp(9.5 + 0.5 * quality + rng.normal(0, 0.5, n))),
            "start_date": start,
            "churned": pd.array(churned, dtype="boolean"),
            "churn_date": (start + pd.to_timedelta(rng.integers(60, 600, n), unit="D")).where(
                churned
            ),
            "expansion_arr": np.round(np.maximum(0, rng.normal(2000 * quality, 3000, n))),
            "nps": np.clip(np.round(20 + 25 * quality + rng.normal(0, 20, n)), -100, 100),
            "tickets": rng.poisson(np.exp(1.5 - 0.4 * quality)).astype(float),
            "referrals": rng.poisson(np.exp(-1 + 0.5 * quality)).astype(float),
        }
    )
