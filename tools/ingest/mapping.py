"""Table roles and column -> canonical field mapping, each with a confidence and a reason.

A table's role (accounts, deals, subscriptions, tickets, usage, churn events, lookup) comes from
its column names. Columns map by exact header synonym (0.95), header containing a synonym
(0.75), fuzzy header match (0.7) or value sniffing (0.5-0.6); the header guess is then checked
against the values (a "revenue" column of words is demoted to a custom attribute). Overrides
from the user's mapping file win with confidence 1.0.
"""

from __future__ import annotations

import pandas as pd
from rapidfuzz import fuzz, process

from tools.ingest.dates import parse_date
from tools.ingest.values import as_text, bool_share, missing_mask, number_share, slug
from tools.ingest.vocab import ACCOUNT_KEYS, ACCOUNT_SYNONYMS, DEAL_SYNONYMS, ROLE_MARKERS
from tools.models import ColumnMapping
from tools.schema import ACCOUNT_FIELDS, DEAL_FIELDS

ROLES = ("accounts", "deals", "subscriptions", "tickets", "usage", "churn_events", "lookup")
SNIFF_ROWS = 2000


def detect_role(columns: list[str], multi_file: bool) -> tuple[str, str]:
    """Role of a table from its column names, with the reason in words."""
    slugs = {slug(c) for c in columns}
    scores = {role: len(slugs & set(marks)) for role, marks in ROLE_MARKERS.items()}
    has_key = bool(slugs & set(ACCOUNT_KEYS + ACCOUNT_SYNONYMS["account_id"]))
    has_key = has_key or bool(slugs & set(ACCOUNT_SYNONYMS["name"]))
    event_roles = {r: s for r, s in scores.items() if r != "lookup" and s >= 2}
    if "subscription_id" in slugs and scores["usage"] >= 2:
        event_roles["usage"] = event_roles.get("usage", 0) + 2
    if event_roles:
        role = max(event_roles, key=lambda r: (event_roles[r], -ROLES.index(r)))
        hits = sorted(slugs & set(ROLE_MARKERS[role]))
        return role, f"{role} columns present: {', '.join(hits)}"
    if multi_file and not has_key:
        return "lookup", "no account key column: a lookup table (reported, not used)"
    return "accounts", "one row per company with account attributes"


def _synonyms(role: str) -> dict[str, list[str]]:
    return DEAL_SYNONYMS if role == "deals" else ACCOUNT_SYNONYMS


def _header_match(col: str, role: str) -> tuple[str | None, float, str]:
    s = slug(col)
    syn = _synonyms(role)
    best: tuple[str | None, float, str] = (None, 0.0, "")
    for fld, names in syn.items():
        if s in names:
            conf = 0.95 - 0.002 * names.index(s)
            if conf > best[1]:
                best = (fld, conf, f"header '{col}' is a known name for {fld}")
    if best[0]:
        return best
    tokens = s.split("_")
    for fld, names in syn.items():
        for name in names:
            n_tok = name.split("_")
            if len(name) >= 4 and _contains(tokens, n_tok) and best[1] < 0.75:
                best = (fld, 0.75, f"header '{col}' contains '{name}'")
    if best[0]:
        return best
    all_names = [(n, f) for f, ns in syn.items() for n in ns if len(n) >= 5]
    hit = process.extractOne(s, [n for n, _ in all_names], scorer=fuzz.ratio, score_cutoff=88)
    if hit is not None:
        fld = all_names[hit[2]][1]
        return fld, 0.7, f"header '{col}' resembles '{hit[0]}' ({hit[1]:.0f}% similar)"
    return None, 0.0, ""


def _contains(tokens: list[str], sub: list[str]) -> bool:
    k = len(sub)
    return any(tokens[i : i + k] == sub for i in range(len(tokens) - k + 1))


def _field_type(fld: str, role: str) -> str:
    if role == "deals":
        return DEAL_FIELDS[fld]
    return ACCOUNT_FIELDS[fld][0]


def _values_fit(text: pd.Series, ftype: str) -> tuple[bool, str]:
    present = text[~missing_mask(text)]
    if present.empty:
        return True, "column is empty"
    if ftype in {"number", "money"}:
        share = number_share(present)
        return share >= 0.6, f"{share:.0%} of values are numbers"
    if ftype == "date":
        share = float(parse_date(present).values.notna().mean())
        return share >= 0.6, f"{share:.0%} of values are dates"
    if ftype == "bool":
        share = bool_share(present)
        return share >= 0.8, f"{share:.0%} of values are yes/no"
    return True, ""


def _sniff(text: pd.Series, col: str, role: str) -> tuple[str | None, float, str]:
    present = text[~missing_mask(text)]
    if present.empty or role == "deals":
        return None, 0.0, ""
    domain = present.str.fullmatch(r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?", na=False)
    if domain.mean() >= 0.8:
        return "domain", 0.6, f"values of '{col}' look like web domains"
    return None, 0.0, ""


def map_columns(
    frame: pd.DataFrame, file: str, role: str, overrides: dict[str, str | None] | None = None
) -> list[ColumnMapping]:
    """Map every column of an accounts or deals table; unmapped columns stay custom (None)."""
    overrides = overrides or {}
    sample = frame.head(SNIFF_ROWS)
    cands: list[ColumnMapping] = []
    for col in frame.columns:
        if col in overrides:
            cands.append(ColumnMapping(file=file, column=col, field=overrides[col],
                                       confidence=1.0, reason="set in the mapping file"))  # fmt: skip
            continue
        text = as_text(sample[col])
        fld, conf, reason = _header_match(col, role)
        if fld is None:
            fld, conf, reason = _sniff(text, col, role)
        if fld is not None:
            fits, why = _values_fit(text, _field_type(fld, role))
            if not fits:
                reason = f"header suggests {fld} but only {why}; kept as a custom column"
                fld, conf = None, 0.3
            elif why:
                reason = f"{reason}; {why}"
        cands.append(ColumnMapping(file=file, column=col, field=fld, confidence=round(conf, 3),
                                   reason=reason or "no canonical field matches; kept as custom"))  # fmt: skip
    return _resolve_conflicts(cands, _id_fallback(frame, cands, role))


def _id_fallback(frame: pd.DataFrame, cands: list[ColumnMapping], role: str) -> int | None:
    """Header-less files: the first column whose values are unique id-like codes."""
    if role != "accounts" or any(c.field == "account_id" for c in cands):
        return None
    for i, col in enumerate(frame.columns):
        if cands[i].field is not None or not col.startswith("column_"):
            continue
        text = as_text(frame[col].head(SNIFF_ROWS))
        codes = text.str.fullmatch(r"[A-Za-z]*[-_]?[0-9A-Fa-f]*\d[0-9A-Za-z-]*", na=False)
        if codes.mean() >= 0.9 and text.is_unique:
            return i
    return None


def _resolve_conflicts(cands: list[ColumnMapping], id_col: int | None) -> list[ColumnMapping]:
    if id_col is not None:
        c = cands[id_col]
        cands[id_col] = c.model_copy(update={"field": "account_id", "confidence": 0.5,
                                             "reason": "no header: unique id-like values"})  # fmt: skip
    best: dict[str, int] = {}
    for i, c in enumerate(cands):
        if c.field is None:
            continue
        j = best.get(c.field)
        if j is None or c.confidence > cands[j].confidence:
            best[c.field] = i
    out = []
    for i, c in enumerate(cands):
        if c.field is not None and best[c.field] != i:
            winner = cands[best[c.field]].column
            c = c.model_copy(update={"field": None, "confidence": 0.4,
                                     "reason": f"{c.reason}; '{winner}' fits {c.field} better, "
                                     "so this is kept as a custom column"})  # fmt: skip
        out.append(c)
    return out


def account_key(columns: list[str]) -> str | None:
    """The column of an event table that names the account (id first, then name)."""
    by_slug = {slug(c): c for c in columns}
    for key in ACCOUNT_KEYS + ["account_name", "company_name", "customer_name", "customer"]:
        if key in by_slug:
            return by_slug[key]
    return None
