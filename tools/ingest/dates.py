"""Date parsing decided per column: ISO, dd-mm-yy vs mm/dd/yyyy, Excel serials, month names.

Day/month order is decided once for the whole column from the cells that can only be read one
way (a first part above 12 means day-first); a column with no such evidence falls back on the
separator convention ('/' = US month-first, '-' or '.' = day-first) and the decision is
reported. Output is datetime64[ns]; cells that cannot be read are flagged, never guessed.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from tools.ingest.values import (
    UNIQUE_MIN_ROWS,
    Parsed,
    _placeholder_mask,
    as_text,
    by_unique,
    missing_mask,
)

ISO_RE = r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T].*)?$"
DMY_RE = r"^(?P<p1>\d{1,2})(?P<sep>[-/.])(?P<p2>\d{1,2})[-/.](?P<y>\d{2}|\d{4})(?:[ T].*)?$"
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def _build(y: pd.Series, m: pd.Series, d: pd.Series) -> pd.Series:
    frame = pd.DataFrame(
        {
            "year": pd.to_numeric(y, errors="coerce"),
            "month": pd.to_numeric(m, errors="coerce"),
            "day": pd.to_numeric(d, errors="coerce"),
        }
    )
    ok = frame.notna().all(axis=1)
    out = pd.Series(pd.NaT, index=y.index, dtype="datetime64[ns]")
    if ok.any():
        built = pd.to_datetime(frame[ok].astype("int64"), errors="coerce")
        out.loc[ok[ok].index] = built.astype("datetime64[ns]").to_numpy()
    return out


def _day_first(p1: pd.Series, p2: pd.Series, sep: pd.Series) -> tuple[bool, str]:
    a = pd.to_numeric(p1, errors="coerce")
    b = pd.to_numeric(p2, errors="coerce")
    first_big, second_big = int((a > 12).sum()), int((b > 12).sum())
    if first_big and not second_big:
        return True, f"day-first (dd-mm): {first_big} dates have a first part above 12"
    if second_big and not first_big:
        return False, f"month-first (mm/dd): {second_big} dates have a second part above 12"
    if first_big and second_big:
        return True, "day/month order is inconsistent within the column; read as day-first"
    slash = bool((sep == "/").mean() > 0.5) if len(sep) else False
    order = "month-first (US mm/dd)" if slash else "day-first (dd-mm)"
    return not slash, f"every date is ambiguous; read as {order} from the separator"


def parse_date(s: pd.Series, weights: pd.Series | None = None) -> Parsed:
    """Dates of one column -> datetime64[ns]; `classes` records the format decisions."""
    if pd.api.types.is_datetime64_any_dtype(s):
        vals = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) else s
        return Parsed(vals.astype("datetime64[ns]"), {}, pd.Series(False, index=s.index))
    if weights is None and len(s) > UNIQUE_MIN_ROWS:
        return by_unique(s, parse_date)
    text = as_text(s)
    out = Parsed(pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]"), weights=weights)
    missing = missing_mask(text)
    out.add("placeholder as missing", _placeholder_mask(text), text)
    values = out.values.copy()
    todo = ~missing
    iso = text[todo].str.extract(ISO_RE)
    hit = iso["y"].notna()
    if hit.any():
        values.loc[hit[hit].index] = _build(iso["y"][hit], iso["m"][hit], iso["d"][hit])
    todo = todo & values.isna()
    dmy = text[todo].str.extract(DMY_RE)
    hit = dmy["p1"].notna()
    if hit.any():
        day_first, why = _day_first(dmy["p1"][hit], dmy["p2"][hit], dmy["sep"][hit])
        d, m = (dmy["p1"], dmy["p2"]) if day_first else (dmy["p2"], dmy["p1"])
        y = pd.to_numeric(dmy["y"], errors="coerce")
        y = y.where(y >= 100, np.where(y < 70, 2000 + y, 1900 + y))
        values.loc[hit[hit].index] = _build(y[hit], m[hit], d[hit])
        out.add(f"short date, {why}", hit & values.reindex(hit.index).notna(), text[todo])
    todo = todo & values.isna()
    _excel_serials(text, todo, values, out)
    todo = todo & values.isna()
    _free_text(text, todo, values, out)
    bad = ~missing & values.isna()
    out.add("unparseable -> missing", bad, text)
    out.values, out.bad = values, bad
    return out


def _excel_serials(text: pd.Series, todo: pd.Series, values: pd.Series, out: Parsed) -> None:
    num = pd.to_numeric(text[todo], errors="coerce")
    serial = num.notna() & (num >= 10000) & (num <= 80000)
    if serial.any():
        days = pd.to_timedelta(num[serial].round(), unit="D")
        values.loc[serial[serial].index] = (EXCEL_EPOCH + days).astype("datetime64[ns]").to_numpy()
        out.add("Excel serial date", serial, text[todo])


def _free_text(text: pd.Series, todo: pd.Series, values: pd.Series, out: Parsed) -> None:
    """Month names and other spelled-out dates; parsed once per distinct value."""
    rest = text[todo]
    rest = rest[rest.str.contains(r"[A-Za-z]{3}", regex=True, na=False)]
    if rest.empty:
        return
    uniq = pd.Series(rest.unique())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(uniq, errors="coerce", format="mixed")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    lookup = dict(zip(uniq, parsed.astype("datetime64[ns]"), strict=True))
    mapped = rest.map(lookup).astype("datetime64[ns]")
    values.loc[mapped.index] = mapped.to_numpy()
    out.add("spelled-out date", mapped.notna(), rest)
