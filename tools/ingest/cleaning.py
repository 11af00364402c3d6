"""Turn a mapped raw table into typed columns, counting every kind of cleaning applied.

Canonical fields are parsed by their schema type; custom columns get a type inferred from their
values (boolean, number, date, multi-valued, category or free text). Every cleaned value class
becomes a `CleaningCount`, every unreadable cell an `IngestIssue` listing its rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from tools.ingest.categories import clean_category, looks_multi, split_multi
from tools.ingest.dates import parse_date
from tools.ingest.values import (
    Parsed,
    as_text,
    bool_share,
    missing_mask,
    number_share,
    parse_bool,
    parse_number,
    slug,
)
from tools.models import CleaningCount, ColumnMapping, IngestIssue
from tools.schema import ACCOUNT_FIELDS, DEAL_FIELDS

MAX_CATEGORY_SHARE = 0.5  # more distinct values than this share of rows = free text
# Canonical fields that cannot be negative: counts are set missing, money is only flagged.
NON_NEGATIVE_COUNTS = frozenset(
    {"employees", "tickets", "time_to_close_days", "seats", "referrals"}
)
NON_NEGATIVE_MONEY = frozenset({"revenue", "arr", "mrr"})


@dataclass
class CleanTable:
    frame: pd.DataFrame
    custom_kinds: dict[str, str] = field(default_factory=dict)  # column -> schema field type
    cleaning: list[CleaningCount] = field(default_factory=list)
    issues: list[IngestIssue] = field(default_factory=list)


def row_ranges(rows: list[int], limit: int = 400) -> str:
    """[1,2,3,7] -> '1-3, 7' (every row listed, compressed as ranges)."""
    parts: list[str] = []
    start = prev = None
    for r in rows:
        if prev is not None and r == prev + 1:
            prev = r
            continue
        if start is not None:
            parts.append(f"{start}-{prev}" if prev != start else f"{start}")
        start = prev = r
    if start is not None:
        parts.append(f"{start}-{prev}" if prev != start else f"{start}")
    text = ", ".join(parts[:limit])
    return text + (f", … ({len(parts) - limit} more ranges)" if len(parts) > limit else "")


def infer_type(text: pd.Series) -> str:
    """Schema field type for a custom column, from its values."""
    present = text[~missing_mask(text)]
    if present.empty:
        return "text"
    sample = present.head(5000)
    if bool_share(sample) >= 0.95 and sample.str.lower().nunique() <= 4:
        return "bool"
    if number_share(sample) >= 0.9:
        return "number"
    digits = sample.str.contains(r"\d", regex=True).mean() >= 0.9
    if digits and parse_date(sample).values.notna().mean() >= 0.9:
        return "date"
    if looks_multi(sample):
        return "multi"
    distinct = present.nunique()
    if distinct <= 50 or distinct <= MAX_CATEGORY_SHARE * len(present):
        return "category"
    return "text"


def parse_as(s: pd.Series, ftype: str, fld: str | None) -> Parsed:
    """Parse one column as the given schema type."""
    if ftype in {"number", "money"}:
        return parse_number(s)
    if ftype == "date":
        return parse_date(s)
    if ftype == "bool":
        return parse_bool(s)
    if ftype == "multi":
        return split_multi(s, fld)
    if ftype == "category":
        return clean_category(s, fld)
    text = as_text(s)
    values = text.where(~missing_mask(text)).str.replace(r"\s+", " ", regex=True)
    return Parsed(values.astype("object").where(values.notna(), None), {}, None)


def _rows(mask: pd.Series) -> list[int]:
    return [int(i) + 1 for i in mask[mask].index]


def _warn(out: CleanTable, file: str, col: str, rows: list[int], message: str, hint: str) -> None:
    """One warning per column and problem, pointing at the first row and listing all rows."""
    out.issues.append(
        IngestIssue(
            severity="warning",
            file=file,
            row=rows[0],
            column=col,
            message=f"{message} (rows {row_ranges(rows)})",
            hint=hint,
        )
    )


def _record_nonfinite(out: CleanTable, file: str, col: str, p: Parsed) -> None:
    if p.nonfinite is None or not bool(p.nonfinite.any()):
        return
    rows = _rows(p.nonfinite)
    _warn(
        out, file, col, rows,
        f"not a finite number: {len(rows)} value(s) are infinite or too large (such as inf) "
        "and are treated as missing",
        f"replace these cells in '{col}' with the real value, or leave them empty",
    )  # fmt: skip


def _check_negative(out: CleanTable, file: str, col: str, fld: str | None, p: Parsed) -> None:
    """Negative employees, tickets, days, seats, referrals or money: suspicious, reported."""
    if fld not in NON_NEGATIVE_COUNTS and fld not in NON_NEGATIVE_MONEY:
        return
    neg = pd.Series(p.values.to_numpy(dtype="float64") < 0, index=p.values.index)
    if not neg.any():
        return
    rows = _rows(neg)
    count = fld in NON_NEGATIVE_COUNTS
    if count:
        p.add("negative count -> missing", neg, p.values.astype("str"))
        p.values = p.values.where(~neg)
    _warn(
        out, file, col, rows,
        f"{len(rows)} negative value(s) in {fld}, which cannot be below zero; "
        + ("treated as missing" if count else "kept, but check them"),
        f"correct these cells in '{col}' (a refund or credit belongs in another column)",
    )  # fmt: skip


def _record(out: CleanTable, file: str, col: str, target: str, ftype: str, p: Parsed) -> None:
    for cls, (n, example) in sorted(p.classes.items()):
        out.cleaning.append(
            CleaningCount(column=f"{file}:{col}", value_class=cls, count=n, example=example[:60])
        )
    if p.bad is not None and bool(p.bad.any()):
        rows = _rows(p.bad)
        _warn(
            out, file, col, rows,
            f"{len(rows)} value(s) could not be read as {ftype} and are treated as missing",
            f"fix these cells, or map '{col}' to another field in the mapping file",
        )  # fmt: skip


def clean_table(
    frame: pd.DataFrame, mappings: list[ColumnMapping], file: str, role: str
) -> CleanTable:
    """Typed table: canonical columns by schema type, custom columns by inferred type."""
    out = CleanTable(pd.DataFrame(index=frame.index))
    columns: dict[str, pd.Series] = {}
    taken = {m.field for m in mappings if m.field}
    for m in mappings:
        if m.field is not None:
            ftype: str = DEAL_FIELDS[m.field] if role == "deals" else ACCOUNT_FIELDS[m.field][0]
            target = m.field
        else:
            if role == "deals":
                continue  # deals keep only canonical fields
            target = _custom_name(m.column, taken)
            taken.add(target)
            ftype = infer_type(as_text(frame[m.column]))
            out.custom_kinds[target] = ftype
        if ftype == "id":
            parsed = _parse_id(frame[m.column])
        else:
            parsed = parse_as(frame[m.column], ftype, m.field)
        if ftype in {"number", "money"}:
            _check_negative(out, file, m.column, m.field, parsed)
            _record_nonfinite(out, file, m.column, parsed)
        columns[target] = parsed.values
        _record(out, file, m.column, target, ftype, parsed)
    out.frame = pd.DataFrame(columns, index=frame.index)
    return out


def _parse_id(s: pd.Series) -> Parsed:
    text = as_text(s)
    missing = missing_mask(text)
    values = text.str.replace(r"\.0$", "", regex=True).where(~missing)
    return Parsed(values.astype("object").where(values.notna(), None), {}, None)


def _custom_name(column: str, taken: set[str]) -> str:
    base = slug(column)
    if base in ACCOUNT_FIELDS or base in taken:
        base = f"custom_{base}"
    name, k = base, 2
    while name in taken:
        name, k = f"{base}_{k}", k + 1
    return name
