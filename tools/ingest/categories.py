"""Category clean-up (case, whitespace, typos) and multi-valued cells, decided per column.

Work is done once per distinct value and mapped back, so a million-row column with a few
hundred distinct values costs milliseconds. Spelling variants are merged only when they are
clearly the same word: identical after removing case/space/punctuation, or a close fuzzy match
(rapidfuzz ratio >= 88, at least 5 letters) to a more frequent value or to a known industry or
country name ('technolgy' -> 'technology', 'Philipines' -> 'Philippines').
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from tools.ingest.values import (
    UNIQUE_MIN_ROWS,
    Parsed,
    _placeholder_mask,
    as_text,
    by_unique,
    missing_mask,
)

KNOWN = {
    "industry": [
        "technology", "software", "finance", "financial services", "healthcare", "medical",
        "retail", "education", "manufacturing", "marketing", "entertainment", "employment",
        "telecommunications", "services", "real estate", "insurance", "logistics", "media",
        "government", "non-profit", "hospitality", "energy", "construction", "consulting",
        "legal", "automotive", "agriculture", "e-commerce", "ecommerce",
    ],
    "country": [
        "United States", "United Kingdom", "Canada", "Germany", "France", "Netherlands",
        "Belgium", "Brazil", "China", "Italy", "Japan", "Jordan", "Kenya", "Korea", "Norway",
        "Panama", "Philippines", "Poland", "Romania", "India", "Australia", "Spain", "Sweden",
        "Switzerland", "Singapore", "Ireland", "Mexico", "Argentina", "Denmark", "Finland",
        "Portugal", "Austria", "Israel", "South Africa", "New Zealand", "Nigeria", "Indonesia",
    ],
}  # fmt: skip
MULTI_SPLIT = r"\s*(?:;|\||\n|,)\s*"
MIN_FUZZY_LEN = 5
FUZZY_CUTOFF = 88
MAX_FUZZY_DISTINCT = 2000  # beyond this a column is free text, not a category


def _key(value: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", value.lower())


def _canonical_map(counts: pd.Series, field: str | None) -> dict[str, str]:
    """Distinct raw value -> canonical spelling (most frequent variant, or a known name)."""
    known = KNOWN.get(field or "", [])
    by_key: dict[str, str] = {}
    # most frequent first (ties alphabetical) so the common spelling wins
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    for value, _n in order:
        by_key.setdefault(_key(value), value)
    mapping = {value: by_key[_key(value)] for value, _n in order}
    known_keys = {_key(k): k for k in known}
    canon_keys = list(dict.fromkeys(by_key))
    for value, _n in order:
        k = _key(mapping[value])
        if k in known_keys:
            continue
        if len(k) < MIN_FUZZY_LEN:
            continue
        hit = process.extractOne(k, list(known_keys), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if hit is not None:
            known_word = known_keys[hit[0]]
            mapping[value] = by_key.get(_key(known_word), _known_spelling(known_word, value))
            continue
        if len(canon_keys) > MAX_FUZZY_DISTINCT:
            continue
        bigger = [c for c in canon_keys[: canon_keys.index(k)] if len(c) >= MIN_FUZZY_LEN]
        hit = process.extractOne(k, bigger, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if hit is not None:
            mapping[value] = by_key[hit[0]]
    return mapping


def _known_spelling(known: str, seen: str) -> str:
    """Keep the column's own casing style (all lower-case data stays lower-case)."""
    return known.lower() if seen == seen.lower() else known


def clean_category(
    s: pd.Series, field: str | None = None, weights: pd.Series | None = None
) -> Parsed:
    """Trim, collapse whitespace, merge case variants and clear typos; placeholders -> NA."""
    if weights is None and len(s) > UNIQUE_MIN_ROWS:
        return by_unique(s, lambda u, weights: clean_category(u, field, weights))
    text = as_text(s)
    out = Parsed(pd.Series(pd.NA, index=s.index, dtype="object"), weights=weights)
    missing = missing_mask(text)
    out.add("placeholder as missing", _placeholder_mask(text), text)
    present = text[~missing]
    squeezed = present.str.replace(r"\s+", " ", regex=True)
    out.add("extra whitespace trimmed", squeezed != present, present)
    freq = (
        squeezed.value_counts()
        if weights is None
        else weights[squeezed.index].groupby(squeezed.to_numpy()).sum()
    )
    mapping = _canonical_map(freq, field)
    cleaned = squeezed.map(mapping)
    changed = cleaned != squeezed
    case_only = changed & (cleaned.str.lower() == squeezed.str.lower())
    out.add("case variant merged", case_only, squeezed)
    out.add("spelling variant merged", changed & ~case_only, squeezed)
    arr = np.full(len(s), None, dtype=object)
    arr[(~missing).to_numpy()] = cleaned.to_numpy()
    values = pd.Series(arr, index=s.index, dtype="object")
    out.values, out.bad = values, pd.Series(False, index=s.index)
    return out


def looks_multi(text: pd.Series) -> bool:
    """Does a text column hold lists ('Salesforce; Slack', 'cat, wolf') rather than single values?"""
    present = text[~missing_mask(text)]
    if len(present) < 3:
        return False
    strong = present.str.contains(r"[;|]", regex=True).mean()
    if strong >= 0.2:
        return True
    comma = present.str.contains(",", regex=False)
    if comma.mean() < 0.2:
        return False
    tokens = present[comma].str.split(r"\s*,\s*", regex=True).explode()
    short = tokens.str.len().mean() <= 20
    reused = tokens.nunique() <= 0.5 * len(tokens)
    return bool(short and reused)


def _empty_tuples(n: int) -> np.ndarray:
    arr = np.empty(n, dtype=object)
    arr.fill(())
    return arr


def split_multi(s: pd.Series, field: str | None = None) -> Parsed:
    """Multi-valued cells -> tuples of cleaned, de-duplicated, sorted strings (empty tuple = none)."""
    text = as_text(s)
    missing = missing_mask(text)
    out = Parsed(pd.Series(_empty_tuples(len(s)), index=s.index, dtype="object"))
    out.add("placeholder as missing", _placeholder_mask(text), text)
    present = text[~missing]
    uniq = pd.Series(present.unique())
    tokens = uniq.str.split(MULTI_SPLIT, regex=True).explode()
    tokens = tokens[tokens.notna() & (tokens.str.strip() != "")]
    cells = uniq.to_numpy()[tokens.index.to_numpy()]
    tokens = tokens.str.strip().reset_index(drop=True)
    tok_clean = clean_category(tokens, field)
    frame = pd.DataFrame({"cell": cells, "tok": tok_clean.values.to_numpy()}).dropna()
    grouped = frame.groupby("cell", sort=False)["tok"].agg(lambda t: tuple(sorted(set(t))))
    lookup = dict(zip(grouped.index, grouped.to_numpy(), strict=True))
    arr = _empty_tuples(len(s))
    mapped = present.astype(object).map(lookup)
    empty_cells = mapped.isna().to_numpy()
    vals = mapped.to_numpy(dtype=object).copy()
    vals[empty_cells] = _empty_tuples(int(empty_cells.sum()))
    arr[(~missing).to_numpy()] = vals
    result = pd.Series(arr, index=s.index, dtype="object")
    n_multi = present.str.contains(MULTI_SPLIT, regex=True)
    out.add("multi-valued cell split", n_multi, present)
    for name, (n, ex) in tok_clean.classes.items():
        if name != "placeholder as missing":
            out.classes[f"list item: {name}"] = (n, ex)
    out.values, out.bad = result, pd.Series(False, index=s.index)
    return out
