"""Vectorised parsers for numbers, money, ranges, percentages, booleans and placeholders.

Every parser takes a pandas Series of raw cells and returns a `Parsed`: the typed values, a
count per *value class* (what kind of cleaning was applied, with one example) and a mask of
cells that were present but could not be understood (the caller reports those as issues).
Parsing is regex-based over whole columns, with a fast path for cells that are already plain
numbers, so a million-row column takes about a second.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

PLACEHOLDERS = frozenset(
    {
        "", "n/a", "na", "#n/a", "n.a.", "null", "none", "nil", "nan", "-", "--", "---", "—",
        "–", "?", "select", "select...", "-- select --", "- select -", "please select",
        "not set", "(blank)", "blank", "undefined", "#value!", "#ref!", "#div/0!",
    }
)  # fmt: skip

TRUE_WORDS = frozenset(
    {"true", "t", "yes", "y", "1", "1.0", "churned", "churn", "cancelled", "canceled",
     "inactive", "lost", "left", "x", "on"}
)  # fmt: skip
FALSE_WORDS = frozenset(
    {"false", "f", "no", "n", "0", "0.0", "stayed", "active", "retained", "current",
     "renewed", "won", "off"}
)  # fmt: skip

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_CUR = r"(?:us\$|usd|eur|gbp|[$€£¥])"
_SUF = r"(?:million|billion|thousand|mm|mn|bn|k|m|b)"
_UNIT = r"(?:employees|employee|people|staff|users|seats|fte|per year|/yr|/year|a year|p\.?a\.?)"
NUMBER_RE = (
    rf"^(?P<neg>-|\()?\s*{_CUR}?\s*(?P<a>{_NUM})\s*(?P<sa>{_SUF})?"
    rf"(?:\s*(?:-|–|—|to)\s*{_CUR}?\s*(?P<b>{_NUM})\s*(?P<sb>{_SUF})?)?"
    rf"\s*(?P<plus>\+)?\s*(?P<pct>%)?\s*{_CUR}?\s*{_UNIT}?\s*\)?$"
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
MANGLED_RE = rf"^(?:(?P<m1>{_MONTHS})[a-z]*[-/ ](?P<n1>\d{{1,4}})|(?P<n2>\d{{1,4}})[-/ ](?P<m2>{_MONTHS})[a-z]*)$"
_MONTH_NUM = {m: i + 1 for i, m in enumerate(_MONTHS.split("|"))}
_MULT = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "million": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9,
}  # fmt: skip


@dataclass
class Parsed:
    """Typed values of one column plus what cleaning was applied."""

    values: pd.Series
    classes: dict[str, tuple[int, str]] = field(default_factory=dict)
    bad: pd.Series | None = None  # bool mask: present but unparseable
    weights: pd.Series | None = None  # rows per cell when parsing distinct values only
    nonfinite: pd.Series | None = None  # bool mask: infinite / overflowing numbers, now missing

    def add(self, name: str, mask: pd.Series, raw: pd.Series) -> None:
        w = self.weights
        n = int(mask.sum()) if w is None else int(w.reindex(mask.index)[mask].sum())
        if n:
            old = self.classes.get(name, (0, ""))
            example = old[1] or str(raw[mask].iloc[0])
            self.classes[name] = (old[0] + n, example)


def as_text(s: pd.Series) -> pd.Series:
    """Cells as stripped strings (missing stays missing), whatever the input dtype."""
    if not (pd.api.types.is_string_dtype(s) or s.dtype == object):
        s = s.astype("str").where(s.notna())
    return s.astype("str").where(s.notna()).str.strip()


def missing_mask(text: pd.Series) -> pd.Series:
    """True where a cell is empty or a placeholder such as N/A, '-' or 'Select'."""
    return text.isna() | text.str.lower().isin(PLACEHOLDERS)


def _placeholder_mask(text: pd.Series) -> pd.Series:
    return text.notna() & (text != "") & text.str.lower().isin(PLACEHOLDERS)


UNIQUE_MIN_ROWS = 20_000


def by_unique(s: pd.Series, parser: Callable[..., Parsed]) -> Parsed:
    """Run `parser` once per distinct cell and spread the result back over the rows."""
    codes, uniq = pd.factorize(as_text(s), use_na_sentinel=True)
    u = pd.Series(np.asarray(uniq, dtype=object))
    weights = pd.Series(np.bincount(codes[codes >= 0], minlength=len(u)))
    p = parser(u, weights=weights)
    take = np.where(codes < 0, len(u), codes)
    values = pd.concat([p.values, pd.Series([None], dtype=p.values.dtype)], ignore_index=True)
    bad = pd.concat([p.bad, pd.Series([False])], ignore_index=True) if p.bad is not None else None
    out = Parsed(values.iloc[take].set_axis(s.index), p.classes)
    out.bad = None if bad is None else bad.iloc[take].astype(bool).set_axis(s.index)
    if p.nonfinite is not None:
        inf = pd.concat([p.nonfinite, pd.Series([False])], ignore_index=True)
        out.nonfinite = inf.iloc[take].astype(bool).set_axis(s.index)
    return out


def parse_number(s: pd.Series, weights: pd.Series | None = None) -> Parsed:
    """Numbers, money, ranges (midpoint), open ranges, percentages (as fractions) -> float64.

    Infinite or overflowing values (`inf`, `Infinity`, `1e400`) are not numbers a CRM can
    hold: they become missing and are flagged in `nonfinite`.
    """
    if pd.api.types.is_bool_dtype(s):
        return Parsed(s.astype("float64"), {}, pd.Series(False, index=s.index))
    if pd.api.types.is_numeric_dtype(s):
        out = Parsed(s.astype("float64"), {}, pd.Series(False, index=s.index), weights)
        return _drop_nonfinite(out, s)
    if weights is None and len(s) > UNIQUE_MIN_ROWS:
        return by_unique(s, parse_number)
    text = as_text(s)
    out = Parsed(pd.Series(np.nan, index=s.index, dtype="float64"), weights=weights)
    missing = missing_mask(text)
    out.add("placeholder as missing", _placeholder_mask(text), text)
    direct = pd.to_numeric(text.where(~missing), errors="coerce").astype("float64")
    values = direct.copy()
    rest = ~missing & direct.isna()
    if rest.any():
        low = text[rest].str.lower().str.replace(r"\s+", " ", regex=True)
        low = low.str.replace(r"^(-?\d+),(\d{1,2})$", r"\1.\2", regex=True)
        parsed, bad = _parse_messy(low, out, text[rest])
        values.loc[parsed.index] = parsed.to_numpy()
        out.bad = pd.Series(False, index=s.index)
        out.bad.loc[bad[bad].index] = True
    else:
        out.bad = pd.Series(False, index=s.index)
    out.values = values
    return _drop_nonfinite(out, text)


def _drop_nonfinite(out: Parsed, raw: pd.Series) -> Parsed:
    """Infinite values -> missing, counted as a value class and flagged in `nonfinite`."""
    inf = pd.Series(np.isinf(out.values.to_numpy(dtype="float64")), index=out.values.index)
    out.nonfinite = inf
    if inf.any():
        out.values = out.values.where(~inf)
        out.add("not a finite number -> missing", inf, raw)
    return out


def _to_float(num: pd.Series) -> pd.Series:
    return pd.to_numeric(num.str.replace(",", "", regex=False), errors="coerce").astype("float64")


def _mult(suffix: pd.Series) -> pd.Series:
    return suffix.map(_MULT).astype("float64").fillna(1.0)


def _parse_messy(low: pd.Series, out: Parsed, raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse cells that were not plain numbers; returns (values, unparseable mask)."""
    g = low.str.extract(NUMBER_RE)
    ok = g["a"].notna()
    sa, sb = g["sa"].fillna(""), g["sb"].fillna("")
    sa = sa.where((sa != "") | (sb == ""), sb)  # "1-5M": the suffix applies to both ends
    a = _to_float(g["a"]) * _mult(sa)
    b = _to_float(g["b"]) * _mult(sb)
    is_range = ok & g["b"].notna()
    value = a.where(~is_range, (a + b) / 2)
    pct = ok & g["pct"].notna()
    value = value.where(~pct, value / 100)
    neg = ok & g["neg"].notna()
    value = value.where(~neg, -value)
    out.add("range -> midpoint", is_range, raw)
    out.add("open-ended range (lower bound)", ok & g["plus"].notna(), raw)
    out.add("percentage -> fraction", pct, raw)
    out.add("k/M/B suffix", ok & (sa != ""), raw)
    out.add("currency symbol or code", ok & low.str.contains(_CUR, regex=True), raw)
    out.add("thousands separators", ok & g["a"].str.contains(",", regex=False), raw)
    out.add("negative in brackets", ok & (g["neg"] == "("), raw)
    out.add("number with unit words", ok & low.str.contains(r"[a-z]{4,}", regex=True), raw)
    m = low[~ok].str.extract(MANGLED_RE)
    mangled = pd.Series(False, index=low.index)
    if len(m):
        mon = m["m1"].fillna(m["m2"]).map(_MONTH_NUM).astype("float64")
        num = pd.to_numeric(m["n1"].fillna(m["n2"]), errors="coerce").astype("float64")
        good = mon.notna() & num.notna()
        mid = (np.minimum(mon, num) + np.maximum(mon, num)) / 2
        value.loc[good[good].index] = mid[good].to_numpy()
        mangled.loc[good[good].index] = True
        out.add("Excel-mangled range (e.g. May-20 = 5-20)", mangled, raw)
    bad = ~ok & ~mangled
    out.add("unparseable -> missing", bad, raw)
    return value, bad


def format_money(x: float) -> str:
    """Render money the way CRMs export it (`$1.2M`, `$120k`, `$950`); used by round-trip tests."""
    for mult, suf in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= mult:
            return f"${x / mult:.12g}{suf}"
    return f"${x:.12g}"


def parse_bool(s: pd.Series, weights: pd.Series | None = None) -> Parsed:
    """Yes/No, TRUE/FALSE, 1/0, Churned/Stayed ... -> pandas boolean with NA."""
    if pd.api.types.is_bool_dtype(s):
        return Parsed(s.astype("boolean"), {}, pd.Series(False, index=s.index))
    if weights is None and len(s) > UNIQUE_MIN_ROWS:
        return by_unique(s, parse_bool)
    text = as_text(s)
    out = Parsed(pd.Series(pd.NA, index=s.index, dtype="boolean"), weights=weights)
    missing = missing_mask(text)
    out.add("placeholder as missing", _placeholder_mask(text), text)
    low = text.str.lower()
    truth = pd.Series(pd.NA, index=s.index, dtype="boolean")
    truth[low.isin(TRUE_WORDS)] = True
    truth[low.isin(FALSE_WORDS)] = False
    words = ~missing & truth.notna() & ~low.isin({"true", "false"})
    out.add("boolean word (yes/no, 1/0, churned/stayed...)", words, text)
    bad = ~missing & truth.isna()
    out.add("unparseable -> missing", bad, text)
    out.values, out.bad = truth, bad
    return out


def bool_share(text: pd.Series) -> float:
    """Share of present cells that read as booleans (for value sniffing)."""
    present = text[~missing_mask(text)].str.lower()
    if present.empty:
        return 0.0
    return float(present.isin(TRUE_WORDS | FALSE_WORDS).mean())


def number_share(text: pd.Series) -> float:
    """Share of present cells that parse as numbers, money or ranges (`inf` and overflowing
    numbers count: they are numbers the cleaning then reports as not finite)."""
    present = text[~missing_mask(text)]
    if present.empty:
        return 0.0
    p = parse_number(present)
    inf = p.nonfinite if p.nonfinite is not None else False
    return float((p.values.notna() | inf).mean())


def is_numeric_text(text: pd.Series) -> pd.Series:
    """Cell-wise: does the cell look like a number (for header detection)?"""
    return text.str.fullmatch(r"\s*[-+$€£(]?\s*[\d.,]+\s*[%kKmM)]?\s*", na=False)


def slug(name: str) -> str:
    """snake_case column name: 'Tickets Last 90d' -> 'tickets_last_90d'."""
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(name).strip())
    s = re.sub(r"[^0-9a-zA-Z]+", "_", s).strip("_").lower()
    return s or "column"
