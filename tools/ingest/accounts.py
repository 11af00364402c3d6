"""Build the accounts and deals frames from mapped, cleaned tables, and merge aggregates in.

Accounts need an identity: an id column, or else a unique name column (the name then serves
as the id and the report says so). Rows without an id and duplicate ids are reported with
their row numbers; the first occurrence of a duplicate id is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from tools.errors import InputError
from tools.ingest.cleaning import clean_table, row_ranges
from tools.ingest.join import Aggregates, link_keys, normalise_stage
from tools.ingest.mapping import map_columns
from tools.ingest.readers import RawTable
from tools.models import IngestIssue
from tools.schema import ACCOUNT_FIELDS, DEAL_FIELDS

if TYPE_CHECKING:
    from tools.ingest.load import Session


def _issue(
    session: Session, file: str, rows: list[int], column: str, message: str, hint: str
) -> None:
    session.issues.append(IngestIssue(severity="warning", file=file, row=rows[0], column=column,
                                      message=f"{message} (rows {row_ranges(rows)})", hint=hint))  # fmt: skip


def _one_accounts_table(
    t: RawTable, overrides: dict, session: Session
) -> tuple[pd.DataFrame, dict]:
    maps = map_columns(t.frame, t.name, "accounts", overrides.get(t.name))
    session.mappings.extend(maps)
    for m in maps:
        if m.reason.startswith("header suggests"):
            session.issues.append(IngestIssue(
                severity="warning", file=t.name, column=m.column,
                message=f"mixed types: {m.reason}",
                hint=f"fix the non-matching values, or set '{m.column}' in the mapping file"))  # fmt: skip
    ct = clean_table(t.frame, maps, t.name, "accounts")
    session.cleaning.extend(ct.cleaning)
    session.issues.extend(ct.issues)
    frame = ct.frame
    if "account_id" not in frame:
        frame = _id_from(frame, t, session)
    missing = frame["account_id"].isna()
    if missing.all():
        raise InputError("every row has an empty account id", file=str(t.path),
                         column="account_id", hint="fill the id column")  # fmt: skip
    if missing.any():
        rows = [int(i) + 1 for i in missing[missing].index]
        _issue(
            session,
            t.name,
            rows,
            "account_id",
            f"{len(rows)} row(s) have no account id and are skipped",
            "fill in the id",
        )
        frame = frame[~missing]
    dup = frame["account_id"].duplicated(keep="first")
    if dup.any():
        rows = [int(i) + 1 for i in dup[dup].index]
        _issue(session, t.name, rows, "account_id", f"{len(rows)} row(s) repeat an earlier account id; the first occurrence is kept",
               "remove duplicate rows or give each account its own id")  # fmt: skip
        frame = frame[~dup]
    return frame, ct.custom_kinds


def _id_from(frame: pd.DataFrame, t: RawTable, session: Session) -> pd.DataFrame:
    """No id column: the company name identifies the account, else its domain / website."""
    for col, words in (("name", "account name"), ("domain", "domain (website)")):
        if col in frame and frame[col].notna().any():
            session.decisions.append(f"{t.name}: no id column; the {words} is used as the id.")
            return frame.assign(account_id=frame[col])
    raise InputError(
        "no column identifies the account (no id, company-name or domain column found)",
        file=str(t.path),
        hint="add an account id, company name or website column, or map one in the mapping "
        "file (run `icp inspect` to create it)",
    )


def build_accounts(
    tables: list[RawTable], overrides: dict, session: Session
) -> tuple[pd.DataFrame | None, dict]:
    if not tables:
        return None, {}
    frames, kinds = [], {}
    for t in tables:
        f, k = _one_accounts_table(t, overrides, session)
        frames.append(f.assign(_file=t.name))
        kinds.update(k)
    accounts = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    accounts = dedupe_across_files(accounts, "account_id", "accounts", session)
    accounts = accounts.drop(columns="_file", errors="ignore").reset_index(drop=True)
    accounts["account_id"] = accounts["account_id"].astype(str)
    return accounts, kinds


def dedupe_across_files(frame: pd.DataFrame, key: str, what: str, session: Session) -> pd.DataFrame:
    """Keep the first row per `key` when several files hold the same ids; report each file pair.

    `frame` carries a `_file` column (file order = order given); blank keys are never merged.
    """
    dup = frame[key].notna() & frame[key].duplicated(keep="first")
    if not dup.any():
        return frame
    first_file = frame[~dup & frame[key].notna()].set_index(key)["_file"]
    pairs = pd.DataFrame(
        {"first": frame.loc[dup, key].map(first_file), "again": frame.loc[dup, "_file"]}
    )
    counts = pairs.value_counts(sort=False).sort_index(kind="stable")
    for (first, again), n in counts.items():
        where = f"both {first} and {again}" if first != again else f"{first} more than once"
        message = (
            f"{n} {what} appear in {where} (same {key}); counted once, the row from {first} is kept"
        )
        session.decisions.append(message[0].upper() + message[1:] + ".")
        session.issues.append(IngestIssue(
            severity="warning", file=again, column=key, message=message,
            hint="pass each export once; if these are different records, give them distinct ids"))  # fmt: skip
    return frame[~dup]


def _empty_deals() -> pd.DataFrame:
    dtypes = {"id": "object", "category": "object", "text": "object", "money": "float64",
              "date": "datetime64[ns]"}  # fmt: skip
    return pd.DataFrame({c: pd.Series(dtype=dtypes[t]) for c, t in DEAL_FIELDS.items()})


def build_deals(
    tables: list[RawTable], accounts: pd.DataFrame | None, overrides: dict, session: Session
) -> pd.DataFrame:
    frames = [_empty_deals()]
    for t in tables:
        maps = map_columns(t.frame, t.name, "deals", overrides.get(t.name))
        session.mappings.extend(maps)
        ct = clean_table(t.frame, maps, t.name, "deals")
        session.cleaning.extend(ct.cleaning)
        session.issues.extend(ct.issues)
        d = ct.frame
        if "deal_id" not in d:
            d = d.assign(deal_id=[f"{t.name}:{i + 1}" for i in range(len(d))])
        d = d.assign(deal_stage=normalise_stage(d["deal_stage"]) if "deal_stage" in d else "open")
        if "account_id" in d:
            d = d.assign(account_id=_link_deals(d["account_id"], accounts, t.name, session))
        frames.append(d[[c for c in DEAL_FIELDS if c in d]].assign(_file=t.name))
    deals = pd.concat(frames, ignore_index=True)
    deals = dedupe_across_files(deals, "deal_id", "deals", session).drop(
        columns="_file", errors="ignore"
    )
    for c, ftype in DEAL_FIELDS.items():
        if ftype == "date":
            deals[c] = deals[c].astype("datetime64[ns]")
        elif ftype == "money":
            deals[c] = deals[c].astype("float64")
    return deals.sort_values("deal_id", kind="stable").reset_index(drop=True)


def _link_deals(
    keys: pd.Series, accounts: pd.DataFrame | None, file: str, session: Session
) -> pd.Series:
    blank = keys.isna()
    if blank.any():
        rows = [int(i) + 1 for i in blank[blank].index]
        _issue(session, file, rows, "account", f"{len(rows)} deal(s) have no account; kept as deals but not joined to any account",
               "fill in the account for these deals if they belong to a customer")  # fmt: skip
    if accounts is None:
        return keys
    names = accounts.get("name", None)
    linked, how = link_keys(keys, accounts["account_id"], names)
    session.decisions.append(
        f"{file}: deals joined to accounts by {how}; {int(linked.notna().sum())} of {len(keys)} matched."
    )
    unmatched = linked.isna() & ~blank
    if unmatched.any():
        rows = [int(i) + 1 for i in unmatched[unmatched].index]
        _issue(session, file, rows, "account", f"{len(rows)} deal(s) name an account that is not in the accounts table",
               "check the spelling of the account, or add it to the accounts export")  # fmt: skip
    return linked


def finalise_accounts(accounts: pd.DataFrame, agg: Aggregates, session: Session) -> pd.DataFrame:
    """Merge aggregates (only where the accounts table lacks the field) and fix dtypes."""
    out = accounts.set_index("account_id", drop=False)
    for col, values in agg.columns.items():
        if col == "won_deal_value":
            continue
        if col in out and out[col].notna().any() and col not in {"churn_feedback"}:
            session.decisions.append(
                f"{col}: kept from the accounts table (related tables not used for it)."
            )
            continue
        out[col] = values.reindex(out.index)
    if "won_deal_value" in agg.columns:
        won = agg.columns["won_deal_value"].reindex(out.index)
        if not any(c in out and out[c].notna().any() for c in ("arr", "mrr", "contract_value")):
            out["contract_value"] = won
            session.decisions.append(
                "contract_value = sum of won deal amounts (no ARR/MRR/contract value column)."
            )
        else:
            out["won_deal_value"] = won
    out = out.reset_index(drop=True)
    for col, (ftype, _role) in ACCOUNT_FIELDS.items():
        if col not in out:
            continue
        if ftype in {"number", "money"}:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
        elif ftype == "date":
            out[col] = out[col].astype("datetime64[ns]")
        elif ftype == "bool":
            out[col] = out[col].astype("boolean")
    out = out[["account_id"] + [c for c in out.columns if c != "account_id"]]
    return out.sort_values("account_id", kind="stable").reset_index(drop=True)
