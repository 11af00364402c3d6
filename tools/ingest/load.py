"""`load_customer_data`: files -> one typed row per account, deals, attributes and a full report.

Reads every file, decides each table's role, maps and cleans the accounts and deals tables,
aggregates the related tables with the rules in `tools.ingest.join`, applies the chosen churn
definition, and returns a frozen `CustomerData`. Only when nothing usable remains does it raise
`InputError`; every other problem is an `IngestIssue` in the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pandas as pd

from tools.errors import InputError
from tools.ingest import join
from tools.ingest.accounts import build_accounts, build_deals, finalise_accounts
from tools.ingest.churn import apply_churn
from tools.ingest.cleaning import row_ranges
from tools.ingest.mapfile import read_mapping
from tools.ingest.mapping import account_key, detect_role
from tools.ingest.readers import RawTable, read_table
from tools.models import AttributeKind, AttributeSpec, IngestIssue, IngestReport

AGGREGATORS = {
    "subscriptions": join.aggregate_subscriptions,
    "tickets": join.aggregate_tickets,
    "usage": join.aggregate_usage,
    "churn_events": join.aggregate_churn_events,
}
EVENT_ORDER = ["subscriptions", "tickets", "usage", "churn_events"]


@dataclass(frozen=True)
class CustomerData:
    """Everything downstream stages need from the customer data."""

    accounts: pd.DataFrame
    deals: pd.DataFrame
    attributes: list[AttributeSpec]
    report: IngestReport
    input_order: tuple[str, ...] = ()  # account ids in the order the accounts files list them


@dataclass
class Session:
    """Mutable working state of one load (the result is frozen)."""

    issues: list[IngestIssue]
    decisions: list[str]
    files: list[dict]
    mappings: list
    cleaning: list


def read_all(paths: list[Path], sheet: str | None, session: Session) -> list[RawTable]:
    """Read every file; unreadable ones are recorded, and fatal only if none can be read."""
    tables: list[RawTable] = []
    errors: list[InputError] = []
    for p in paths:
        try:
            tables.append(read_table(Path(p), sheet))
        except InputError as exc:
            if len(paths) == 1:
                raise
            errors.append(exc)
            session.issues.append(
                IngestIssue(
                    severity="error",
                    file=Path(p).name,
                    message=exc.message,
                    hint=exc.hint or "fix or remove this file",
                )  # fmt: skip
            )
    if not tables:
        raise errors[0] if errors else InputError("no input files were given", hint="pass files")
    return tables


def load_customer_data(
    paths: list[Path],
    mapping_file: Path | None = None,
    sheet: str | None = None,
    churn_definition: str | None = None,
) -> CustomerData:
    """Read, map, clean, join and aggregate customer data files into one row per account."""
    session = Session([], [], [], [], [])
    overrides = read_mapping(mapping_file) if mapping_file else {}
    tables = read_all(list(paths), sheet, session)
    by_role: dict[str, list[RawTable]] = {}
    for t in tables:
        role, reason = detect_role(list(t.frame.columns), len(tables) > 1)
        role = overrides.get(t.name, {}).get("_role") or role
        by_role.setdefault(role, []).append(t)
        session.files.append({"path": str(t.path), "sha256": t.sha256, "rows": len(t.frame),
                              "role": role, "format": t.fmt, "reason": reason, "notes": t.notes})  # fmt: skip
        session.issues.extend(t.issues)
        if role == "lookup":
            session.decisions.append(f"{t.name}: lookup table ({reason}); not used.")
    accounts, kinds = build_accounts(by_role.get("accounts", []), overrides, session)
    deals = build_deals(by_role.get("deals", []), accounts, overrides, session)
    if accounts is None:
        accounts = _derive_accounts(deals, by_role, session)
    order = tuple(accounts["account_id"].astype(str))
    agg = join.Aggregates()
    _aggregate_events(by_role, accounts, agg, session)
    if not deals.empty:
        join.aggregate_deals(deals, agg)
    accounts = finalise_accounts(accounts, agg, session)
    accounts = apply_churn(accounts, agg, churn_definition, session)
    attributes = attribute_specs(accounts, kinds)
    if len(accounts) < 30:
        session.issues.append(
            IngestIssue(
                severity="warning",
                file="(all)",
                message=f"only {len(accounts)} accounts: too small for findings; "
                "patterns will be shown as insufficient evidence",
                hint="export all customers (at least ~50 won deals for a firm ICP)",
            )  # fmt: skip
        )
    report = IngestReport(
        files=session.files, mappings=session.mappings, issues=session.issues,
        cleaning=session.cleaning, decisions=session.decisions + agg.decisions,
        n_accounts=len(accounts), n_deals=len(deals),
    )  # fmt: skip
    return CustomerData(accounts=accounts, deals=deals, attributes=attributes, report=report,
                        input_order=order)  # fmt: skip


def _derive_accounts(deals: pd.DataFrame, by_role: dict, session: Session) -> pd.DataFrame:
    ids: list[pd.Series] = [deals["account_id"].dropna()] if not deals.empty else []
    for role in EVENT_ORDER:
        for t in by_role.get(role, []):
            key = account_key(list(t.frame.columns))
            if key is not None:
                ids.append(t.frame[key].dropna().astype(str).str.strip())
    pooled = pd.concat(ids) if ids else pd.Series(dtype=object)
    pooled = pooled[pooled != ""]
    if pooled.empty:
        raise InputError(
            "no table has an account id or account name column, so no accounts can be built",
            hint="include an accounts export, or map an id column in the mapping file",
        )
    uniq = sorted(pooled.unique().tolist())
    session.decisions.append(
        f"No accounts table: {len(uniq)} accounts derived from the distinct account keys "
        "found in the other tables."
    )
    return pd.DataFrame({"account_id": uniq, "name": uniq})


def _aggregate_events(
    by_role: dict, accounts: pd.DataFrame, agg: join.Aggregates, session: Session
) -> None:
    names = accounts.get("name", None)
    for role in EVENT_ORDER:
        for t in by_role.get(role, []):
            key = account_key(list(t.frame.columns))
            if key is not None:
                acc, how = join.link_keys(t.frame[key], accounts["account_id"], names)
            elif role == "usage" and agg.sub_to_account is not None:
                sub = join.pick(t.frame, "subscription_id", "sub_id", "subscriptionid")
                key = "subscription_id"
                acc = (
                    sub.astype(str).str.strip().map(agg.sub_to_account) if sub is not None else None
                )
                how = "subscription -> account"
            else:
                acc = None
            if acc is None:
                session.issues.append(IngestIssue(severity="warning", file=t.name,
                                                  message=f"{role} table has no account key; not used",
                                                  hint="add an account_id column"))  # fmt: skip
                continue
            _report_unjoined(t, acc, key, how, session)  # type: ignore[arg-type]  # key is set whenever acc is
            AGGREGATORS[role](t.frame, acc, agg)


def _report_unjoined(t: RawTable, acc: pd.Series, key: str, how: str, session: Session) -> None:
    miss = acc.isna()
    session.decisions.append(f"{t.name}: joined to accounts by {how} ('{key}'); "
                             f"{int((~miss).sum())} of {len(acc)} rows matched.")  # fmt: skip
    if miss.any():
        rows = [int(i) + 1 for i in miss[miss].index]
        session.issues.append(IngestIssue(
            severity="warning", file=t.name, row=rows[0], column=key,
            message=f"{len(rows)} row(s) match no account and are not counted (rows {row_ranges(rows)})",
            hint="check the key values, or add the missing accounts"))  # fmt: skip


def attribute_specs(accounts: pd.DataFrame, kinds: dict[str, str]) -> list[AttributeSpec]:
    """Every column usable as an ICP trait: canonical attribute fields and custom columns."""
    from tools.schema import ACCOUNT_FIELDS, attribute_fields

    kind_of: dict[str, AttributeKind] = {"category": "categorical", "multi": "multi", "number": "numeric",
               "money": "numeric", "bool": "boolean"}  # fmt: skip
    specs: list[AttributeSpec] = []
    for name, group in attribute_fields().items():
        if name in accounts and accounts[name].notna().any():
            kind = kind_of[ACCOUNT_FIELDS[name][0]]
            specs.append(
                AttributeSpec(name=name, kind=kind, group=cast(Any, group), label=_label(name))
            )
    for name, ftype in kinds.items():
        if ftype in kind_of and name in accounts and accounts[name].notna().any():
            specs.append(AttributeSpec(name=name, kind=kind_of[ftype], group="custom",
                                       label=_label(name)))  # fmt: skip
    return specs


def _label(name: str) -> str:
    return name.replace("_", " ").strip().capitalize()
