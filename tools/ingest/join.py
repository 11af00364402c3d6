"""Aggregate related tables (deals, subscriptions, tickets, usage, churn events) to one row per account.

Declared rules (each applied rule is written to `report.decisions`):
- ARR = sum of `arr` over active subscriptions (no end date, not churned), else the latest
  subscription's ARR; MRR x 12 when only MRR exists.
- expansion_arr = growth of ARR from the first to the last subscription (never below 0).
- start_date = earliest subscription start (only when the accounts table lacks it).
- tickets = number of tickets; csat = mean satisfaction score of rated tickets.
- usage = total usage_count, linked through subscription -> account.
- churn_date = last churn event; churn_reason = reason of the most recent event (feedback kept).
- time_to_close_days = median days from created to closed over won deals.
Rows whose key matches no account are reported, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from tools.ingest.dates import parse_date
from tools.ingest.values import as_text, missing_mask, parse_bool, parse_number, slug


@dataclass
class Aggregates:
    """Per-account columns derived from related tables, plus what was done."""

    columns: dict[str, pd.Series] = field(default_factory=dict)  # indexed by account_id
    churn_sets: dict[str, pd.Series] = field(default_factory=dict)  # definition -> bool by id
    decisions: list[str] = field(default_factory=list)
    sub_to_account: pd.Series | None = None


def pick(frame: pd.DataFrame, *names: str) -> pd.Series | None:
    """The first column whose slugged header is one of `names`."""
    by_slug = {slug(c): c for c in frame.columns}
    for n in names:
        if n in by_slug:
            return frame[by_slug[n]]
    return None


def link_keys(keys: pd.Series, ids: pd.Series, names: pd.Series | None) -> tuple[pd.Series, str]:
    """Map a foreign key column onto account ids, by id or (case-insensitive) by name."""
    text = as_text(keys).where(~missing_mask(as_text(keys)))
    by_id = text.where(text.isin(set(ids)))
    if names is None:
        return by_id, "account id"
    lookup = pd.Series(ids.to_numpy(), index=as_text(names).str.lower().to_numpy())
    lookup = lookup[~lookup.index.duplicated()]
    by_name = text.str.lower().map(lookup)
    if by_name.notna().sum() > by_id.notna().sum():
        return by_name, "account name"
    return by_id, "account id"


def _num(frame: pd.DataFrame, *names: str) -> pd.Series | None:
    col = pick(frame, *names)
    return None if col is None else parse_number(col).values


def _bool(frame: pd.DataFrame, *names: str) -> pd.Series | None:
    col = pick(frame, *names)
    return None if col is None else parse_bool(col).values.fillna(False).astype(bool)


def _date(frame: pd.DataFrame, *names: str) -> pd.Series | None:
    col = pick(frame, *names)
    return None if col is None else parse_date(col).values


def aggregate_subscriptions(frame: pd.DataFrame, acc: pd.Series, agg: Aggregates) -> None:
    """ARR, expansion, start date, subscription churn; remembers subscription -> account."""
    arr = _num(frame, "arr_amount", "arr", "annual_recurring_revenue")
    if arr is None:
        mrr = _num(frame, "mrr_amount", "mrr", "monthly_recurring_revenue")
        arr = None if mrr is None else mrr * 12
    start = _date(frame, "start_date", "started_at", "subscription_start", "created_at")
    end = _date(frame, "end_date", "ended_at", "cancel_date")
    churn = _bool(frame, "churn_flag", "churned", "is_churned")
    d = pd.DataFrame({"acc": acc})
    d["arr"] = arr if arr is not None else float("nan")
    d["start"] = start if start is not None else pd.NaT
    d["ended"] = (end.notna() if end is not None else False) | (
        churn if churn is not None else False
    )
    d = d[d["acc"].notna()].sort_values(["acc", "start"], kind="stable")
    g = d.groupby("acc", sort=True)
    if arr is not None:
        active = d[~d["ended"]].groupby("acc")["arr"].sum(min_count=1)
        latest = g["arr"].last()
        agg.columns["arr"] = active.reindex(latest.index).fillna(latest)
        growth = (g["arr"].last() - g["arr"].first()).clip(lower=0)
        agg.columns["expansion_arr"] = growth
        agg.decisions.append(
            "ARR = sum of ARR over active subscriptions (no end date, not churned), else the "
            "latest subscription's ARR; expansion ARR = growth from first to last subscription "
            "(not below 0)."
        )
    if start is not None:
        agg.columns["start_date"] = g["start"].min()
    if churn is not None:
        agg.churn_sets["subscriptions"] = (
            d.assign(c=churn.reindex(d.index)).groupby("acc")["c"].any()
        )
    sub_id = pick(frame, "subscription_id", "sub_id", "subscriptionid")
    if sub_id is not None:
        agg.sub_to_account = pd.Series(acc.to_numpy(), index=as_text(sub_id).to_numpy())


def aggregate_tickets(frame: pd.DataFrame, acc: pd.Series, agg: Aggregates) -> None:
    sat = _num(frame, "satisfaction_score", "satisfaction", "csat", "csat_score", "rating")
    d = pd.DataFrame({"acc": acc, "sat": sat if sat is not None else float("nan")})
    d = d[d["acc"].notna()]
    agg.columns["tickets"] = d.groupby("acc").size().astype("float64")
    rule = "tickets = number of support tickets per account"
    if sat is not None:
        agg.columns["csat"] = d.groupby("acc")["sat"].mean()
        rule += "; csat = mean satisfaction score of rated tickets"
    agg.decisions.append(rule + ".")


def aggregate_usage(frame: pd.DataFrame, acc: pd.Series, agg: Aggregates) -> None:
    count = _num(frame, "usage_count", "count", "events", "usage")
    d = pd.DataFrame({"acc": acc, "n": count if count is not None else 1.0})
    d = d[d["acc"].notna()]
    agg.columns["usage"] = d.groupby("acc")["n"].sum()
    agg.decisions.append("usage = total usage_count per account (via subscription -> account).")


def aggregate_churn_events(frame: pd.DataFrame, acc: pd.Series, agg: Aggregates) -> None:
    date = _date(frame, "churn_date", "date", "churned_at", "event_date")
    reason = pick(frame, "reason_code", "churn_reason", "reason", "cancellation_reason")
    feedback = pick(frame, "feedback_text", "feedback", "comment", "comments", "notes")
    d = pd.DataFrame({"acc": acc, "date": date if date is not None else pd.NaT})
    for name, col in (("reason", reason), ("feedback", feedback)):
        text = as_text(col) if col is not None else pd.Series(None, index=frame.index)
        d[name] = text.where(~missing_mask(text)) if col is not None else None
    d = d[d["acc"].notna()].sort_values(["acc", "date"], kind="stable")
    g = d.groupby("acc")
    agg.columns["churn_date"] = g["date"].max()
    agg.columns["churn_reason"] = g["reason"].last()
    agg.columns["churn_feedback"] = g["feedback"].last()
    agg.churn_sets["churn_events"] = g.size() > 0
    agg.decisions.append(
        "churn_date = date of the last churn event; churn_reason = reason code of the most "
        "recent event (its free-text feedback is kept in churn_feedback)."
    )


def aggregate_deals(deals: pd.DataFrame, agg: Aggregates) -> None:
    won = deals[(deals["deal_stage"] == "won") & deals["account_id"].notna()]
    if won.empty:
        return
    days = (won["deal_closed"] - won["deal_created"]).dt.days.astype("float64")
    d = pd.DataFrame({"acc": won["account_id"], "days": days, "amt": won["deal_amount"]})
    g = d.groupby("acc")
    if d["days"].notna().any():
        agg.columns["time_to_close_days"] = g["days"].median()
    agg.columns["won_deal_value"] = g["amt"].sum(min_count=1)
    agg.decisions.append(
        "time_to_close_days = median days from deal creation to close over each account's won "
        "deals; won_deal_value = sum of won deal amounts."
    )


def normalise_stage(stage: pd.Series) -> pd.Series:
    """Deal stages -> won / lost / open ('Closed Won', 'closedlost', 'Engaging', ...)."""
    low = as_text(stage).str.lower().str.replace(r"[^a-z]", "", regex=True)
    out = pd.Series("open", index=stage.index, dtype="object")
    out[low.str.contains("lost|disqualif", regex=True, na=False)] = "lost"
    out[low.str.contains("won", regex=False, na=False)] = "won"
    return out
